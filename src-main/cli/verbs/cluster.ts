// `lab cluster task FOLDER`: what a Slurm array task runs on its node (the job script the lab
// submits calls it; docs/cluster.md). It trains the run its folder's task.json names and writes
// only that folder (reports, checkpoints, heartbeat); it never opens the database.
import { existsSync } from 'node:fs';
import { UsageError } from '../errors.ts';

export const summary = 'on a cluster node: train the run of a run folder (called by the job script of --on slurm)';

export async function run(argv: string[]): Promise<number> {
  const [sub, folder, ...rest] = argv;
  if (sub !== 'task' || !folder || rest.length > 0) throw new UsageError('usage: lab cluster task FOLDER (run by the job array script of lab experiment run --on slurm)');
  if (!existsSync(folder)) throw new UsageError(`run folder ${folder} does not exist on this node (is the shared DIR mounted here?)`);
  const [{ runClusterTask }, { engineDeps }] = await Promise.all([import('../../cluster/task.ts'), import('../../worker/engine-deps.ts')]);
  try {
    runClusterTask(folder, engineDeps);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return new Promise<number>(() => {}); // the worker exits the process when the run stops
}
