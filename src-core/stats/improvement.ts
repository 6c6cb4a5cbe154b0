// Probability of improvement (rliable): P(X > Y) is, per environment, the Mann-Whitney U statistic
// divided by m n -- the fraction of (run of X, run of Y) pairs where X scores higher, ties counting
// one half -- averaged over environments. Identical samples give exactly 0.5, fully separated 1.
// Its interval: stratified bootstrap resampling X's and Y's runs independently within each environment.
import { Rng } from '../rng.ts';
import { flattenStrata, percentileInterval, resampleInto, resolveBootstrap, type BootstrapOptions, type Interval, type Strata } from './bootstrap.ts';

/** P(x > y) + 0.5 P(x = y) over all pairs of one environment. */
function pairFraction(x: Float64Array, xOff: number, m: number, y: Float64Array, yOff: number, n: number): number {
  let wins = 0;
  for (let i = 0; i < m; i++) {
    const xi = x[xOff + i]!;
    for (let j = 0; j < n; j++) {
      const yj = y[yOff + j]!;
      if (xi > yj) wins += 1;
      else if (xi === yj) wins += 0.5;
    }
  }
  return wins / (m * n);
}

function averageOverStrata(x: Strata, xv: Float64Array, y: Strata, yv: Float64Array): number {
  let sum = 0;
  let count = 0;
  for (let k = 0; k < x.sizes.length; k++) {
    const m = x.sizes[k]!;
    const n = y.sizes[k]!;
    if (m === 0 || n === 0) continue;
    sum += pairFraction(xv, x.offsets[k]!, m, yv, y.offsets[k]!, n);
    count++;
  }
  return count === 0 ? Number.NaN : sum / count;
}

/**
 * Probability that a run of X scores higher than a run of Y, averaged over environments.
 * `x[k]` and `y[k]` are the per-seed scores of X and Y in environment k (same environment order).
 */
export function probabilityOfImprovement(x: readonly ArrayLike<number>[], y: readonly ArrayLike<number>[]): number {
  if (x.length !== y.length) throw new Error(`probability of improvement: ${x.length} environments for X but ${y.length} for Y`);
  const sx = flattenStrata(x);
  const sy = flattenStrata(y);
  return averageOverStrata(sx, sx.values, sy, sy.values);
}

/** P(X > Y) with its stratified-bootstrap percentile interval. */
export function probabilityOfImprovementCI(
  x: readonly ArrayLike<number>[],
  y: readonly ArrayLike<number>[],
  options: BootstrapOptions = {},
): Interval {
  if (x.length !== y.length) throw new Error(`probability of improvement: ${x.length} environments for X but ${y.length} for Y`);
  const { resamples, confidence, seed } = resolveBootstrap(options);
  const sx = flattenStrata(x);
  const sy = flattenStrata(y);
  const point = averageOverStrata(sx, sx.values, sy, sy.values);
  const bx = new Float64Array(sx.total);
  const by = new Float64Array(sy.total);
  const rng = new Rng(seed, 0x9e01);
  const stats = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    resampleInto(sx, rng, bx);
    resampleInto(sy, rng, by);
    stats[r] = averageOverStrata(sx, bx, sy, by);
  }
  const [lower, upper] = percentileInterval(stats, confidence);
  return { point, lower, upper };
}
