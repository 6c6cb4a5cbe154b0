// What the `lab` verbs that use the store share: opening it with one-line errors (exit 2), and
// driving the run manager in the terminal (progress lines, Ctrl-C pauses cleanly).
import { UsageError } from '../cli/errors.ts';
import { openStore, StoreError, type Store } from '../store/index.ts';
import { resolveDbPath } from '../store/location.ts';
import { NodeWorkerHost } from './host.ts';
import { RunManager } from './manager.ts';
import type { SeedBatch } from './grouping.ts';
import { ProgressDisplay } from './progress-display.ts';

/**
 * Open the store named by --db / LAB_DB / the default; a bad path is a UsageError. Commands that
 * only read or change existing runs pass mustExist, so a mistyped path creates nothing.
 */
export function openStoreForCli(dbFlag: string | undefined, opts: { mustExist?: boolean } = {}): Store {
  try {
    return openStore(resolveDbPath(dbFlag), opts);
  } catch (err) {
    if (err instanceof StoreError) throw new UsageError(err.message);
    throw err;
  }
}

/** Run a store operation; StoreError (unknown id, wrong state) becomes a UsageError. */
export async function storeCall<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof StoreError) throw new UsageError(err.message);
    throw err;
  }
}

export function parseId(text: string | undefined, what = 'run id'): number {
  const n = Number(text);
  if (text === undefined || !Number.isInteger(n) || n < 1) throw new UsageError(`${what}: '${text ?? ''}' is not a positive integer`);
  return n;
}

export interface DriveOptions {
  concurrency?: number;
  backend?: string;
  /** Seed groups for every run (`--seed-batch`); default: each run's own setting, else auto. */
  seedBatch?: SeedBatch;
  /** How to resume what Ctrl-C paused (printed). */
  resumeHint: string;
  /** Called at each status change of a run (after the store has it), e.g. to act when a group of runs has completed. */
  onStatus?: (runId: number, status: string) => void;
}

/**
 * Queue `runIds`, show progress until everything has finished, and handle Ctrl-C: the first pauses
 * every running run (each writes a checkpoint), the second kills the workers (runs interrupted,
 * resumable from their last checkpoint). Returns the exit code: 0 when every run completed.
 */
export async function driveRuns(store: Store, runIds: readonly number[], opts: DriveOptions): Promise<number> {
  const manager = new RunManager({ store, host: new NodeWorkerHost(), concurrency: opts.concurrency, backend: opts.backend, seedBatch: opts.seedBatch });
  const display = new ProgressDisplay(store, manager, runIds);
  let interrupted = 0;
  const onSigint = () => {
    interrupted++;
    if (interrupted === 1) {
      display.note('pausing: each running run writes a checkpoint (Ctrl-C again to stop at once)');
      void manager.shutdown('pause');
    } else {
      display.note('stopping at once; runs resume from their last checkpoint');
      void manager.shutdown('kill');
    }
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  if (opts.onStatus) manager.on('status', (e) => opts.onStatus!(e.runId, e.status));
  try {
    await storeCall(() => manager.enqueue(runIds));
    display.start();
    await manager.waitIdle();
  } finally {
    display.stop();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
  const statuses = runIds.map((id) => store.runs.get(id)?.status ?? 'cancelled');
  const count = (s: string) => statuses.filter((x) => x === s).length;
  const stopped = count('paused') + count('queued') + count('interrupted');
  process.stdout.write(
    `${count('completed')} completed, ${count('paused') + count('queued')} paused or queued, ${count('interrupted')} interrupted, ${count('failed')} failed, ${count('cancelled')} cancelled\n`,
  );
  for (const id of runIds) {
    const r = store.runs.get(id);
    if (r && (r.status === 'failed' || r.status === 'interrupted') && r.reason) process.stdout.write(`run ${id} ${r.status}: ${r.reason}\n`);
  }
  if (stopped > 0) process.stdout.write(`resume with: ${opts.resumeHint}\n`);
  if (interrupted > 0) return 130; // stopped by Ctrl-C (the conventional 128 + SIGINT)
  return statuses.every((s) => s === 'completed') ? 0 : 1;
}
