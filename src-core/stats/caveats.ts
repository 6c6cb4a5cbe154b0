// Caveats printed beside numbers that need them, in one place for the app, `lab compare` and
// `lab report`. Small samples: a percentile bootstrap interval from fewer than 5 runs covers the
// true value far less often than its nominal level. The coverage figures are the independent
// audit's measurements (issue 18, IQM interval, 95% nominal), quoted, not recomputed here.

/** Runs below which an interval gets the small-sample caveat. */
export const MIN_RUNS_FOR_INTERVAL = 5;

/** Measured coverage of a nominal 95% percentile bootstrap IQM interval by number of runs (issue 18 audit). */
export const MEASURED_IQM_COVERAGE: Readonly<Record<number, number>> = Object.freeze({ 2: 0.47, 3: 0.75, 5: 0.88, 10: 0.93 });

/** The caveat for an interval computed from `n` runs, or null when n >= MIN_RUNS_FOR_INTERVAL. */
export function smallSampleCaveat(n: number): string | null {
  if (!(n < MIN_RUNS_FOR_INTERVAL)) return null;
  if (n <= 1) return `N = ${n}: no interval is possible from a single run`;
  const measured = Object.entries(MEASURED_IQM_COVERAGE)
    .map(([k, v]) => `${v.toFixed(2)} at N = ${k}`)
    .join(', ');
  return `N = ${n} < ${MIN_RUNS_FOR_INTERVAL}: a 95% percentile bootstrap interval from so few runs covers the true value far less often than 95% (measured IQM coverage ${measured})`;
}
