// Main's side of a stored-policy preview (and of a landscape job, issue 15, and a rollout fan): start a short-lived worker process (the training worker's
// entry, through the same WorkerHost as runs: child_process.fork under Node, utilityProcess in
// Electron), send it one `preview` job, and answer with the episode it sends back. The worker exits
// after its answer; one that does not answer within the timeout is killed. A worker that dies
// (signal, exception, out of memory) or times out is a PreviewWorkerError saying so; a bad request
// it reports comes back as the PreviewInputError naming the field.
import { PROTOCOL_VERSION, Receiver, WorkerMessage, type CommandBody, type FanJob, type LandscapeJob, type PreviewJob } from '../../src-core/contract/worker-protocol.ts';
import type { PreviewResult } from '../../src-core/contract/methods/scenes.ts';
import type { CriticalResult, FanResult, LandscapeResult } from '../../src-core/contract/methods/analysis.ts';
import type { WorkerProcess } from '../runs/host.ts';
import { PreviewInputError } from './rollout.ts';
import type { PreviewRunner } from './stored-policy.ts';

export interface PreviewWorkerOptions {
  /** Start a worker process (a WorkerHost's spawn). */
  spawn: () => WorkerProcess;
  /** Milliseconds the whole job may take, tfjs start-up included (default 60 s). */
  timeoutMs?: number;
  /** Requested tensor backend (default auto). */
  backend?: string;
  /** Preview workers alive at once (default 2); further jobs wait for a free slot. */
  maxConcurrent?: number;
}

/** The preview worker died or did not answer in time (the API's `unavailable`). */
export class PreviewWorkerError extends Error {
  override name = 'PreviewWorkerError';
}

/** At most `maxConcurrent` calls of `fn` in flight; further calls wait for a free slot. */
function limited<A, R>(maxConcurrent: number, fn: (a: A) => Promise<R>): (a: A) => Promise<R> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (a: A) => {
    if (running >= maxConcurrent) await new Promise<void>((r) => waiting.push(r));
    running++;
    try {
      return await fn(a);
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

export function workerPreviewRunner(opts: PreviewWorkerOptions): PreviewRunner {
  return limited(opts.maxConcurrent ?? 2, (job: PreviewJob) =>
    runOne<PreviewResult>({ type: 'preview', protocol: PROTOCOL_VERSION, job, ...(opts.backend ? { backend: opts.backend } : {}) }, (m) => (m.type === 'preview' ? m.result : undefined), opts),
  );
}

export type FanRunner = (job: FanJob) => Promise<FanResult>;

/** Rollout fans in the same short-lived worker processes as previews. */
export function workerFanRunner(opts: PreviewWorkerOptions): FanRunner {
  return limited(opts.maxConcurrent ?? 2, (job: FanJob) =>
    runOne<FanResult>({ type: 'fan', protocol: PROTOCOL_VERSION, job, ...(opts.backend ? { backend: opts.backend } : {}) }, (m) => (m.type === 'fan' ? m.result : undefined), opts),
  );
}

/** What a landscape job answers: one landscape or one episode's critical-state scores. */
export type LandscapeAnswer = { landscape?: LandscapeResult; critical?: CriticalResult };
export type LandscapeRunner = (job: LandscapeJob) => Promise<LandscapeAnswer>;

/** Landscape jobs (issue 15) in the same short-lived worker processes as previews. */
export function workerLandscapeRunner(opts: PreviewWorkerOptions): LandscapeRunner {
  return limited(opts.maxConcurrent ?? 2, (job: LandscapeJob) =>
    runOne<LandscapeAnswer>(
      { type: 'landscape', protocol: PROTOCOL_VERSION, job, ...(opts.backend ? { backend: opts.backend } : {}) },
      (m) => (m.type === 'landscape' ? { ...(m.landscape ? { landscape: m.landscape } : {}), ...(m.critical ? { critical: m.critical } : {}) } : undefined),
      opts,
    ),
  );
}

function runOne<R>(command: CommandBody, answer: (m: WorkerMessage) => R | undefined, opts: PreviewWorkerOptions): Promise<R> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  return new Promise<R>((resolve, reject) => {
    const proc = opts.spawn();
    const receiver = new Receiver(WorkerMessage, 'preview worker');
    const stderr: string[] = [];
    let reported: { message: string; path?: string | undefined } | null = null;
    let failure: string | null = null;
    let settled = false;
    const timer = setTimeout(() => {
      if (!settled) failure = `the preview worker did not finish within ${timeoutMs / 1000} s and was stopped`;
      proc.kill('SIGKILL');
    }, timeoutMs);
    proc.onOutput((line, stream) => {
      if (stream === 'stderr' && line.trim() !== '') stderr.push(line);
      if (stderr.length > 5) stderr.shift();
    });
    proc.onMessage((raw) => {
      let m: WorkerMessage;
      try {
        m = receiver.accept(raw);
      } catch (err) {
        failure = `the preview worker broke the protocol: ${(err as Error).message}`;
        proc.kill('SIGKILL');
        return;
      }
      const value = answer(m);
      if (value !== undefined && !settled) {
        settled = true;
        resolve(value); // the worker exits by itself; the timer kills it if it does not
      } else if (m.type === 'error') reported = { message: m.message, path: m.path };
    });
    proc.onExit((code, signal) => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      if (failure) return reject(new PreviewWorkerError(failure));
      if (reported?.path) return reject(new PreviewInputError(reported.message, reported.path));
      if (reported) return reject(new Error(reported.message)); // e.g. the file is not a checkpoint
      const how = signal ? `signal ${signal}` : `exit code ${code}`;
      reject(new PreviewWorkerError(`the preview worker exited unexpectedly (${how})${stderr.length ? `: ${stderr.slice(-3).join(' | ')}` : ''}`));
    });
    proc.send({ seq: 1, ...command });
  });
}
