// Aggregates over several tasks (environments) as rliable defines them (issue 18, point 9):
// mean and median are taken over the per-task mean scores (rliable aggregate_mean, aggregate_median:
// np.mean / np.median of scores.mean(axis=0)); IQM and the optimality gap over all runs of all tasks
// pooled (aggregate_iqm, aggregate_optimality_gap). Scores of different tasks should be normalised
// first (normalize.ts). Intervals: the stratified bootstrap of bootstrap.ts (runs resampled within
// each task), with the statistic applied to each resample the same way.
import { Rng } from '../rng.ts';
import { flattenStrata, percentileInterval, resampleInto, resolveBootstrap, type BootstrapOptions, type Interval, type Strata } from './bootstrap.ts';
import { scratchStatistic, type StatisticName } from './estimators.ts';

/** The statistic over tasks of a flattened sample (`values` may be a resample of `s.values`). */
export function taskAggregate(s: Strata, values: Float64Array, name: StatisticName, scratch = new Float64Array(Math.max(s.total, s.sizes.length))): number {
  if (name === 'mean' || name === 'median') {
    const means = scratch.subarray(0, s.sizes.length);
    for (let k = 0; k < s.sizes.length; k++) {
      const off = s.offsets[k]!;
      const n = s.sizes[k]!;
      let sum = 0;
      for (let i = 0; i < n; i++) sum += values[off + i]!;
      means[k] = n > 0 ? sum / n : Number.NaN;
    }
    return scratchStatistic(name)(means);
  }
  const pooled = scratch.subarray(0, s.total);
  pooled.set(values.subarray(0, s.total));
  return scratchStatistic(name)(pooled);
}

/** Point estimate and stratified-bootstrap percentile interval of an aggregate over tasks. */
export function taskAggregateCI(tasks: readonly ArrayLike<number>[], name: StatisticName, options: BootstrapOptions = {}): Interval {
  const { resamples, confidence, seed } = resolveBootstrap(options);
  const s = flattenStrata(tasks);
  if (s.total === 0 || s.sizes.some((n) => n === 0)) return { point: Number.NaN, lower: Number.NaN, upper: Number.NaN };
  const scratch = new Float64Array(Math.max(s.total, s.sizes.length));
  const point = taskAggregate(s, s.values, name, scratch);
  const rng = new Rng(seed, 0x7a5c);
  const sample = new Float64Array(s.total);
  const stats = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    resampleInto(s, rng, sample);
    stats[r] = taskAggregate(s, sample, name, scratch);
  }
  const [lower, upper] = percentileInterval(stats, confidence);
  return { point, lower, upper };
}
