// The `lab` side of Slurm runs: `lab experiment run ... --on slurm` (check, store, submit, then
// watch while ingesting), `lab runs sync`, and resume/cancel/delete of runs placed on Slurm.
// Watching never owns the runs: Ctrl-C stops watching and the tasks go on on the cluster.
import { totalSteps } from '../../src-core/contract/experiment.ts';
import type { ExpandedRun } from '../../src-core/contract/experiment.ts';
import { flagMulti, flagString, parseInteger, type ParsedArgs } from '../cli/args.ts';
import { UsageError } from '../cli/errors.ts';
import { ProgressDisplay } from '../runs/progress-display.ts';
import type { Store } from '../store/index.ts';
import type { SlurmOptions } from '../store/repos/slurm-tasks.ts';
import type { SeedBatch } from '../runs/grouping.ts';
import { ClusterIngester } from './ingest.ts';
import { shellQuote } from './job-script.ts';
import { SlurmError } from './slurm.ts';
import { cancelOnSlurm, deleteOnSlurm, isInFlight, resubmit } from './control.ts';
import { storeCall } from '../runs/cli-support.ts';
import { checkSubmission, ClusterInputError, storeAndSubmit as storeAndSubmitRuns } from './submit.ts';

/** Flags of `lab experiment run` that only a Slurm submission takes. */
export const SLURM_FLAGS = {
  on: { type: 'string' },
  workdir: { type: 'string' },
  partition: { type: 'string' },
  time: { type: 'string' },
  'cpus-per-task': { type: 'string' },
  mem: { type: 'string' },
  'sbatch-arg': { type: 'multi' },
  requeue: { type: 'boolean' },
} as const;

const POLL_MS = Number(process.env.LAB_SLURM_POLL_MS ?? 1000);

/** The Slurm options of the command line, checked against the cluster (throws UsageError). */
export function slurmRequest(args: ParsedArgs, backend: string | undefined, seedBatch?: SeedBatch): { workdir: string; options: SlurmOptions } {
  const workdir = flagString(args, 'workdir');
  if (!workdir) throw new UsageError('--on slurm needs --workdir DIR (a folder on the cluster\'s shared file system)');
  const cpus = flagString(args, 'cpus-per-task');
  const options: SlurmOptions = {
    ...(flagString(args, 'partition') !== undefined ? { partition: flagString(args, 'partition') } : {}),
    ...(flagString(args, 'time') !== undefined ? { time: flagString(args, 'time') } : {}),
    ...(cpus !== undefined ? { cpusPerTask: parseInteger(cpus, '--cpus-per-task', 1) } : {}),
    ...(flagString(args, 'mem') !== undefined ? { mem: flagString(args, 'mem') } : {}),
    sbatchArgs: flagMulti(args, 'sbatch-arg'),
    requeue: args.flags.has('requeue'),
    ...(backend !== undefined ? { backend } : {}),
    ...(seedBatch !== undefined ? { seedBatch } : {}),
  };
  try {
    return { workdir: checkSubmission(workdir, options), options };
  } catch (err) {
    if (err instanceof ClusterInputError) throw new UsageError(err.message);
    throw err;
  }
}

/** The Slurm flags of the command line as typed again (for the command that continues it). */
export function slurmFlagsText(args: ParsedArgs): string {
  const quote = (v: string) => (/^[\w./:=@%+,-]+$/.test(v) ? v : shellQuote(v));
  const parts = ['--on slurm'];
  for (const name of ['workdir', 'partition', 'time', 'cpus-per-task', 'mem'] as const) {
    const v = flagString(args, name);
    if (v !== undefined) parts.push(`--${name} ${quote(v)}`);
  }
  for (const v of flagMulti(args, 'sbatch-arg')) parts.push(`--sbatch-arg=${quote(v)}`);
  if (args.flags.has('requeue')) parts.push('--requeue');
  return ` ${parts.join(' ')}`;
}

/** Slurm flags given without `--on slurm`: say so instead of ignoring them. */
export function refuseStraySlurmFlags(args: ParsedArgs): void {
  for (const name of Object.keys(SLURM_FLAGS)) if (name !== 'on' && args.flags.has(name)) throw new UsageError(`--${name} is only for --on slurm`);
}

/** Store the experiment and its runs placed on Slurm, and submit them, all or nothing (sbatch's refusal: exit code 2). */
export function storeAndSubmit(...args: Parameters<typeof storeAndSubmitRuns>): ReturnType<typeof storeAndSubmitRuns> {
  try {
    return storeAndSubmitRuns(...args);
  } catch (err) {
    if (err instanceof SlurmError) throw new UsageError(err.message);
    throw err;
  }
}

export function describeSubmission(expId: number, name: string, runs: readonly ExpandedRun[], sub: { jobId: string; script: string; groups: number[][] }, dbPath: string): string {
  const grouped = sub.groups.filter((g) => g.length > 1).length;
  const tasks = `${sub.groups.length} array task${sub.groups.length > 1 ? 's' : ''}${grouped > 0 ? `, ${grouped} of them seed group${grouped > 1 ? 's' : ''} (${sub.groups.filter((g) => g.length > 1).map((g) => `runs ${g.join(', ')}`).join('; ')})` : ''}`;
  return `experiment ${expId} "${name}": ${runs.length} runs, ${totalSteps(runs)} environment steps, submitted to Slurm as job array ${sub.jobId} of ${tasks} (${sub.script}); database ${dbPath}\n`;
}

/**
 * Ingest the runs' folders every second and show their progress until none is queued or running.
 * Ctrl-C stops watching (the tasks go on). Returns 0 when every run completed.
 */
export async function watchSlurmRuns(store: Store, runIds: readonly number[], hint: string): Promise<number> {
  const ingester = new ClusterIngester(store, { runIds });
  const display = new ProgressDisplay(store, ingester, runIds);
  let detached = false;
  const onSigint = () => {
    detached = true;
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  display.start();
  let slurmTrouble: string | null = null;
  try {
    for (;;) {
      try {
        ingester.sync();
        slurmTrouble = null;
      } catch (err) {
        if (slurmTrouble !== (err as Error).message) display.note(`Slurm did not answer (${(err as Error).message}); retrying`);
        slurmTrouble = (err as Error).message;
      }
      if (detached || ingester.settled()) break;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    display.stop();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
  const statuses = runIds.map((id) => store.runs.get(id)?.status ?? 'cancelled');
  const count = (s: string) => statuses.filter((x) => x === s).length;
  process.stdout.write(
    `${count('completed')} completed, ${count('running')} running, ${count('queued')} queued, ${count('interrupted')} interrupted, ${count('failed')} failed, ${count('cancelled')} cancelled\n`,
  );
  for (const id of runIds) {
    const r = store.runs.get(id);
    if (r && (r.status === 'failed' || r.status === 'interrupted') && r.reason) process.stdout.write(`run ${id} ${r.status}: ${r.reason}\n`);
  }
  if (detached) {
    process.stdout.write(`stopped watching; the tasks go on on the cluster. Follow them with: ${hint}\n`);
    return 130;
  }
  if (count('interrupted') + count('failed') > 0) process.stdout.write(`resume with: lab runs resume ID (submits again; continues from the last checkpoint)\n`);
  return statuses.every((s) => s === 'completed') ? 0 : 1;
}

/** Which of `ids` are placed on Slurm. */
export function onSlurm(store: Store, ids: readonly number[]): number[] {
  return ids.filter((id) => store.slurm.get(id) !== undefined);
}

/** Which of `ids` are placed on Slurm and still queued or running there (what to watch). */
export function inFlightOnSlurm(store: Store, ids: readonly number[]): number[] {
  return onSlurm(store, ids).filter((id) => isInFlight(store.runs.require(id).status));
}

/** `lab runs sync [--experiment ID] [--wait]`: ingest every Slurm run's folder (or one experiment's). */
export async function syncRuns(store: Store, experimentId: number | undefined, wait: boolean, hint: string): Promise<number> {
  const ids = inFlightOnSlurm(store, experimentId === undefined ? store.slurm.unfinishedIds() : store.runs.idsOfExperiment(experimentId));
  if (ids.length === 0) {
    process.stdout.write('no run on Slurm is queued or running\n');
    return 0;
  }
  if (wait) return watchSlurmRuns(store, ids, hint);
  const ingester = new ClusterIngester(store, { runIds: ids });
  try {
    ingester.sync();
  } catch (err) {
    process.stderr.write(`lab: Slurm did not answer (${(err as Error).message}); folders were ingested, statuses left as they were\n`);
  }
  for (const id of ids) {
    const r = store.runs.require(id);
    const p = store.slurm.get(id)!;
    process.stdout.write(`run ${id}: ${r.status}, step ${r.globalStep}/${r.totalSteps}; Slurm ${p.jobId}_${p.taskId} ${p.state ?? '-'}${p.stateReason ? ` (${p.stateReason})` : ''}${r.reason ? `; ${r.reason}` : ''}\n`);
  }
  return 0;
}

export { cancelOnSlurm, deleteOnSlurm };

/** `lab runs resume` of runs on Slurm: submit them again, regrouped from their checkpoints (prints the job ids); returns the ids submitted. */
export async function resubmitForCli(store: Store, ids: readonly number[]): Promise<number[]> {
  const subs = await storeCall(() => resubmit(store, ids));
  for (const s of subs) {
    const groups = s.groups.length < s.runIds.length ? ` (array tasks: ${s.groups.map((g) => g.join('+')).join(', ')})` : '';
    process.stdout.write(`runs ${s.runIds.join(', ')} submitted again to Slurm as job array ${s.jobId}${groups}\n`);
  }
  return subs.flatMap((s) => s.runIds);
}
