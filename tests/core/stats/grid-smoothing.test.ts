// Common grid on runs of different lengths, TensorBoard smoothing, min-max down-sampling, aggregation.
import { describe, expect, it } from 'vitest';
import { aggregateSeries, legendText } from '../../../src-core/stats/aggregate.ts';
import { downsampleMinMax } from '../../../src-core/stats/downsample.ts';
import { commonGrid, interpolateOnto } from '../../../src-core/stats/grid.ts';
import { smoothEma } from '../../../src-core/stats/smoothing.ts';

const runA = { steps: [0, 10, 20], values: [0, 10, 40] };
const runB = { steps: [0, 5], values: [1, 2] }; // shorter run

describe('common step grid', () => {
  it('interpolates inside each run and never past its last step', () => {
    const grid = commonGrid([runA, runB], { kind: 'uniform', points: 5 });
    expect(Array.from(grid)).toEqual([0, 5, 10, 15, 20]);
    expect(Array.from(interpolateOnto(runA, grid))).toEqual([0, 5, 10, 25, 40]);
    const b = Array.from(interpolateOnto(runB, grid));
    expect(b.slice(0, 2)).toEqual([1, 2]);
    expect(b.slice(2).every(Number.isNaN)).toBe(true);
  });

  it('union grid of evaluation schedules; before the first step is undefined too', () => {
    const late = { steps: [10, 20], values: [3, 5] };
    const grid = commonGrid([runA, runB, late], { kind: 'union' });
    expect(Array.from(grid)).toEqual([0, 5, 10, 20]);
    const v = Array.from(interpolateOnto(late, grid));
    expect(Number.isNaN(v[0]!) && Number.isNaN(v[1]!)).toBe(true);
    expect(v.slice(2)).toEqual([3, 5]);
  });

  it('aggregates only the runs defined at each step and reports N', () => {
    const grid = commonGrid([runA, runB], { kind: 'union' });
    const c = aggregateSeries([runA, runB], grid, { statistic: 'mean', band: 'minmax' });
    expect(Array.from(c.n)).toEqual([2, 2, 1, 1]);
    expect(Array.from(c.center)).toEqual([0.5, 3.5, 10, 40]);
    expect(Array.from(c.lower)).toEqual([0, 2, 10, 40]);
    expect(Array.from(c.upper)).toEqual([1, 5, 10, 40]);
    expect(legendText(c)).toBe('mean, band: min-max, N = 1-2');
    const s = aggregateSeries([runA, runB], grid, { statistic: 'mean', band: 'std' });
    expect(s.upper[0]! - s.center[0]!).toBeCloseTo(Math.SQRT1_2, 12); // std of {0, 1}
  });

  it('bootstrap band brackets the statistic and is seeded', () => {
    const runs = [0, 1, 2, 3, 4].map((k) => ({ steps: [0, 1], values: [k, 2 * k] }));
    const grid = Float64Array.of(0, 1);
    const a = aggregateSeries(runs, grid, { statistic: 'iqm', band: 'bootstrap', bootstrap: { resamples: 300, seed: 7 } });
    const b = aggregateSeries(runs, grid, { statistic: 'iqm', band: 'bootstrap', bootstrap: { resamples: 300, seed: 7 } });
    expect(Array.from(a.lower)).toEqual(Array.from(b.lower));
    expect(a.center[1]).toBe(4); // IQM of 0 2 4 6 8 = mean of 2 4 6
    expect(a.lower[1]!).toBeLessThan(4);
    expect(a.upper[1]!).toBeGreaterThan(4);
    expect(legendText(a)).toBe('IQM, band: 95% bootstrap CI (300 resamples), N = 5');
    // a bootstrap band from fewer than 5 runs carries the caveat (issue 18)
    expect(legendText({ ...a, n: Int32Array.of(3, 5) })).toBe('IQM, band: 95% bootstrap CI (300 resamples), N = 3-5 (fewer than 5 runs: the band covers far less than 95%)');
  });
});

describe('TensorBoard debiased EMA', () => {
  it('matches the formula on a fixture, NaN passing through', () => {
    const out = smoothEma([1, 2, 3, Number.NaN, 10], 0.5);
    // last_k = 0.5 last_{k-1} + 0.5 y; smoothed = last_k / (1 - 0.5^k)
    expect(out[0]).toBeCloseTo(0.5 / 0.5, 12);
    expect(out[1]).toBeCloseTo(1.25 / 0.75, 12);
    expect(out[2]).toBeCloseTo(2.125 / 0.875, 12);
    expect(Number.isNaN(out[3]!)).toBe(true);
    expect(out[4]).toBeCloseTo(6.0625 / 0.9375, 12);
  });

  it('long series: bit-identical to the formula with w^k at every point (NaN and Infinity passing through)', () => {
    const reference = (v: ArrayLike<number>, w: number) => {
      const out = new Float64Array(v.length);
      let last = 0;
      let k = 0;
      for (let i = 0; i < v.length; i++) {
        const y = v[i]!;
        if (!Number.isFinite(y)) {
          out[i] = y;
          continue;
        }
        last = last * w + (1 - w) * y;
        k++;
        out[i] = last / (1 - Math.pow(w, k));
      }
      return out;
    };
    const v = Float64Array.from({ length: 20_000 }, (_, i) => (i % 997 === 5 ? Number.NaN : i % 1999 === 7 ? Number.POSITIVE_INFINITY : Math.sin(i * 0.37) * 3 + i * 1e-4));
    for (const w of [0.01, 0.5, 0.9, 0.99, 0.999]) expect(Array.from(smoothEma(v, w))).toEqual(Array.from(reference(v, w)));
  });

  it('weight 0 is the identity; a constant series stays constant', () => {
    expect(Array.from(smoothEma([3, -1, 4], 0))).toEqual([3, -1, 4]);
    expect(Array.from(smoothEma([0.1, 0.1, 0.1], 0.99))).toEqual([0.1, 0.1, 0.1]);
    expect(() => smoothEma([1], 1)).toThrow(/weight/);
  });
});

describe('min-max down-sampling', () => {
  it('keeps spikes, ends and x order within the point budget', () => {
    const n = 100_000;
    const xs = Float64Array.from({ length: n }, (_, i) => i);
    const ys = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 1000));
    ys[54_321] = 100;
    ys[77_777] = -100;
    const d = downsampleMinMax(xs, ys, 250);
    expect(d.x.length).toBeLessThanOrEqual(1000);
    expect(d.x[0]).toBe(0);
    expect(d.x[d.x.length - 1]).toBe(n - 1);
    expect(Math.max(...d.y)).toBe(100);
    expect(Math.min(...d.y)).toBe(-100);
    expect(d.x[d.y.indexOf(100)]).toBe(54_321);
    for (let i = 1; i < d.x.length; i++) expect(d.x[i]!).toBeGreaterThan(d.x[i - 1]!);
  });

  it('returns short series unchanged (minus non-finite values)', () => {
    const d = downsampleMinMax([0, 1, 2], [5, Number.NaN, 7], 10);
    expect(Array.from(d.x)).toEqual([0, 2]);
    expect(Array.from(d.y)).toEqual([5, 7]);
  });
});
