// Control of runs placed on Slurm, shared by the CLI and the app's services: resume submits them
// again (each task continues from its run folder's newest checkpoint), cancel calls scancel, delete
// removes the run folder too. Refusals are StoreError (one line; exit 2 in the CLI, 'conflict' in
// the API).
import { rmSync } from 'node:fs';
import { StoreError, type Store } from '../store/index.ts';
import { ClusterIngester } from './ingest.ts';
import { scancel } from './slurm.ts';
import { submitRuns } from './submit.ts';

function asStoreError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof StoreError) throw err;
    throw new StoreError((err as Error).message);
  }
}

/**
 * Submit interrupted, failed or paused Slurm runs again, one job array per experiment. Runs still
 * queued or running on the cluster are left alone. Returns each submission's job id and runs.
 */
export function resubmit(store: Store, ids: readonly number[]): { jobId: string; runIds: number[] }[] {
  try {
    new ClusterIngester(store, { runIds: ids }).sync();
  } catch {
    // Slurm's state is not needed to submit again: the statuses say which runs ended
  }
  const ready = ids.filter((id) => ['interrupted', 'failed', 'paused'].includes(store.runs.require(id).status));
  const byExp = new Map<number, number[]>();
  for (const id of ready) {
    const e = store.runs.require(id).experimentId ?? 0;
    byExp.set(e, [...(byExp.get(e) ?? []), id]);
  }
  return [...byExp].map(([expId, runIds]) => ({ jobId: asStoreError(() => store.tx(() => submitRuns(store, expId, runIds))).jobId, runIds }));
}

/** Cancel a Slurm run: scancel its task (if queued or running) and mark it cancelled; what was stored is kept. */
export function cancelOnSlurm(store: Store, id: number): void {
  try {
    new ClusterIngester(store, { runIds: [id] }).sync();
  } catch {
    // cancelling does not need Slurm's state
  }
  const run = store.runs.require(id);
  const p = store.slurm.get(id);
  if (!p) throw new StoreError(`run ${id} is not placed on Slurm`);
  if (run.status === 'completed' || run.status === 'cancelled') throw new StoreError(`run ${id} is already ${run.status}`);
  if (['queued', 'running'].includes(run.status) && p.jobId !== null) asStoreError(() => scancel(p.jobId!, p.taskId!));
  store.tx(() => {
    store.slurm.markCancelRequested(id);
    store.runs.markEnded(id, 'cancelled', p.jobId !== null ? `cancelled by the user (scancel ${p.jobId}_${p.taskId})` : 'cancelled by the user');
  });
}

/** Remove a deleted Slurm run's folder from the shared DIR. */
export function removeRunFolder(folder: string): void {
  rmSync(folder, { recursive: true, force: true });
}
