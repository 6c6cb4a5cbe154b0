// A common step grid for runs of unequal length and evaluation schedules. Each run's series is
// interpolated linearly between its own points and is undefined (NaN) before its first step and
// after its last one: never extrapolated. Aggregates per grid step then use only the runs defined
// there, and report how many (N per step).

/** One run's series: ascending steps and their values (same length). */
export interface Series {
  steps: ArrayLike<number>;
  values: ArrayLike<number>;
}

export interface GridOptions {
  /**
   * 'union': every distinct step of every run (right for evaluation schedules);
   * 'uniform': `points` evenly spaced steps from the earliest first step to the latest last step.
   */
  kind?: 'union' | 'uniform';
  points?: number;
}

/** The common grid of a set of series. */
export function commonGrid(series: readonly Series[], options: GridOptions = {}): Float64Array {
  const kind = options.kind ?? 'uniform';
  if (kind === 'union') {
    const all = new Set<number>();
    for (const s of series) for (let i = 0; i < s.steps.length; i++) all.add(s.steps[i]!);
    return Float64Array.from(all).sort();
  }
  const points = options.points ?? 500;
  if (!Number.isInteger(points) || points < 2) throw new Error(`grid points must be an integer >= 2, got ${points}`);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const s of series) {
    const n = s.steps.length;
    if (n === 0) continue;
    lo = Math.min(lo, s.steps[0]!);
    hi = Math.max(hi, s.steps[n - 1]!);
  }
  if (!Number.isFinite(lo)) return new Float64Array(0);
  if (hi === lo) return Float64Array.of(lo);
  const out = new Float64Array(points);
  for (let i = 0; i < points; i++) out[i] = lo + ((hi - lo) * i) / (points - 1);
  out[points - 1] = hi;
  return out;
}

/**
 * Values of one series at the grid steps: linear interpolation between neighbouring points,
 * exact at its own steps, NaN outside [first step, last step]. Steps must ascend; the grid too.
 */
export function interpolateOnto(s: Series, grid: ArrayLike<number>): Float64Array {
  const out = new Float64Array(grid.length).fill(Number.NaN);
  const n = s.steps.length;
  if (n === 0) return out;
  const first = s.steps[0]!;
  const last = s.steps[n - 1]!;
  let j = 0;
  for (let g = 0; g < grid.length; g++) {
    const x = grid[g]!;
    if (x < first || x > last) continue;
    while (j < n - 1 && s.steps[j + 1]! < x) j++;
    const x0 = s.steps[j]!;
    if (x === x0 || j === n - 1) {
      out[g] = s.values[j]!;
      continue;
    }
    const x1 = s.steps[j + 1]!;
    if (x === x1) {
      out[g] = s.values[j + 1]!;
      continue;
    }
    const y0 = s.values[j]!;
    const y1 = s.values[j + 1]!;
    out[g] = x1 === x0 ? y1 : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
  }
  return out;
}

/** Every series on the grid: a row per run (row-major, runs x grid). */
export function alignOnGrid(series: readonly Series[], grid: ArrayLike<number>): Float64Array[] {
  return series.map((s) => interpolateOnto(s, grid));
}
