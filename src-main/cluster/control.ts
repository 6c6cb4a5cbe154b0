// Control of runs placed on Slurm, shared by the CLI and the app's services: resume submits them
// again, regrouped into seed groups from their checkpoints (each task continues from its run
// folders' newest common checkpoint), cancel calls scancel (or stops one run of a seed group alone
// through its control file), delete stops the task first and removes the run folder too. Refusals
// are StoreError (one line; exit 2 in the CLI, 'conflict' in the API).
import { rmSync } from 'node:fs';
import { StoreError, type Store } from '../store/index.ts';
import { ClusterIngester } from './ingest.ts';
import { scancel } from './slurm.ts';
import { submitRuns } from './submit.ts';
import { writeControl } from './run-folder.ts';
import type { SlurmTaskRecord } from '../store/repos/slurm-tasks.ts';
import type { RunStatus } from '../store/repos/runs.ts';

function asStoreError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof StoreError) throw err;
    throw new StoreError((err as Error).message);
  }
}

/** Statuses of a Slurm run that a new submission continues (Slurm has ended its task). */
export const RESUBMITTABLE: readonly RunStatus[] = ['interrupted', 'failed', 'paused'];

/** Whether a Slurm run's task is still queued or running on the cluster (undefined: no such run). */
export function isInFlight(status: RunStatus | undefined): boolean {
  return status === 'queued' || status === 'running';
}

/**
 * Submit interrupted, failed or paused Slurm runs again, one job array per experiment. Runs still
 * queued or running on the cluster are left alone. Returns each submission's job id and runs.
 */
export function resubmit(store: Store, ids: readonly number[]): { jobId: string; runIds: number[]; groups: number[][] }[] {
  try {
    new ClusterIngester(store, { runIds: ids }).sync();
  } catch {
    // Slurm's state is not needed to submit again: the statuses say which runs ended
  }
  const ready = ids.filter((id) => RESUBMITTABLE.includes(store.runs.require(id).status));
  const byExp = new Map<number, number[]>();
  for (const id of ready) {
    const e = store.runs.require(id).experimentId ?? 0;
    byExp.set(e, [...(byExp.get(e) ?? []), id]);
  }
  return [...byExp].map(([expId, runIds]) => {
    const { jobId, groups } = asStoreError(() => store.tx(() => submitRuns(store, expId, runIds)));
    return { jobId, runIds, groups };
  });
}

/** The other runs of a run's array task still queued or running: its seed group, which goes on without it. */
function liveGroupmates(store: Store, p: SlurmTaskRecord): number[] {
  if (p.jobId === null || p.taskId === null) return [];
  return store.slurm.runsOfTask(p.jobId, p.taskId).filter((o) => o !== p.runId && isInFlight(store.runs.get(o)?.status));
}

/**
 * Cancel a Slurm run and mark it cancelled; what was stored is kept. A run alone in its task (or
 * the last live run of a seed group) is stopped with scancel; a run whose seed group goes on is
 * stopped alone through its folder's control file, which the task polls (for 'delete' the task
 * then removes the folder itself, so nothing writes a removed folder). Returns the reason stored,
 * and whether the run's task goes on with the rest of its group.
 */
export function cancelOnSlurm(store: Store, id: number, action: 'cancel' | 'delete' = 'cancel'): { reason: string; groupGoesOn: boolean } {
  try {
    new ClusterIngester(store, { runIds: [id] }).sync();
  } catch {
    // cancelling does not need Slurm's state
  }
  const run = store.runs.require(id);
  const p = store.slurm.get(id);
  if (!p) throw new StoreError(`run ${id} is not placed on Slurm`);
  if (run.status === 'completed' || run.status === 'cancelled') throw new StoreError(`run ${id} is already ${run.status}`);
  let reason = 'cancelled by the user';
  let groupGoesOn = false;
  if (isInFlight(run.status) && p.jobId !== null) {
    const mates = liveGroupmates(store, p);
    groupGoesOn = mates.length > 0;
    if (groupGoesOn) {
      asStoreError(() => writeControl(p.folder, action));
      reason = `cancelled by the user; its seed group's Slurm task ${p.jobId}_${p.taskId} goes on with run${mates.length > 1 ? 's' : ''} ${mates.join(', ')}`;
    } else {
      asStoreError(() => scancel(p.jobId!, p.taskId!));
      reason = `cancelled by the user (scancel ${p.jobId}_${p.taskId})`;
    }
  }
  store.tx(() => {
    store.slurm.markCancelRequested(id);
    store.runs.markEnded(id, 'cancelled', reason);
  });
  return { reason, groupGoesOn };
}

/**
 * Delete a Slurm run: stop its task first if it is queued or running (never an orphan job writing
 * the folder), then delete its rows (`deleteRows`: the run manager's delete), then its run folder
 * (unless a running seed-group task removes it once it has dropped the run). Returns what happened
 * on Slurm, one line for the user (empty when the run had ended).
 */
export async function deleteOnSlurm(store: Store, id: number, deleteRows: () => Promise<void>): Promise<string> {
  const p = store.slurm.get(id);
  if (!p) throw new StoreError(`run ${id} is not placed on Slurm`);
  const live = isInFlight(store.runs.require(id).status);
  const { groupGoesOn } = live ? cancelOnSlurm(store, id, 'delete') : { groupGoesOn: false };
  const taskStarted = store.slurm.get(id)?.state === 'RUNNING';
  await deleteRows();
  // a group task not yet started skips a missing folder; a running one removes it itself
  if (!(groupGoesOn && taskStarted)) removeRunFolder(p.folder);
  if (!live || p.jobId === null) return '';
  return groupGoesOn
    ? `its Slurm task ${p.jobId}_${p.taskId} goes on with the rest of its seed group and drops this run${taskStarted ? ' (the task removes its folder)' : ''}`
    : `its Slurm task ${p.jobId}_${p.taskId} was cancelled (scancel)`;
}

/** Remove a deleted Slurm run's folder from the shared DIR. */
export function removeRunFolder(folder: string): void {
  rmSync(folder, { recursive: true, force: true });
}
