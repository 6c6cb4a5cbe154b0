// `lab import FILE [--db PATH]`: loads a reproduction bundle (from `lab bundle export` or the app's
// Export) into the store as a new experiment. A corrupt, truncated or newer bundle is refused with
// one clear line (exit 2) and the store is left exactly as it was.
import { openStoreForCli } from '../../runs/cli-support.ts';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { BundleError } from '../../bundle/format.ts';
import { importBundle } from '../../bundle/import.ts';
import { flagString, parseArgs } from '../args.ts';
import { UsageError } from '../errors.ts';

export const summary = 'import a reproduction bundle into the store (refuses corrupt or newer bundles)';

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { db: { type: 'string' } });
  const file = args.positionals[0];
  if (!file || args.positionals.length > 1) throw new UsageError('usage: lab import FILE [--db PATH]');
  if (!existsSync(file)) throw new UsageError(`${file}: no such file`);
  if (statSync(file).isDirectory()) throw new UsageError(`${file} is a directory`);
  const bytes = readFileSync(file);
  const store = openStoreForCli(flagString(args, 'db'));
  try {
    const r = importBundle(store, bytes);
    process.stdout.write(`imported experiment "${r.name}" as id ${r.experimentId} with ${r.runIds.length} runs (ids ${r.runIds.join(', ')}) into ${store.path}\n`);
    return 0;
  } catch (err) {
    if (err instanceof BundleError) throw new UsageError(`${file}: ${err.message}; nothing was imported`);
    throw err;
  } finally {
    store.close();
  }
}
