// Point estimates over a sample of run scores (one number per run): mean, median, interquartile
// mean (IQM), sample standard deviation, standard error, min, max, quantiles, optimality gap.
// Definitions follow rliable (Agarwal et al. 2021, "Deep RL at the Edge of the Statistical Precipice"):
// IQM is scipy.stats.trim_mean(x, 0.25): drop floor(n/4) values from each end, average the rest;
// quantiles interpolate linearly between order statistics (numpy's default).
// The *InPlace variants reorder their argument (they sort it); the bootstrap passes scratch buffers.

/** A statistic over a sample that may reorder the buffer it is given. */
export type ScratchStatistic = (x: Float64Array) => number;

export type StatisticName = 'mean' | 'median' | 'iqm' | 'optimality_gap';
export const STATISTIC_NAMES: readonly StatisticName[] = ['mean', 'median', 'iqm', 'optimality_gap'];

/** Human label of each statistic, for legends and table headers. */
export const STATISTIC_LABEL: Record<StatisticName, string> = {
  mean: 'mean',
  median: 'median',
  iqm: 'IQM',
  optimality_gap: 'optimality gap',
};

function toBuffer(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values as ArrayLike<number>);
}

export function meanOf(x: ArrayLike<number>): number {
  const n = x.length;
  if (n === 0) return Number.NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]!;
  return s / n;
}

/** Sample standard deviation (n - 1 in the denominator); NaN (undefined, as numpy ddof=1 and scipy) for fewer than two values. */
export function stdOf(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) return Number.NaN;
  const m = meanOf(x);
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - m;
    ss += d * d;
  }
  return Math.sqrt(ss / (n - 1));
}

/** Standard error of the mean: sample std / sqrt(n). */
export function stderrOf(x: ArrayLike<number>): number {
  return x.length === 0 ? Number.NaN : stdOf(x) / Math.sqrt(x.length);
}

export function minOf(x: ArrayLike<number>): number {
  let m = Number.POSITIVE_INFINITY;
  for (let i = 0; i < x.length; i++) if (x[i]! < m) m = x[i]!;
  return x.length === 0 ? Number.NaN : m;
}

export function maxOf(x: ArrayLike<number>): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < x.length; i++) if (x[i]! > m) m = x[i]!;
  return x.length === 0 ? Number.NaN : m;
}

/** Quantile q in [0, 1] of an already sorted buffer, linear interpolation (numpy 'linear'). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const frac = pos - lo;
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * frac;
}

export function quantileOf(x: ArrayLike<number>, q: number): number {
  return quantileSorted(toBuffer(x).sort(), q);
}

/**
 * Sort a buffer ascending in place: insertion sort for the few values of a group of seeds (no call
 * overhead; the bootstrap sorts hundreds of thousands of these), the built-in sort otherwise.
 * NaN is not expected here (callers drop undefined values first).
 */
export function sortInPlace(x: Float64Array): Float64Array {
  const n = x.length;
  if (n > 32) return x.sort();
  for (let i = 1; i < n; i++) {
    const v = x[i]!;
    let j = i - 1;
    while (j >= 0 && x[j]! > v) {
      x[j + 1] = x[j]!;
      j--;
    }
    x[j + 1] = v;
  }
  return x;
}

export const meanInPlace: ScratchStatistic = (x) => meanOf(x);

export const medianInPlace: ScratchStatistic = (x) => quantileSorted(sortInPlace(x), 0.5);

/** Interquartile mean: scipy trim_mean(x, 0.25) -- cut floor(0.25 n) values at each end. */
export const iqmInPlace: ScratchStatistic = (x) => {
  const n = x.length;
  if (n === 0) return Number.NaN;
  sortInPlace(x);
  const cut = Math.floor(0.25 * n);
  let s = 0;
  for (let i = cut; i < n - cut; i++) s += x[i]!;
  return s / (n - 2 * cut);
};

/** rliable's optimality gap: mean of max(0, gamma - score); lower is better. */
export function optimalityGapOf(x: ArrayLike<number>, gamma = 1): number {
  const n = x.length;
  if (n === 0) return Number.NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += gamma - Math.min(x[i]!, gamma);
  return s / n;
}

export function medianOf(x: ArrayLike<number>): number {
  return medianInPlace(toBuffer(x));
}

export function iqmOf(x: ArrayLike<number>): number {
  return iqmInPlace(toBuffer(x));
}

/** The scratch statistic for a name (optimality gap with threshold gamma, default 1). */
export function scratchStatistic(name: StatisticName, gamma = 1): ScratchStatistic {
  switch (name) {
    case 'mean':
      return meanInPlace;
    case 'median':
      return medianInPlace;
    case 'iqm':
      return iqmInPlace;
    case 'optimality_gap':
      return (x) => optimalityGapOf(x, gamma);
  }
}

/** Every point estimate of one sample at once (the table's columns). */
export interface Summary {
  n: number;
  mean: number;
  median: number;
  iqm: number;
  std: number;
  stderr: number;
  min: number;
  max: number;
}

export function summarize(x: ArrayLike<number>): Summary {
  const sorted = toBuffer(x).sort();
  return {
    n: sorted.length,
    mean: meanOf(sorted),
    median: quantileSorted(sorted, 0.5),
    iqm: iqmInPlace(sorted),
    std: stdOf(sorted),
    stderr: stderrOf(sorted),
    min: sorted.length ? sorted[0]! : Number.NaN,
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
  };
}
