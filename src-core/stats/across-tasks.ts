// rliable's aggregate metrics over several environments (tasks) per group, on normalised scores:
// mean and median of the per-task means, IQM and optimality gap (gamma = 1) over all runs pooled,
// each with its stratified-bootstrap interval (runs resampled within each task; task-aggregate.ts).
// Only the environments every group ran are aggregated, so that each group's numbers are over the
// same tasks (rliable's score matrix is runs x tasks); the others are named, never pooled silently.
import type { BootstrapOptions, Interval } from './bootstrap.ts';
import { resolveBootstrap } from './bootstrap.ts';
import { hashString } from './final-table.ts';
import { taskAggregateCI } from './task-aggregate.ts';

export interface AcrossTasksGroup {
  group: string;
  /** Runs pooled over the common environments. */
  runs: number;
  mean: Interval;
  median: Interval;
  iqm: Interval;
  /** Mean shortfall below the normalised score 1: rliable's optimality gap with gamma = 1 (lower is better). */
  optimalityGap: Interval;
}

export interface AcrossTasks {
  /** The environments aggregated: those every group ran. */
  envs: string[];
  /** Environments left out, each with the groups that have no run there. */
  left: { env: string; missing: string[] }[];
  groups: AcrossTasksGroup[];
}

/**
 * `scores(env, group)`: the normalised scores of a group's runs in an environment (empty: none).
 * Null where fewer than two environments are common to every group (nothing to aggregate over).
 */
export function acrossTasks(envs: readonly string[], groups: readonly string[], scores: (env: string, group: string) => readonly number[], options: BootstrapOptions = {}): AcrossTasks | null {
  const b = resolveBootstrap(options);
  const left: AcrossTasks['left'] = [];
  const common: string[] = [];
  for (const env of envs) {
    const missing = groups.filter((g) => scores(env, g).length === 0);
    if (missing.length > 0) left.push({ env, missing });
    else common.push(env);
  }
  if (common.length < 2 || groups.length === 0) return null;
  return {
    envs: common,
    left,
    groups: groups.map((group) => {
      const tasks = common.map((env) => scores(env, group));
      const ci = (name: 'mean' | 'median' | 'iqm' | 'optimality_gap') => taskAggregateCI(tasks, name, { ...b, seed: (b.seed ^ hashString(`across|${group}|${name}`)) | 0 });
      return { group, runs: tasks.reduce((a, t) => a + t.length, 0), mean: ci('mean'), median: ci('median'), iqm: ci('iqm'), optimalityGap: ci('optimality_gap') };
    }),
  };
}
