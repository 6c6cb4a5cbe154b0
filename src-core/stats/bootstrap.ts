// Stratified bootstrap confidence intervals (rliable's StratifiedBootstrap): the runs (seeds) of
// each stratum (environment) are resampled with replacement within that stratum, the statistic is
// computed on the pooled resample, and the percentile interval of the resampled statistics is
// reported. Seeded (src-core/rng.ts); the number of resamples is a setting.
// Fast: one flat scratch buffer reused for every resample, results in a Float64Array.
import { Rng } from '../rng.ts';
import { quantileSorted, type ScratchStatistic } from './estimators.ts';

export interface BootstrapOptions {
  /** Number of bootstrap resamples (default 2000). */
  resamples?: number;
  /** Confidence level of the percentile interval (default 0.95). */
  confidence?: number;
  /** Seed of the resampling generator (default 0); record it with the numbers it produced. */
  seed?: number;
}

export const DEFAULT_RESAMPLES = 2000;
export const DEFAULT_CONFIDENCE = 0.95;

export interface Interval {
  /** The statistic on the original sample. */
  point: number;
  lower: number;
  upper: number;
}

export interface ResolvedBootstrap {
  resamples: number;
  confidence: number;
  seed: number;
}

export function resolveBootstrap(o: BootstrapOptions = {}): ResolvedBootstrap {
  const resamples = o.resamples ?? DEFAULT_RESAMPLES;
  const confidence = o.confidence ?? DEFAULT_CONFIDENCE;
  const seed = o.seed ?? 0;
  if (!Number.isInteger(resamples) || resamples < 1) throw new Error(`bootstrap resamples must be an integer >= 1, got ${resamples}`);
  if (!(confidence > 0 && confidence < 1)) throw new Error(`bootstrap confidence must be in (0, 1), got ${confidence}`);
  if (!Number.isInteger(seed)) throw new Error(`bootstrap seed must be an integer, got ${seed}`);
  return { resamples, confidence, seed };
}

/** Uniform integer in [0, n) from one 32-bit draw (bias below n / 2^32, negligible for run counts). */
export function drawIndex(rng: Rng, n: number): number {
  return Math.floor((rng.nextUint32() * n) / 4294967296);
}

/** Strata flattened once: values back to back, with start offsets and sizes. */
export interface Strata {
  values: Float64Array;
  offsets: Int32Array;
  sizes: Int32Array;
  total: number;
}

export function flattenStrata(strata: readonly ArrayLike<number>[]): Strata {
  const sizes = Int32Array.from(strata.map((s) => s.length));
  const offsets = new Int32Array(strata.length);
  let total = 0;
  for (let k = 0; k < strata.length; k++) {
    offsets[k] = total;
    total += sizes[k]!;
  }
  const values = new Float64Array(total);
  for (let k = 0; k < strata.length; k++) values.set(strata[k]!, offsets[k]!);
  return { values, offsets, sizes, total };
}

/** Fill `out` with one stratified resample of `s` (same size per stratum). */
export function resampleInto(s: Strata, rng: Rng, out: Float64Array): void {
  for (let k = 0; k < s.sizes.length; k++) {
    const off = s.offsets[k]!;
    const n = s.sizes[k]!;
    for (let i = 0; i < n; i++) out[off + i] = s.values[off + drawIndex(rng, n)]!;
  }
}

/** Percentile interval of a set of resampled statistics (sorted in place). */
export function percentileInterval(stats: Float64Array, confidence: number): [number, number] {
  stats.sort();
  // NaN statistics (e.g. an empty stratum) sort last; ignore them.
  let n = stats.length;
  while (n > 0 && Number.isNaN(stats[n - 1]!)) n--;
  if (n === 0) return [Number.NaN, Number.NaN];
  const view = stats.subarray(0, n);
  const a = (1 - confidence) / 2;
  return [quantileSorted(view, a), quantileSorted(view, 1 - a)];
}

/**
 * Point estimate and stratified-bootstrap percentile interval of `statistic` over the pooled
 * strata. Each stratum is one environment's per-seed scores (normalised if pooling environments).
 */
export function stratifiedBootstrapCI(
  strata: readonly ArrayLike<number>[],
  statistic: ScratchStatistic,
  options: BootstrapOptions = {},
): Interval {
  const { resamples, confidence, seed } = resolveBootstrap(options);
  const s = flattenStrata(strata);
  if (s.total === 0) return { point: Number.NaN, lower: Number.NaN, upper: Number.NaN };
  const scratch = new Float64Array(s.total);
  scratch.set(s.values);
  const point = statistic(scratch);
  const rng = new Rng(seed, 0x5b007);
  const stats = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    resampleInto(s, rng, scratch);
    stats[r] = statistic(scratch);
  }
  const [lower, upper] = percentileInterval(stats, confidence);
  return { point, lower, upper };
}
