// What "final performance" means in MaxEnt Lab, in one place (used by `lab compare`, the Compare
// view and the exports alike):
// - for evaluation return (the default): a run's final score is the mean return over the episodes
//   of its LAST evaluation (highest global_step) in the chosen mode (deterministic or stochastic);
//   with `lastEvals` K > 1, the mean over its last K evaluations of each one's mean return (a run
//   with fewer than K is excluded, named), so that one late evaluation does not decide the score;
// - for any other metric key: the value recorded at the run's last step for that key; with a step
//   window (FROM, TO], the mean of the key's values logged in it (e.g. SAC-AdaEnt's switch rate over
//   the whole run), the run still selected by its last record's step as below.
// Runs without such a record are excluded and listed with the reason.
// Which runs are scored (issue 18, point 8): by default only completed runs, and per environment and
// group only those whose final record is at the group's latest final step (runs of another budget or
// schedule are left out, named, with both steps); a non-finite final score excludes the run (it is
// never read as 0). `includeUnfinished` scores every run at its own last record, steps shown.
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
  /** The run's status (completed, running, failed, ...); absent: treated as completed. */
  status?: string;
}

export interface FinalScoreOptions {
  /** Score runs of any status, each at its own last record (default false: completed runs at one step). */
  includeUnfinished?: boolean;
  /** Evaluation scores only: the mean over the last K evaluations (default 1: the last alone). */
  lastEvals?: number;
}

/** A run's candidate final score: its last record's step and value (NaN allowed). */
export interface FinalCandidate {
  id: number;
  env: string;
  group: string;
  status?: string;
  step: number;
  score: number;
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

/**
 * The run's last `k` evaluations in `mode` (default 1): the mean of their mean returns, the last
 * one's step, the episodes in all, and how many there were (fewer than `k` when the run has fewer;
 * null when it has none).
 */
export function lastEvaluation(evaluations: readonly EvaluationInput[], mode: EvalModeName, k = 1): (FinalEval & { evaluations: number }) | null {
  const mine = evaluations.filter((e) => e.mode === mode && e.returns.length > 0).sort((a, b) => a.step - b.step).slice(-Math.max(1, k));
  if (mine.length === 0) return null;
  let sum = 0;
  let episodes = 0;
  for (const e of mine) {
    let s = 0;
    for (const r of e.returns) s += r;
    sum += s / e.returns.length;
    episodes += e.returns.length;
  }
  return { step: mine[mine.length - 1]!.step, score: sum / mine.length, episodes, evaluations: mine.length };
}

/** Label of the final evaluation score, e.g. for table captions and CSV headers. */
export function finalEvalLabel(mode: EvalModeName, lastEvals = 1): string {
  if (lastEvals <= 1) return `final ${mode} evaluation return (mean over the episodes of each run's last ${mode} evaluation)`;
  return `final ${mode} evaluation return (mean over each run's last ${lastEvals} ${mode} evaluations of their mean over the episodes)`;
}

export function finalMetricLabel(key: string): string {
  return `final value of ${key} (each run's value at its last recorded step)`;
}

/** A step window of a metric: the points logged at from < step <= to (to = Infinity: no end). */
export interface MetricWindow {
  from: number;
  to: number;
}

/** "steps 0-202000" (from < step <= to), or "steps after 100000" where the window has no end. */
export function metricWindowText(w: MetricWindow): string {
  return Number.isFinite(w.to) ? `steps ${w.from}-${w.to}` : `steps after ${w.from}`;
}

export function windowMetricLabel(key: string, w: MetricWindow): string {
  const bounds = Number.isFinite(w.to) ? `${w.from} < step <= ${w.to}` : `step > ${w.from}`;
  return `mean of ${key} over ${metricWindowText(w)} (each run's values logged at ${bounds}, each point once)`;
}

/**
 * `what`: the record scored, e.g. "deterministic evaluation" or "losses/alpha" (for the reasons).
 * The scored runs among candidates (see the header): status first, then the latest final step of each
 * environment and group, then finite scores. `excluded` already holds runs without any record.
 */
export function selectFinalScores(candidates: readonly FinalCandidate[], excluded: Excluded[], what: string, o: FinalScoreOptions = {}): { scores: RunScore[]; excluded: Excluded[]; steps: Map<number, number> } {
  const scores: RunScore[] = [];
  const steps = new Map<number, number>();
  const eligible = candidates.filter((c) => {
    if (o.includeUnfinished || c.status === undefined || c.status === 'completed') return true;
    excluded.push({ runId: c.id, group: c.group, env: c.env, reason: `${c.status}, not completed (choose "include unfinished runs" to score it at its last ${what}, step ${c.step})` });
    return false;
  });
  const finalStep = new Map<string, number>();
  for (const c of eligible) {
    const key = `${c.env}\u0000${c.group}`;
    finalStep.set(key, Math.max(finalStep.get(key) ?? Number.NEGATIVE_INFINITY, c.step));
  }
  for (const c of eligible) {
    const target = finalStep.get(`${c.env}\u0000${c.group}`)!;
    if (!o.includeUnfinished && c.step !== target) {
      excluded.push({ runId: c.id, group: c.group, env: c.env, reason: `last ${what} at step ${c.step}, the group's final step is ${target}` });
    } else if (!Number.isFinite(c.score)) {
      excluded.push({ runId: c.id, group: c.group, env: c.env, reason: `non-finite ${what.endsWith('evaluation') ? 'return' : 'value'} (${c.score}) at step ${c.step}` });
    } else {
      scores.push({ runId: String(c.id), group: c.group, env: c.env, score: c.score, step: c.step });
      steps.set(c.id, c.step);
    }
  }
  return { scores, excluded, steps };
}

/** Final evaluation scores of runs in one mode (the mean of the last `o.lastEvals`), with the runs left out and why. */
export function finalEvalScores(runs: readonly ScoredRunInput[], mode: EvalModeName, o: FinalScoreOptions = {}): { scores: RunScore[]; excluded: Excluded[]; steps: Map<number, number> } {
  const k = o.lastEvals ?? 1;
  if (!Number.isInteger(k) || k < 1) throw new Error(`lastEvals: ${k} is not a whole number of at least 1`);
  const excluded: Excluded[] = [];
  const candidates: FinalCandidate[] = [];
  for (const r of runs) {
    const last = lastEvaluation(r.evaluations, mode, k);
    if (!last) excluded.push({ runId: r.id, group: r.group, env: r.env, reason: `no ${mode} evaluation` });
    else if (last.evaluations < k) excluded.push({ runId: r.id, group: r.group, env: r.env, reason: `${last.evaluations} ${mode} evaluation${last.evaluations === 1 ? '' : 's'}, fewer than the ${k} its score averages` });
    else candidates.push({ id: r.id, env: r.env, group: r.group, ...(r.status !== undefined ? { status: r.status } : {}), step: last.step, score: last.score });
  }
  return selectFinalScores(candidates, excluded, `${mode} evaluation`, o);
}
