// Sending runs to Slurm: checks that the cluster can take them (sbatch on PATH, the partition
// exists, DIR is a writable folder the nodes can see), groups them into seed groups the way the
// local run manager does (src-main/runs/grouping.ts: same config but the seed, same resume step),
// writes each run's folder and task file and one job array script (one array task per group), and
// submits it with sbatch, recording the job id and each run's task index in the store. The caller wraps it in the transaction that stores the runs, so a refusal
// (bad input, sbatch error) stores nothing; files written for a refused submission are removed.
import { accessSync, constants, existsSync, mkdirSync, readdirSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SLURM_MEM, SLURM_TIME } from '../../src-core/contract/methods/experiments.ts';
import type { ExpandedRun } from '../../src-core/contract/experiment.ts';
import type { Store } from '../store/index.ts';
import type { SlurmOptions } from '../store/repos/slurm-tasks.ts';
import { seedBatchLimit, takeSeedGroup } from '../runs/grouping.ts';
import { jobScriptText } from './job-script.ts';
import { checkpointSteps, CONTROL_FILE, experimentDir, readTaskFile, runFolder, TASK_FILE, writeAtomic, type TaskFile } from './run-folder.ts';
import { onPath, partitionNodeCount, partitions, sbatch } from './slurm.ts';

/** Bad input for a cluster submission: one line, exit code 2 in the CLI, 'invalid' in the API. */
export class ClusterInputError extends Error {}

export const LAB_ENTRY = new URL('../../bin/lab.js', import.meta.url).pathname;

// statfs magic numbers: memory file systems are never shared; local disks are not shared between nodes.
const MEMORY_FS: Record<number, string> = { 0x01021994: 'tmpfs', 0x858458f6: 'ramfs' };
const LOCAL_FS: Record<number, string> = { 0xef53: 'ext2/3/4', 0x58465342: 'xfs', 0x9123683e: 'btrfs', 0x794c7630: 'overlayfs', 0xf2f52010: 'f2fs', 0x2fc12fc1: 'zfs' };

/** Check every input before anything is stored or submitted; throws ClusterInputError naming what is wrong. */
export function checkSubmission(workdir: string, o: SlurmOptions): string {
  if (!onPath('sbatch')) throw new ClusterInputError('sbatch is not on PATH: this machine cannot submit to Slurm (run the lab on a login node of the cluster)');
  const dir = resolve(workdir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ClusterInputError(`--workdir ${workdir} is not an existing folder (create it on the cluster's shared file system)`);
  try {
    accessSync(dir, constants.W_OK);
    const probe = join(dir, `.lab-write-probe-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (err) {
    throw new ClusterInputError(`--workdir ${workdir} is not writable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (o.time !== undefined && !SLURM_TIME.test(o.time)) throw new ClusterInputError(`--time: '${o.time}' is not a Slurm time limit like 12:00:00 or 1-00:00:00`);
  if (o.mem !== undefined && !SLURM_MEM.test(o.mem)) throw new ClusterInputError(`--mem: '${o.mem}' is not a Slurm memory size like 4G or 4000M`);
  let names: string[];
  try {
    names = partitions();
  } catch (err) {
    throw new ClusterInputError(`cannot reach Slurm: ${(err as Error).message}`);
  }
  if (o.partition !== undefined && !names.includes(o.partition)) throw new ClusterInputError(`unknown partition '${o.partition}' (this cluster has: ${names.join(', ') || 'none'})`);
  const type = statfsSync(dir).type;
  if (MEMORY_FS[type]) throw new ClusterInputError(`--workdir ${workdir} is on ${MEMORY_FS[type]}, a memory file system of this machine: the nodes cannot see it (use a folder on the cluster's shared file system)`);
  const nodes = partitionNodeCount(o.partition);
  if (LOCAL_FS[type] && nodes > 1) {
    throw new ClusterInputError(`--workdir ${workdir} is on a local ${LOCAL_FS[type]} disk but ${o.partition ? `partition ${o.partition}` : 'the default partition'} has ${nodes} nodes: they cannot see it (use a folder on the shared file system)`);
  }
  return dir;
}

export interface Submission {
  jobId: string;
  script: string;
  /** Run ids per array task (task i trains groups[i]). */
  groups: number[][];
}

/** Memory per CPU assumed for a task submitted without --mem, when choosing the automatic seed group size. */
export const ASSUMED_MEM_PER_CPU = 2 * 2 ** 30;

/** Bytes a task may use: its --mem (Slurm's unit is megabytes when none is given), else ASSUMED_MEM_PER_CPU per CPU. */
export function taskMemoryBytes(o: SlurmOptions): number {
  const m = o.mem ? /^(\d+)([KMGT]?)$/i.exec(o.mem) : null;
  if (!m) return ASSUMED_MEM_PER_CPU * (o.cpusPerTask ?? 1);
  return Number(m[1]) * 1024 ** ('KMGT'.indexOf((m[2] || 'M').toUpperCase()) + 1);
}

/**
 * The array tasks of a submission: seed groups taken in run order by the run manager's rule
 * (takeSeedGroup), each run's resume step being its folder's newest checkpoint; the group size is
 * the submission's --seed-batch, else the run's own seed_batch, else auto within the task's memory.
 */
export function slurmGroups(store: Store, runIds: readonly number[], options: SlurmOptions): number[][] {
  const queue = [...runIds];
  const groups: number[][] = [];
  while (queue.length > 0) {
    groups.push(
      takeSeedGroup(
        queue,
        (id) => store.runs.get(id)?.config,
        (id) => checkpointSteps(store.slurm.get(id)!.folder).at(-1) ?? -1,
        (config) => seedBatchLimit(config, options.seedBatch, 1, taskMemoryBytes(options)),
      ),
    );
  }
  return groups;
}

/**
 * Write the folders and script of `runIds` (all of experiment `experimentId`, placed on Slurm) and
 * submit them as one job array, one task per seed group. Call inside store.tx: if sbatch refuses,
 * the files are removed and the error propagates (rolling back the transaction).
 */
export function submitRuns(store: Store, experimentId: number, runIds: readonly number[], appVersion?: string): Submission {
  const first = store.slurm.get(runIds[0]!);
  if (!first) throw new Error(`run ${runIds[0]} has no Slurm placement`);
  const { workdir, options } = first;
  const expDir = experimentDir(workdir, experimentId);
  const logDir = join(expDir, 'logs');
  const expDirIsNew = !existsSync(expDir);
  mkdirSync(logDir, { recursive: true });
  const created: string[] = [];
  const previous = new Map<string, TaskFile>();
  const groups = slurmGroups(store, runIds, options);
  const tasks = groups.map((group) =>
    group.map((id) => {
      const p = store.slurm.get(id)!;
      const run = store.runs.require(id);
      if (!existsSync(p.folder)) {
        mkdirSync(p.folder, { recursive: true });
        created.push(p.folder);
      } else if (existsSync(join(p.folder, TASK_FILE))) previous.set(p.folder, readTaskFile(p.folder));
      rmSync(join(p.folder, CONTROL_FILE), { force: true }); // a stop request of an earlier submission
      const attempt = p.jobId === null ? 1 : p.attempt + 1;
      const task: TaskFile = { runId: id, config: run.config, backend: options.backend ?? run.config.backend ?? 'auto', attempt, ...(appVersion ? { appVersion } : {}) };
      writeAtomic(join(p.folder, TASK_FILE), `${JSON.stringify(task)}\n`);
      return p.folder;
    }),
  );
  const n = readdirSync(expDir).filter((f) => /^submit-\d+\.sh$/.test(f)).length + 1;
  const script = join(expDir, `submit-${n}.sh`);
  writeFileSync(script, jobScriptText({ name: `lab-exp${experimentId}`, tasks, logDir, options, labEntry: LAB_ENTRY }), { mode: 0o755 });
  let jobId: string;
  try {
    jobId = sbatch(script, options.sbatchArgs);
  } catch (err) {
    for (const f of created) rmSync(f, { recursive: true, force: true });
    for (const [f, t] of previous) writeAtomic(join(f, TASK_FILE), `${JSON.stringify(t)}\n`);
    rmSync(script, { force: true });
    if (expDirIsNew) rmSync(expDir, { recursive: true, force: true });
    throw err;
  }
  groups.forEach((group, i) => {
    for (const id of group) {
      const p = store.slurm.get(id)!;
      store.slurm.setSubmitted(id, jobId, i, p.jobId === null ? 1 : p.attempt + 1);
      if (store.runs.require(id).status !== 'queued') store.runs.setStatus(id, 'queued', null);
      const others = group.filter((o) => o !== id);
      const with_ = others.length > 0 ? `, a seed group with run${others.length > 1 ? 's' : ''} ${others.join(', ')}` : '';
      store.logs.insert(id, 'info', `submitted to Slurm: job ${jobId} task ${i}${with_} (${script})`);
    }
  });
  return { jobId, script, groups };
}

/** Place new runs on Slurm (rows only; submitRuns writes their folders). */
export function placeRuns(store: Store, experimentId: number, runIds: readonly number[], workdir: string, options: SlurmOptions): void {
  for (const id of runIds) store.slurm.insert(id, workdir, runFolder(workdir, experimentId, id), options);
}

/** Store an experiment and its runs placed on Slurm, and submit them, all or nothing (one transaction; a refusal stores nothing). */
export function storeAndSubmit(
  store: Store,
  spec: { name: string; description: string; tags: string[] },
  specValue: unknown,
  text: string,
  runs: readonly ExpandedRun[],
  req: { workdir: string; options: SlurmOptions },
): Submission & { expId: number; runIds: number[] } {
  return store.tx(() => {
    const expId = store.experiments.insert({ name: spec.name, description: spec.description, spec: specValue as never, source: text, tags: spec.tags });
    const runIds = runs.map((r) => store.runs.insert(r.config, { experimentId: expId, label: r.label, tags: spec.tags }));
    placeRuns(store, expId, runIds, req.workdir, req.options);
    return { expId, runIds, ...submitRuns(store, expId, runIds) };
  });
}
