// How the run manager starts worker processes: one interface, two implementations.
// - NodeWorkerHost (here): child_process.fork, used by the CLI, the lab server and tests.
// - The desktop app's host: Electron's utilityProcess.fork behind the same interface, written in
//   src-main/electron (the only folder that may import 'electron'). A utility process exposes
//   postMessage/on('message')/on('exit')/kill/pid, which map one to one onto WorkerProcess.
import { fork, type ChildProcess } from 'node:child_process';

export interface WorkerProcess {
  readonly pid: number | undefined;
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process has exited (code, or the signal that killed it). */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** Lines the process wrote to stdout/stderr (tfjs banners, crashes). */
  onOutput(listener: (line: string, stream: 'stdout' | 'stderr') => void): void;
  kill(signal?: NodeJS.Signals): void;
}

export interface WorkerHost {
  spawn(): WorkerProcess;
}

export interface NodeWorkerHostOptions {
  /** The worker entry module (default: src-main/worker/main.ts, run with Node's type stripping). */
  entry?: string;
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
}

export const DEFAULT_WORKER_ENTRY = new URL('../worker/main.ts', import.meta.url).pathname;

export class NodeWorkerHost implements WorkerHost {
  private readonly opts: NodeWorkerHostOptions;
  private readonly live = new Set<ChildProcess>();
  private exitHookInstalled = false;

  constructor(opts: NodeWorkerHostOptions = {}) {
    this.opts = opts;
  }

  spawn(): WorkerProcess {
    if (!this.exitHookInstalled) {
      // Workers never outlive the process that started them (they also exit on IPC disconnect).
      process.on('exit', () => {
        for (const c of this.live) c.kill('SIGKILL');
      });
      this.exitHookInstalled = true;
    }
    const child = fork(this.opts.entry ?? DEFAULT_WORKER_ENTRY, [], {
      execArgv: this.opts.execArgv ?? ['--no-warnings'],
      env: this.opts.env ?? process.env,
      serialization: 'json',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.live.add(child);
    child.once('close', () => this.live.delete(child));
    return {
      pid: child.pid,
      send: (m) => {
        if (child.connected) child.send(m as object);
      },
      onMessage: (l) => child.on('message', l),
      onExit: (l) => child.once('close', l), // 'close': after stdio and every IPC message were delivered
      onOutput: (l) => {
        for (const stream of ['stdout', 'stderr'] as const) {
          let buf = '';
          child[stream]!.setEncoding('utf8');
          child[stream]!.on('data', (chunk: string) => {
            buf += chunk;
            let nl: number;
            while ((nl = buf.indexOf('\n')) >= 0) {
              l(buf.slice(0, nl), stream);
              buf = buf.slice(nl + 1);
            }
          });
        }
      },
      kill: (signal = 'SIGKILL') => {
        child.kill(signal);
      },
    };
  }
}
