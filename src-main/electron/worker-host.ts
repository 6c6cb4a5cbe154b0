// The run manager's process host in the desktop app (src-main/runs/host.ts WorkerHost): each
// training run in its own Electron utilityProcess, speaking the same JSON protocol as the
// child_process.fork host under Node. Workers are killed when the app quits.
import { join } from 'node:path';
import { app, utilityProcess, type UtilityProcess } from 'electron';
import type { WorkerHost, WorkerProcess } from '../runs/host.ts';

/** The bundled worker entry (electron.vite.config.ts builds src-main/worker/main.ts to out/main/worker.js). */
export const WORKER_ENTRY = join(import.meta.dirname, 'worker.js');

function lines(stream: NodeJS.ReadableStream | null, out: (line: string) => void): void {
  if (!stream) return;
  let buf = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      out(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
    }
  });
}

export function utilityProcessHost(entry = WORKER_ENTRY): WorkerHost {
  const live = new Set<UtilityProcess>();
  app.on('will-quit', () => {
    for (const p of live) p.kill();
  });
  return {
    spawn(): WorkerProcess {
      const child = utilityProcess.fork(entry, [], { serviceName: 'MaxEnt Lab training worker', stdio: 'pipe' });
      live.add(child);
      child.once('exit', () => live.delete(child));
      return {
        get pid() {
          return child.pid;
        },
        send: (m) => child.postMessage(m),
        onMessage: (l) => child.on('message', l),
        onExit: (l) => child.once('exit', (code) => l(code, null)),
        onOutput: (l) => {
          lines(child.stdout, (line) => l(line, 'stdout'));
          lines(child.stderr, (line) => l(line, 'stderr'));
        },
        kill: () => {
          child.kill();
        },
      };
    },
  };
}
