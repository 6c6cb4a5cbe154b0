// `lab cluster task FOLDER...`: what a Slurm array task runs on its node (the job script the lab
// submits calls it; docs/cluster.md). It trains the runs the folders' task.json files name (one
// run, or a seed group as one seed-batched computation) and writes only those folders (reports,
// checkpoints, heartbeat); it never opens the database.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from '../errors.ts';

export const summary = 'on a cluster node: train the runs of run folders, one run or a seed group (called by the job script of --on slurm)';

export async function run(argv: string[]): Promise<number> {
  const [sub, ...folders] = argv;
  if (sub !== 'task' || folders.length === 0) throw new UsageError('usage: lab cluster task FOLDER... (run by the job array script of lab experiment run --on slurm)');
  // a folder of a deleted run may be gone (the task skips it); none there at all means DIR is not mounted
  if (!folders.some((f) => existsSync(f)) && !folders.some((f) => existsSync(dirname(f)))) {
    throw new UsageError(`run folder ${folders[0]} does not exist on this node (is the shared DIR mounted here?)`);
  }
  const [{ runClusterTask }, { engineDeps }] = await Promise.all([import('../../cluster/task.ts'), import('../../worker/engine-deps.ts')]);
  try {
    runClusterTask(folders, engineDeps);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return new Promise<number>(() => {}); // the worker exits the process when the run stops
}
