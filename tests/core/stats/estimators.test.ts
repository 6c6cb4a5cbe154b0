// Point estimates against hand-computed fixtures (rliable definitions: IQM = trim_mean(x, 0.25)).
import { describe, expect, it } from 'vitest';
import { iqmOf, meanOf, medianOf, optimalityGapOf, quantileOf, stderrOf, stdOf, summarize } from '../../../src-core/stats/estimators.ts';

const x = [3, 1, 4, 1, 5, 9, 2, 6]; // sorted: 1 1 2 3 4 5 6 9

describe('point estimates', () => {
  it('mean, median, quantiles', () => {
    expect(meanOf(x)).toBe(31 / 8);
    expect(medianOf(x)).toBe(3.5);
    expect(quantileOf(x, 0.25)).toBeCloseTo(1.75, 12); // position 1.75 between 1 and 2
    expect(quantileOf(x, 1)).toBe(9);
    expect(medianOf([5, 1, 3])).toBe(3);
  });

  it('IQM drops floor(n/4) values at each end', () => {
    expect(iqmOf(x)).toBe((2 + 3 + 4 + 5) / 4); // n = 8: drop 2 each side
    expect(iqmOf([10, -2, 7, 0, 3])).toBeCloseTo(10 / 3, 12); // n = 5: drop -2 and 10
    expect(iqmOf([1, 2, 3])).toBe(2); // n = 3: nothing dropped -> mean
    expect(iqmOf([100, 1, 2, 3, 4, -100])).toBe(2.5); // n = 6: drop one each side
  });

  it('sample std and standard error', () => {
    // squared deviations from 3.875 sum to 52.875
    expect(stdOf(x)).toBeCloseTo(Math.sqrt(52.875 / 7), 12);
    expect(stderrOf(x)).toBeCloseTo(Math.sqrt(52.875 / 7) / Math.sqrt(8), 12);
    // one value: undefined, as numpy's std(ddof=1) and scipy.stats.sem give NaN (issue 18), never 0
    expect(Number.isNaN(stdOf([4]))).toBe(true);
    expect(Number.isNaN(stderrOf([4]))).toBe(true);
    expect(Number.isNaN(stdOf([]))).toBe(true);
  });

  it('optimality gap (gamma = 1)', () => {
    expect(optimalityGapOf([0.5, 1.2, 0.0, 0.9])).toBeCloseTo(0.4, 12);
    expect(optimalityGapOf([2, 3], 2.5)).toBeCloseTo(0.25, 12);
  });

  it('summary of one sample', () => {
    const s = summarize(x);
    expect(s).toMatchObject({ n: 8, min: 1, max: 9, median: 3.5, iqm: 3.5 });
    expect(s.mean).toBe(3.875);
    expect(summarize([]).n).toBe(0);
  });
});
