// Performance profiles (rliable's run-score distributions): for each threshold tau, the fraction
// of runs (all environments pooled) whose score is strictly above tau, with a stratified-bootstrap
// percentile band per threshold (seeds resampled within each environment).
import { Rng } from '../rng.ts';
import { flattenStrata, percentileInterval, resampleInto, resolveBootstrap, type BootstrapOptions } from './bootstrap.ts';

export interface PerformanceProfile {
  taus: Float64Array;
  fraction: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  n: number;
}

/** `count` evenly spaced thresholds from lo to hi inclusive. */
export function linspace(lo: number, hi: number, count: number): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = count === 1 ? lo : lo + ((hi - lo) * i) / (count - 1);
  return out;
}

/** Fraction of `sorted` strictly above tau, for every tau in ascending `taus` (one merge pass). */
function fractionsAbove(sorted: Float64Array, taus: Float64Array, out: Float64Array, at: (i: number) => number): void {
  const n = sorted.length;
  let j = 0;
  for (let t = 0; t < taus.length; t++) {
    while (j < n && sorted[j]! <= taus[t]!) j++;
    out[at(t)] = (n - j) / n;
  }
}

export function performanceProfile(
  strata: readonly ArrayLike<number>[],
  taus: Float64Array,
  options: BootstrapOptions = {},
): PerformanceProfile {
  for (let t = 1; t < taus.length; t++) if (!(taus[t]! >= taus[t - 1]!)) throw new Error('performance profile thresholds must be ascending');
  const { resamples, confidence, seed } = resolveBootstrap(options);
  const s = flattenStrata(strata);
  const T = taus.length;
  const fraction = new Float64Array(T);
  const lower = new Float64Array(T).fill(Number.NaN);
  const upper = new Float64Array(T).fill(Number.NaN);
  if (s.total === 0) return { taus, fraction: fraction.fill(Number.NaN), lower, upper, n: 0 };
  fractionsAbove(Float64Array.from(s.values).sort(), taus, fraction, (t) => t);
  // all[r * T + t]: resample r's fraction at threshold t; then one percentile interval per threshold.
  const all = new Float64Array(resamples * T);
  const scratch = new Float64Array(s.total);
  const rng = new Rng(seed, 0x9f0f);
  for (let r = 0; r < resamples; r++) {
    resampleInto(s, rng, scratch);
    scratch.sort();
    fractionsAbove(scratch, taus, all, (t) => r * T + t);
  }
  const column = new Float64Array(resamples);
  for (let t = 0; t < T; t++) {
    for (let r = 0; r < resamples; r++) column[r] = all[r * T + t]!;
    [lower[t], upper[t]] = percentileInterval(column, confidence);
  }
  return { taus, fraction, lower, upper, n: s.total };
}
