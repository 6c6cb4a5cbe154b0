// Drivers of Slurm's commands (sbatch, squeue, scontrol, scancel, sacct, sinfo) with the parsing of
// their answers. The lab does not schedule anything: it asks Slurm and reads what Slurm says.
// Each call runs the command synchronously (they answer in milliseconds; the single writer calls
// them between transactions), with Slurm's own error text in the SlurmError it throws.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export class SlurmError extends Error {}

/** The array task of a job as Slurm reports it. */
export interface TaskState {
  taskId: number;
  /** PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, PREEMPTED, NODE_FAIL, OUT_OF_MEMORY, ... */
  state: string;
  /** Slurm's reason (e.g. Resources, NonZeroExitCode, TimeLimit), or null for None. */
  reason: string | null;
  /** ExitCode as `code:signal` when Slurm gives one. */
  exitCode: string | null;
  /** How many times Slurm requeued it. */
  restarts: number;
}

/** States after which a task runs no more (unless requeued). */
export const ENDED_STATES = ['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'PREEMPTED', 'NODE_FAIL', 'OUT_OF_MEMORY', 'BOOT_FAIL', 'DEADLINE', 'REVOKED', 'SPECIAL_EXIT'];

/** The directory on PATH holding `name`, or null. */
export function onPath(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return null;
}

function run(cmd: string, args: readonly string[], input?: string): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input, timeout: 60_000 });
  if (r.error) throw new SlurmError(`${cmd} could not run: ${(r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found on PATH' : r.error.message}`);
  return { status: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Slurm's error text made one line (its `sbatch: error:` prefixes dropped). */
function oneLine(stderr: string, stdout = ''): string {
  const text = (stderr.trim() || stdout.trim()).split('\n').map((l) => l.replace(/^\w+: error: /, '').trim()).filter(Boolean);
  return [...new Set(text)].join('; ') || 'no message';
}

/** Submit a batch script; returns the job id (`sbatch --parsable` prints `id` or `id;cluster`). */
export function sbatch(script: string, args: readonly string[] = []): string {
  const r = run('sbatch', ['--parsable', ...args, script]);
  if (r.status !== 0) throw new SlurmError(`sbatch refused the job: ${oneLine(r.stderr, r.stdout)}`);
  const id = r.stdout.trim().split('\n').at(-1)!.split(';')[0]!;
  if (!/^\d+$/.test(id)) throw new SlurmError(`sbatch answered '${r.stdout.trim()}', not a job id`);
  return id;
}

/** Partition names this cluster has (scontrol show partition). */
export function partitions(): string[] {
  const r = run('scontrol', ['show', 'partition', '-o']);
  if (r.status !== 0) throw new SlurmError(`scontrol show partition failed: ${oneLine(r.stderr)}`);
  return [...r.stdout.matchAll(/^PartitionName=(\S+)/gm)].map((m) => m[1]!);
}

/** The number of nodes of a partition (or of the default partition when none is named). */
export function partitionNodeCount(partition?: string): number {
  const r = run('sinfo', ['-h', '-o', '%D %P', ...(partition ? ['-p', partition] : [])]);
  if (r.status !== 0) throw new SlurmError(`sinfo failed: ${oneLine(r.stderr)}`);
  let n = 0;
  for (const line of r.stdout.trim().split('\n')) {
    const [count, name] = line.trim().split(/\s+/);
    if (!count || !name) continue;
    if (partition || name.endsWith('*')) n += Number(count);
  }
  return n;
}

/** `key=value key=value ...` of one `scontrol show job -o` line (values without spaces, except Command). */
export function parseScontrolLine(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of line.matchAll(/(?:^|\s)([A-Za-z/:]+)=(\S*)/g)) out[m[1]!] = m[2]!;
  return out;
}

/** Tasks of an array job from `scontrol show job -o` output (one line per task, pending ones may be grouped as `[2-5]`). */
export function parseScontrolJobs(text: string): TaskState[] {
  const out: TaskState[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes('JobId=')) continue;
    const f = parseScontrolLine(line);
    const reason = f.Reason && f.Reason !== 'None' ? f.Reason : null;
    const base = {
      state: f.JobState ?? 'UNKNOWN',
      reason,
      exitCode: f.ExitCode ?? null,
      restarts: Number(f.Restarts ?? 0),
    };
    for (const id of expandTaskIds(f.ArrayTaskId ?? '')) out.push({ taskId: id, ...base });
  }
  return out;
}

/** `3`, `0-4`, `[0-2,5]`, `0-9%2` -> the task indices. */
export function expandTaskIds(spec: string): number[] {
  const ids: number[] = [];
  for (const part of spec.replace(/[[\]]/g, '').split('%')[0]!.split(',')) {
    if (!part) continue;
    const [a, b] = part.split('-').map(Number);
    if (a === undefined || !Number.isInteger(a)) continue;
    for (let i = a; i <= (b ?? a); i++) ids.push(i);
  }
  return ids;
}

/** Every task of array job `jobId` that slurmctld still knows (finished tasks stay for MinJobAge). */
export function scontrolShowJob(jobId: string): TaskState[] {
  const r = run('scontrol', ['show', 'job', '-o', jobId]);
  if (r.status !== 0) {
    if (/Invalid job id/i.test(r.stderr)) return [];
    throw new SlurmError(`scontrol show job ${jobId} failed: ${oneLine(r.stderr)}`);
  }
  return parseScontrolJobs(r.stdout);
}

/** `squeue -h -o %K|%T|%r` lines -> tasks (pending tasks may come grouped, e.g. `[2-3]`). */
export function parseSqueue(text: string): TaskState[] {
  const out: TaskState[] = [];
  for (const line of text.split('\n')) {
    const [ids, state, reason] = line.trim().split('|');
    if (!ids || !state) continue;
    for (const id of expandTaskIds(ids)) out.push({ taskId: id, state, reason: reason && reason !== 'None' ? reason : null, exitCode: null, restarts: 0 });
  }
  return out;
}

/** Tasks of `jobId` still queued or running. */
export function squeue(jobId: string): TaskState[] {
  const r = run('squeue', ['-h', '-r', '-j', jobId, '-o', '%K|%T|%r']);
  if (r.status !== 0) {
    if (/Invalid job id/i.test(r.stderr)) return [];
    throw new SlurmError(`squeue -j ${jobId} failed: ${oneLine(r.stderr)}`);
  }
  return parseSqueue(r.stdout);
}

/** `sacct -n -P -X -o JobID,State,ExitCode` lines -> tasks; null where accounting is disabled. */
export function parseSacct(text: string): TaskState[] {
  const out: TaskState[] = [];
  for (const line of text.split('\n')) {
    const [jobId, state, exitCode] = line.trim().split('|');
    const m = /_(\d+)$/.exec(jobId ?? '');
    if (!m || !state) continue;
    // sacct writes "CANCELLED by 0": the state is the first word, the rest is its reason
    const [word, ...rest] = state.split(' ');
    out.push({ taskId: Number(m[1]), state: word!, reason: rest.join(' ') || null, exitCode: exitCode ?? null, restarts: 0 });
  }
  return out;
}

/** Tasks of `jobId` from accounting, or null when the cluster keeps no accounting (sacct says so). */
export function sacct(jobId: string): TaskState[] | null {
  let r;
  try {
    r = run('sacct', ['-n', '-P', '-X', '-j', jobId, '-o', 'JobID,State,ExitCode']);
  } catch {
    return null;
  }
  if (r.status !== 0 || /accounting storage is disabled/i.test(r.stderr + r.stdout)) return null;
  return parseSacct(r.stdout);
}

/**
 * The state of each task of `jobId`: squeue for what is queued or running, scontrol for what ended
 * recently (and the reason), sacct where accounting answers; later sources fill what earlier ones lack.
 */
export function jobTasks(jobId: string): Map<number, TaskState> {
  const byTask = new Map<number, TaskState>();
  for (const t of sacct(jobId) ?? []) byTask.set(t.taskId, t);
  for (const t of scontrolShowJob(jobId)) byTask.set(t.taskId, t);
  for (const t of squeue(jobId)) byTask.set(t.taskId, { ...(byTask.get(t.taskId) ?? t), state: t.state, reason: t.reason });
  return byTask;
}

/** Cancel one array task (`JOB_TASK`), or the whole job. */
export function scancel(jobId: string, taskId?: number): void {
  const target = taskId === undefined ? jobId : `${jobId}_${taskId}`;
  const r = run('scancel', [target]);
  if (r.status !== 0) throw new SlurmError(`scancel ${target} failed: ${oneLine(r.stderr)}`);
}
