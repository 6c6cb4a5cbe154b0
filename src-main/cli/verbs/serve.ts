// `lab serve [--port N] [--db PATH] [--concurrency N] [--static DIR]`: the whole app in a browser.
// Serves the built renderer and the app contract on 127.0.0.1 behind a random token, and prints
// the address to open (with the token). Ctrl-C pauses running runs (checkpoint) and exits.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createServices } from '../../api/create-services.ts';
import { createApiGateway } from '../../api/index.ts';
import { startLabServer } from '../../server/server.ts';
import { resolveDbPath } from '../../store/location.ts';
import { flagString, parseArgs, parseInteger } from '../args.ts';
import { UsageError } from '../errors.ts';

export const summary = 'serve the app in a browser on 127.0.0.1 (token in the printed URL)';

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    port: { type: 'string' },
    db: { type: 'string' },
    concurrency: { type: 'string' },
    static: { type: 'string' },
  });
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
  const portText = flagString(args, 'port');
  const port = portText === undefined ? 0 : parseInteger(portText, '--port');
  if (port > 65535) throw new UsageError(`--port: ${port} is not a port number (0-65535)`);
  const concText = flagString(args, 'concurrency');
  const concurrency = concText === undefined ? undefined : parseInteger(concText, '--concurrency', 1);
  const staticDir = resolve(flagString(args, 'static') ?? new URL('../../../out/renderer', import.meta.url).pathname);
  if (!existsSync(resolve(staticDir, 'index.html'))) {
    process.stderr.write(`lab: note: ${staticDir}/index.html is missing; run \`npx electron-vite build\` to build the app (the API works without it)\n`);
  }
  let services;
  try {
    services = await createServices({ host: 'server', dbPath: resolveDbPath(flagString(args, 'db')), ...(concurrency ? { concurrency } : {}) });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  let server;
  try {
    server = await startLabServer({ gateway: createApiGateway(services), events: services.events, staticDir, port });
  } catch (err) {
    await services.close();
    throw new UsageError(`cannot listen on 127.0.0.1:${port}: ${(err as Error).message}`);
  }
  process.stdout.write(`MaxEnt Lab is serving ${services.dbPath}\nopen ${server.url}\n`);
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.stdout.write('stopping: pausing running runs and closing the database\n');
      void server.close().then(() => services.close()).finally(done);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}
