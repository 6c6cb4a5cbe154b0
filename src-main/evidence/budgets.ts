// Which budget a run was trained for, and the report's task label for it. Runs of one task at
// different budgets are never pooled: an IQM over 200k- and 1M-step runs measures neither, and a
// claim is judged at equal budgets. Two runs share a budget when they had the same learning steps
// (the presets' budget, after the off-policy warm-up) or the same environment steps in all (an
// experiment's `budget`, the warm-up included, as in SB3), and so does every run linked to them that
// way. The label is the bare task id for the budget holding the quick preset's learning steps, or
// when the task has one budget; any other budget is named, e.g. "quadrotor-rotors (1M learning steps)".
import { resolvePreset } from '../../src-core/presets/index.ts';
import type { RunConfig } from '../../src-core/train/types.ts';
import { warmupStepsOf } from '../../src-core/train/run_config.ts';
import { learningStepsText, stepsText } from '../../src-core/stats/steps-text.ts';

/** Learning steps of a run: its environment steps after the off-policy warm-up (PPO has none). */
export function learningStepsOf(config: RunConfig): number {
  return Math.max(0, config.totalSteps - warmupStepsOf(config));
}

/** The quick preset's learning steps of an environment (null when it has no presets). */
export function quickLearningSteps(envId: string): number | null {
  try {
    return resolvePreset(envId, 'ppo', 'quick').budget.learningSteps;
  } catch {
    return null;
  }
}

export interface BudgetedRun {
  id: number;
  /** The task id the run belongs to (vehicle-dynamic). */
  task: string;
  envId: string;
  config: RunConfig;
}

export interface BudgetGroup {
  /** The task id, with the budget named where it is not the task's unnamed one. */
  label: string;
  task: string;
  /** The learning steps of its runs, distinct, ascending. */
  learningSteps: number[];
  runIds: number[];
}

const keyL = (r: BudgetedRun) => `${r.task}\u0000L${learningStepsOf(r.config)}`;
const keyT = (r: BudgetedRun) => `${r.task}\u0000T${r.config.totalSteps}`;

/** Groups of one task's runs by budget (see the header), in order of their smallest learning steps. */
export function budgetGroups(runs: readonly BudgetedRun[]): BudgetGroup[] {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    if (!parent.has(k)) parent.set(k, k);
    let r = k;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(k, r);
    return r;
  };
  const union = (a: string, b: string) => parent.set(find(a), find(b));
  for (const r of runs) union(keyL(r), keyT(r));
  const byRoot = new Map<string, BudgetedRun[]>();
  for (const r of runs) {
    const root = find(keyL(r));
    (byRoot.get(root) ?? byRoot.set(root, []).get(root)!).push(r);
  }
  const groups = [...byRoot.values()].map((rs) => ({ task: rs[0]!.task, envId: rs[0]!.envId, rs, steps: [...new Set(rs.map((r) => learningStepsOf(r.config)))].sort((a, b) => a - b) }));
  const perTask = new Map<string, number>();
  for (const g of groups) perTask.set(g.task, (perTask.get(g.task) ?? 0) + 1);
  return groups
    .sort((a, b) => a.steps[0]! - b.steps[0]!)
    .map((g) => {
      const unnamed = perTask.get(g.task) === 1 || g.steps.includes(quickLearningSteps(g.envId) ?? Number.NaN);
      return { label: unnamed ? g.task : `${g.task} (${budgetText(g.rs, g.steps)})`, task: g.task, learningSteps: g.steps, runIds: g.rs.map((r) => r.id) };
    });
}

/**
 * The label of every run: the completed runs' budget groups, and each other run under the group it
 * would join (equal learning or environment steps), else under its own budget, named where the task
 * has completed runs and it is not the quick preset's. An unfinished run never renames finished ones.
 */
export function budgetLabels(done: readonly BudgetedRun[], others: readonly BudgetedRun[]): Map<number, string> {
  const labels = new Map(budgetGroups(done).flatMap((g) => g.runIds.map((id) => [id, g.label] as const)));
  const byKey = new Map<string, string>();
  for (const r of done) byKey.set(keyL(r), labels.get(r.id)!).set(keyT(r), labels.get(r.id)!);
  const tasks = new Set(done.map((r) => r.task));
  for (const r of others) {
    const steps = learningStepsOf(r.config);
    const own = !tasks.has(r.task) || steps === quickLearningSteps(r.envId) ? r.task : `${r.task} (${stepsText(steps)} learning steps)`;
    labels.set(r.id, byKey.get(keyL(r)) ?? byKey.get(keyT(r)) ?? own);
  }
  return labels;
}

/** "1M learning steps"; where the group's runs differ in learning steps, their common total, else the range. */
function budgetText(runs: readonly BudgetedRun[], steps: readonly number[]): string {
  const totals = [...new Set(runs.map((r) => r.config.totalSteps))];
  if (steps.length > 1 && totals.length === 1) return `${stepsText(totals[0]!)} environment steps`;
  return `${learningStepsText(steps)} learning steps`;
}

/** A label as a file-name part: "quadrotor-rotors (1M learning steps)" -> "quadrotor-rotors-1M-learning-steps". */
export function labelSlug(label: string): string {
  return label.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
}
