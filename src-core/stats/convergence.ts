// Has a group of runs converged by the end of its budget? The evidence issue asks that a final
// evaluation curve still rising be called so, not read as a result. The rule, fixed before any
// campaign result was looked at: take the group's mean evaluation curve (at each evaluation step,
// the mean over runs of that evaluation's mean episode return, in one mode); compare the mean of its
// last tenth of evaluations with the mean of the tenth before; when the later window is higher by
// more than a tenth of the curve's whole range (max - min of the mean curve), the group is "still
// rising"; lower by as much, "still falling"; else "converged". Under 10 evaluations: not judged.

export type ConvergenceVerdict = 'converged' | 'still rising' | 'still falling' | 'not judged';

export interface Convergence {
  verdict: ConvergenceVerdict;
  /** Mean of the last window of the mean curve, and of the window before it (null when not judged). */
  late: number | null;
  earlier: number | null;
  /** max - min of the mean curve. */
  range: number | null;
  evaluations: number;
}

export const MIN_EVALUATIONS = 10;
export const WINDOW_SHARE = 0.1;
export const RANGE_SHARE = 0.1;

export const CONVERGENCE_RULE_TEXT =
  'End of budget: on the group\'s mean evaluation curve (at each evaluation, the mean over runs of its mean episode return), the mean of the last tenth of the evaluations against the tenth before; "still rising" (or "still falling") when it moved by more than a tenth of the curve\'s range (max - min), else "converged"; fewer than 10 evaluations are not judged.';

/** Mean over runs at each evaluation step; steps some run lacks are left out (runs of a group share their schedule). */
export function meanCurve(runs: readonly (readonly { step: number; value: number }[])[]): { step: number; value: number }[] {
  if (runs.length === 0) return [];
  const sums = new Map<number, { sum: number; n: number }>();
  for (const curve of runs) {
    for (const p of curve) {
      if (!Number.isFinite(p.value)) continue;
      const s = sums.get(p.step) ?? { sum: 0, n: 0 };
      s.sum += p.value;
      s.n += 1;
      sums.set(p.step, s);
    }
  }
  return [...sums.entries()].filter(([, s]) => s.n === runs.length).sort((a, b) => a[0] - b[0]).map(([step, s]) => ({ step, value: s.sum / s.n }));
}

export function judgeConvergence(runs: readonly (readonly { step: number; value: number }[])[]): Convergence {
  const curve = meanCurve(runs).map((p) => p.value);
  const evaluations = curve.length;
  if (evaluations < MIN_EVALUATIONS) return { verdict: 'not judged', late: null, earlier: null, range: null, evaluations };
  const w = Math.max(1, Math.floor(evaluations * WINDOW_SHARE));
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const late = mean(curve.slice(evaluations - w));
  const earlier = mean(curve.slice(evaluations - 2 * w, evaluations - w));
  const range = Math.max(...curve) - Math.min(...curve);
  const moved = late - earlier;
  const verdict: ConvergenceVerdict = range > 0 && moved > RANGE_SHARE * range ? 'still rising' : range > 0 && moved < -RANGE_SHARE * range ? 'still falling' : 'converged';
  return { verdict, late, earlier, range, evaluations };
}
