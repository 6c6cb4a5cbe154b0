// One number per run from its evaluation curve (each evaluation's mean return over its episodes),
// as the Runs table and `lab runs --summary` show it: the last evaluation, the best one, the mean
// of the last K, or the area under the curve per step (the trapezoid rule over the evaluations,
// divided by the steps they span: the curve's mean height). A non-finite evaluation inside what a
// summary reads makes the summary NaN (never a number that hides a diverged evaluation); "best"
// takes the highest finite one.

export type EvalSummaryKind = 'last' | 'best' | 'mean-last' | 'auc';
export const EVAL_SUMMARY_KINDS: readonly EvalSummaryKind[] = ['last', 'best', 'mean-last', 'auc'];

export interface EvalSummarySpec {
  kind: EvalSummaryKind;
  /** mean-last: how many of the last evaluations (>= 1). */
  k?: number;
}

export interface EvalPoint {
  step: number;
  /** The evaluation's mean return over its episodes (NaN where one diverged). */
  mean: number;
}

export interface EvalSummary {
  value: number;
  /** The steps of the evaluations read: one step for last and best. */
  fromStep: number;
  toStep: number;
  /** How many evaluations were read (mean-last: fewer than k where the run has fewer). */
  evaluations: number;
}

/** The summary of a curve whose points are in step order; null for a run without evaluations. */
export function summarizeEvalCurve(points: readonly EvalPoint[], spec: EvalSummarySpec): EvalSummary | null {
  const n = points.length;
  if (n === 0) return null;
  const last = points[n - 1]!;
  switch (spec.kind) {
    case 'last':
      return { value: last.mean, fromStep: last.step, toStep: last.step, evaluations: 1 };
    case 'best': {
      let best: EvalPoint | null = null;
      for (const p of points) if (Number.isFinite(p.mean) && (best === null || p.mean > best.mean)) best = p;
      return best === null ? { value: Number.NaN, fromStep: last.step, toStep: last.step, evaluations: n } : { value: best.mean, fromStep: best.step, toStep: best.step, evaluations: n };
    }
    case 'mean-last': {
      const tail = points.slice(-Math.max(1, spec.k ?? 1));
      return { value: tail.reduce((a, p) => a + p.mean, 0) / tail.length, fromStep: tail[0]!.step, toStep: last.step, evaluations: tail.length };
    }
    case 'auc': {
      const first = points[0]!;
      if (n === 1) return { value: first.mean, fromStep: first.step, toStep: first.step, evaluations: 1 };
      let area = 0;
      for (let i = 1; i < n; i++) area += ((points[i - 1]!.mean + points[i]!.mean) / 2) * (points[i]!.step - points[i - 1]!.step);
      const span = last.step - first.step;
      return { value: span > 0 ? area / span : Number.NaN, fromStep: first.step, toStep: last.step, evaluations: n };
    }
  }
}

/** Short name for a column heading: "last", "best", "mean of last 5", "area / steps". */
export function evalSummaryShort(spec: EvalSummarySpec): string {
  switch (spec.kind) {
    case 'last':
      return 'last';
    case 'best':
      return 'best';
    case 'mean-last':
      return `mean of last ${spec.k ?? 1}`;
    case 'auc':
      return 'area / steps';
  }
}

/** What the number is, in words (tooltips, CLI headers, JSON). */
export function evalSummaryLabel(spec: EvalSummarySpec): string {
  const each = "each evaluation's mean return over its episodes";
  switch (spec.kind) {
    case 'last':
      return `evaluation return of the run's last evaluation (${each})`;
    case 'best':
      return `best evaluation return of the run (highest of ${each}; an optimistic summary: the maximum over evaluations)`;
    case 'mean-last':
      return `mean over the run's last ${spec.k ?? 1} evaluations of ${each} (fewer where the run has fewer)`;
    case 'auc':
      return `area under the evaluation curve divided by the steps it spans (trapezoid rule over ${each}; the curve's mean height)`;
  }
}

/** "last", "best", "auc" or "mean-last:K"; throws a message naming what is wrong. */
export function parseEvalSummary(text: string): EvalSummarySpec {
  const t = text.trim();
  const m = /^mean-last:(\d+)$/.exec(t);
  if (m) {
    const k = Number(m[1]);
    if (!Number.isSafeInteger(k) || k < 1 || k > 1000) throw new Error(`'${text}': K must be an integer from 1 to 1000`);
    return { kind: 'mean-last', k };
  }
  if (t === 'last' || t === 'best' || t === 'auc') return { kind: t };
  throw new Error(`'${text}' is not one of last, best, mean-last:K, auc`);
}

/** A run as sorted by its shown evaluation return (mode null: no evaluation). */
export interface RankedEval {
  id: number;
  mode: 'deterministic' | 'stochastic' | null;
  /** null: non-finite. */
  value: number | null;
}

/**
 * Runs ordered by their evaluation return: deterministic before stochastic before none whichever the
 * direction (modes are never compared, issue 18), then by value (a non-finite one lowest), then by id,
 * value and id in the direction asked. The Runs table and `lab runs --sort summary` sort alike.
 */
export function compareByEval(a: RankedEval, b: RankedEval, desc: boolean): number {
  const rank = (r: RankedEval) => (r.mode === null ? 2 : r.mode === 'deterministic' ? 0 : 1);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  const va = a.value ?? Number.NEGATIVE_INFINITY;
  const vb = b.value ?? Number.NEGATIVE_INFINITY;
  return (va < vb ? -1 : va > vb ? 1 : a.id - b.id) * (desc ? -1 : 1);
}
