// The small-sample caveat beside intervals from fewer than 5 runs (issue 18, point 11).
import { describe, expect, it } from 'vitest';
import { MIN_RUNS_FOR_INTERVAL, smallSampleCaveat } from '../../../src-core/stats/caveats.ts';

describe('smallSampleCaveat', () => {
  it('speaks below 5 runs, quoting the measured coverage, and is silent from 5 on', () => {
    expect(MIN_RUNS_FOR_INTERVAL).toBe(5);
    expect(smallSampleCaveat(3)).toBe('N = 3 < 5: a 95% percentile bootstrap interval from so few runs covers the true value far less often than 95% (measured IQM coverage 0.47 at N = 2, 0.75 at N = 3, 0.88 at N = 5, 0.93 at N = 10)');
    expect(smallSampleCaveat(2)).toMatch(/^N = 2 < 5/);
    expect(smallSampleCaveat(1)).toBe('N = 1: no interval is possible from a single run');
    expect(smallSampleCaveat(5)).toBeNull();
    expect(smallSampleCaveat(40)).toBeNull();
  });
});
