// `lab reproduce ... --on slurm --workdir DIR` (src-main/cli/verbs/reproduce.ts): the campaign's
// unfinished runs go to a Slurm cluster instead of the local run manager, so a campaign of days
// (SAC-AdaEnt's cells) runs where there are cores for it. Each task's experiment that is new is
// stored with its runs placed on Slurm and submitted in one transaction (sbatch refusing stores
// nothing of that task). Of a task already in the store: runs that ended on the cluster
// (interrupted, failed, paused) are submitted again and continue from their checkpoints; runs still
// queued or running there are left alone; runs stored locally that never trained are placed on
// Slurm. A run that trained locally is refused before anything is submitted: its checkpoints are in
// this machine's store, not in a run folder the nodes can read. So the same command, run again,
// takes the campaign on from wherever it stands.
import { StoreError, type Store } from '../store/index.ts';
import type { SlurmOptions } from '../store/repos/slurm-tasks.ts';
import { RESUMABLE } from '../store/repos/runs.ts';
import { RESUBMITTABLE } from './control.ts';
import { ClusterIngester } from './ingest.ts';
import { placeRuns, submitRuns, type Submission } from './submit.ts';

/** A task of the campaign: its experiment in the store, or null with how to store it (inside a transaction). */
export interface CampaignTask {
  task: string;
  /** The experiment's name (for the submission line). */
  name: string;
  experimentId: number | null;
  insert: () => number;
}

export interface TaskSubmission extends Submission {
  task: string;
  name: string;
  experimentId: number;
  runIds: number[];
}

/** Runs of `ids` stored locally (no Slurm placement) that trained: they cannot move to the cluster. */
function trainedLocally(store: Store, ids: readonly number[]): number[] {
  return ids.filter((id) => {
    const r = store.runs.require(id);
    return store.slurm.get(id) === undefined && r.status !== 'completed' && r.status !== 'cancelled' && (r.globalStep > 0 || r.status === 'running');
  });
}

/**
 * Submit what is left of the campaign (see the header). Throws StoreError, before submitting
 * anything, when a task has runs that trained locally. Returns each task's experiment id and the
 * submissions made (tasks with nothing to submit have none).
 */
export function submitCampaign(store: Store, tasks: readonly CampaignTask[], req: { workdir: string; options: SlurmOptions }): { experimentIds: number[]; submissions: TaskSubmission[] } {
  for (const t of tasks) {
    if (t.experimentId === null) continue;
    const local = trainedLocally(store, store.runs.idsOfExperiment(t.experimentId));
    if (local.length > 0) {
      const steps = local.map((id) => `${id} at step ${store.runs.require(id).globalStep}`).join(', ');
      throw new StoreError(
        `${t.task}: run${local.length > 1 ? 's' : ''} ${steps} of experiment ${t.experimentId} trained on this machine; their checkpoints are in this store, not in a run folder the cluster can read. Finish them here (the same command without --on slurm), or delete them (lab runs delete ID) and run this again`,
      );
    }
  }
  const placed = tasks.flatMap((t) => (t.experimentId === null ? [] : store.runs.idsOfExperiment(t.experimentId).filter((id) => store.slurm.get(id) !== undefined)));
  try {
    if (placed.length > 0) new ClusterIngester(store, { runIds: placed }).sync();
  } catch {
    // Slurm not answering leaves the statuses as stored; runs it has not ended stay queued or running, and are not submitted twice
  }
  const experimentIds: number[] = [];
  const submissions: TaskSubmission[] = [];
  for (const t of tasks) {
    const sub = store.tx(() => {
      const expId = t.experimentId ?? t.insert();
      experimentIds.push(expId);
      const ids = store.runs.idsOfExperiment(expId);
      const fresh = ids.filter((id) => store.slurm.get(id) === undefined && RESUMABLE.includes(store.runs.require(id).status));
      const ended = ids.filter((id) => store.slurm.get(id) !== undefined && RESUBMITTABLE.includes(store.runs.require(id).status));
      if (fresh.length + ended.length === 0) return null;
      placeRuns(store, expId, fresh, req.workdir, req.options);
      const runIds = ids.filter((id) => fresh.includes(id) || ended.includes(id));
      return { task: t.task, name: t.name, experimentId: expId, runIds, ...submitRuns(store, expId, runIds) };
    });
    if (sub) submissions.push(sub);
  }
  return { experimentIds, submissions };
}
