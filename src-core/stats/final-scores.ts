// What "final performance" means in MaxEnt Lab, in one place (used by `lab compare`, the Compare
// view and the exports alike):
// - for evaluation return (the default): a run's final score is the mean return over the episodes
//   of its LAST evaluation (highest global_step) in the chosen mode (deterministic or stochastic);
// - for any other metric key: the value recorded at the run's last step for that key.
// Runs without such a record are excluded and listed with the reason.
import type { RunScore } from './final-table.ts';

export type EvalModeName = 'deterministic' | 'stochastic';

export interface EvaluationInput {
  step: number;
  mode: EvalModeName;
  returns: readonly number[];
}

export interface ScoredRunInput {
  id: number;
  env: string;
  group: string;
  evaluations: readonly EvaluationInput[];
}

export interface Excluded {
  runId: number;
  group: string;
  env: string;
  reason: string;
}

export interface FinalEval {
  step: number;
  score: number;
  episodes: number;
}

/** The run's last evaluation in `mode` and its mean return (null when it has none). */
export function lastEvaluation(evaluations: readonly EvaluationInput[], mode: EvalModeName): FinalEval | null {
  let best: EvaluationInput | null = null;
  for (const e of evaluations) if (e.mode === mode && e.returns.length > 0 && (best === null || e.step > best.step)) best = e;
  if (!best) return null;
  let s = 0;
  for (const r of best.returns) s += r;
  return { step: best.step, score: s / best.returns.length, episodes: best.returns.length };
}

/** Label of the final evaluation score, e.g. for table captions and CSV headers. */
export function finalEvalLabel(mode: EvalModeName): string {
  return `final ${mode} evaluation return (mean over the episodes of each run's last ${mode} evaluation)`;
}

export function finalMetricLabel(key: string): string {
  return `final value of ${key} (each run's value at its last recorded step)`;
}

/** Final evaluation scores of runs in one mode, with the runs left out and why. */
export function finalEvalScores(runs: readonly ScoredRunInput[], mode: EvalModeName): { scores: RunScore[]; excluded: Excluded[]; steps: Map<number, number> } {
  const scores: RunScore[] = [];
  const excluded: Excluded[] = [];
  const steps = new Map<number, number>();
  for (const r of runs) {
    const last = lastEvaluation(r.evaluations, mode);
    if (!last || !Number.isFinite(last.score)) {
      excluded.push({ runId: r.id, group: r.group, env: r.env, reason: last ? 'non-finite return' : `no ${mode} evaluation` });
      continue;
    }
    scores.push({ runId: String(r.id), group: r.group, env: r.env, score: last.score });
    steps.set(r.id, last.step);
  }
  return { scores, excluded, steps };
}
