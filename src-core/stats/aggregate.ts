// Aggregation of a group of runs over a common step grid: per grid step, the chosen statistic
// (mean, median, IQM) of the runs defined there, with a band (bootstrap CI of that statistic,
// +- std, +- standard error, min-max or interquartile range) and N per step. The legend text says
// the statistic, the band's method and N, as every curve in the app must.
import { Rng } from '../rng.ts';
import { MIN_RUNS_FOR_INTERVAL } from './caveats.ts';
import { drawIndex, percentileInterval, resolveBootstrap, type BootstrapOptions } from './bootstrap.ts';
import { STATISTIC_LABEL, quantileSorted, scratchStatistic, stdOf, type StatisticName } from './estimators.ts';
import { alignOnGrid, type Series } from './grid.ts';

export type BandMethod = 'bootstrap' | 'std' | 'stderr' | 'minmax' | 'iqr' | 'none';
export const BAND_METHODS: readonly BandMethod[] = ['bootstrap', 'std', 'stderr', 'minmax', 'iqr', 'none'];

export interface AggregateOptions {
  statistic?: StatisticName;
  band?: BandMethod;
  /** Resampling settings of the 'bootstrap' band (default 500 resamples per step for curves). */
  bootstrap?: BootstrapOptions;
}

export interface AggregateCurve {
  grid: Float64Array;
  center: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  /** Runs defined (not NaN) at each grid step. */
  n: Int32Array;
  statistic: StatisticName;
  band: BandMethod;
  /** Resolved bootstrap settings when band = 'bootstrap'. */
  resamples?: number;
  confidence?: number;
  seed?: number;
}

export const DEFAULT_CURVE_RESAMPLES = 500;

/**
 * e.g. "IQM, band: 95% bootstrap CI (500 resamples), N = 5". The band is a percentile bootstrap over
 * the runs at each grid step (a curve holds one environment, so there is nothing to stratify); a
 * bootstrap band from fewer than 5 runs somewhere says so (caveats.ts, issue 18).
 */
export function legendText(c: AggregateCurve): string {
  let nmin = Number.POSITIVE_INFINITY;
  let nmax = 0;
  for (const v of c.n) {
    if (v > 0) nmin = Math.min(nmin, v);
    nmax = Math.max(nmax, v);
  }
  const nText = nmax === 0 ? 'N = 0' : nmin === nmax ? `N = ${nmax}` : `N = ${nmin}-${nmax}`;
  const few = c.band === 'bootstrap' && nmax > 0 && nmin < MIN_RUNS_FOR_INTERVAL ? ` (fewer than ${MIN_RUNS_FOR_INTERVAL} runs: the band covers far less than ${Math.round((c.confidence ?? 0.95) * 100)}%)` : '';
  return `${STATISTIC_LABEL[c.statistic]}, band: ${bandLabel(c)}, ${nText}${few}`;
}

export function bandLabel(c: Pick<AggregateCurve, 'band' | 'confidence' | 'resamples'>): string {
  switch (c.band) {
    case 'bootstrap':
      return `${Math.round((c.confidence ?? 0.95) * 100)}% bootstrap CI (${c.resamples} resamples)`;
    case 'std':
      return '+- 1 std';
    case 'stderr':
      return '+- 1 standard error';
    case 'minmax':
      return 'min-max';
    case 'iqr':
      return 'interquartile range';
    case 'none':
      return 'none';
  }
}

export function aggregateSeries(series: readonly Series[], grid: Float64Array, options: AggregateOptions = {}): AggregateCurve {
  return aggregateAligned(alignOnGrid(series, grid), grid, options);
}

/** Aggregate rows already on `grid` (one Float64Array per run, NaN where undefined). */
export function aggregateAligned(rows: readonly Float64Array[], grid: Float64Array, options: AggregateOptions = {}): AggregateCurve {
  const statisticName = options.statistic ?? 'mean';
  const band = options.band ?? 'bootstrap';
  const boot = resolveBootstrap({ resamples: DEFAULT_CURVE_RESAMPLES, ...options.bootstrap });
  const stat = scratchStatistic(statisticName);
  const G = grid.length;
  const center = new Float64Array(G).fill(Number.NaN);
  const lower = new Float64Array(G).fill(Number.NaN);
  const upper = new Float64Array(G).fill(Number.NaN);
  const n = new Int32Array(G);
  const R = rows.length;
  const column = new Float64Array(R);
  const scratch = new Float64Array(R);
  const stats = new Float64Array(boot.resamples);
  const rng = new Rng(boot.seed, 0xa66);
  for (let g = 0; g < G; g++) {
    let m = 0;
    for (let r = 0; r < R; r++) {
      const v = rows[r]![g]!;
      if (!Number.isNaN(v)) column[m++] = v;
    }
    n[g] = m;
    if (m === 0) continue;
    const sample = column.subarray(0, m);
    const work = scratch.subarray(0, m);
    work.set(sample);
    const c = stat(work);
    center[g] = c;
    switch (band) {
      case 'bootstrap': {
        for (let b = 0; b < boot.resamples; b++) {
          for (let i = 0; i < m; i++) work[i] = sample[drawIndex(rng, m)]!;
          stats[b] = stat(work);
        }
        [lower[g], upper[g]] = percentileInterval(stats, boot.confidence);
        break;
      }
      case 'std':
      case 'stderr': {
        const s = stdOf(sample) / (band === 'stderr' ? Math.sqrt(m) : 1);
        lower[g] = c - s;
        upper[g] = c + s;
        break;
      }
      case 'minmax':
      case 'iqr': {
        work.set(sample);
        work.sort();
        lower[g] = band === 'minmax' ? work[0]! : quantileSorted(work, 0.25);
        upper[g] = band === 'minmax' ? work[m - 1]! : quantileSorted(work, 0.75);
        break;
      }
      case 'none':
        lower[g] = c;
        upper[g] = c;
        break;
    }
  }
  const curve: AggregateCurve = { grid, center, lower, upper, n, statistic: statisticName, band };
  if (band === 'bootstrap') Object.assign(curve, boot);
  return curve;
}
