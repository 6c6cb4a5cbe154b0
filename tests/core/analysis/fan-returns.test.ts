// A fan's returns in numbers: median of odd and even K, sample std, lengths and ends counted.
import { describe, expect, it } from 'vitest';
import { fanReturns } from '../../../src-core/analysis/fan-returns.ts';
import type { FanEpisode } from '../../../src-core/contract/methods/analysis.ts';

const ep = (ret: number, length: number, end: Partial<FanEpisode> = {}): FanEpisode => ({ samplingSeed: 0, length, states: [], rewards: [], return: ret, terminated: false, truncated: true, nonFinite: false, ...end });

describe('fanReturns', () => {
  it('odd K: the middle return; sample std; lowest, highest and lengths', () => {
    const r = fanReturns({ deterministic: ep(5, 10), stochastic: [ep(3, 10), ep(1, 4, { terminated: true }), ep(2, 10)] });
    expect(r).toEqual({ deterministic: 5, count: 3, mean: 2, median: 2, lowest: 1, highest: 3, std: 1, shortest: 4, longest: 10, terminated: 1, nonFinite: 0 });
  });

  it('even K: the mean of the two middle returns; K = 1: std 0', () => {
    expect(fanReturns({ deterministic: ep(0, 1), stochastic: [ep(4, 1), ep(1, 1), ep(10, 1), ep(2, 1, { nonFinite: true })] })).toMatchObject({ median: 3, nonFinite: 1 });
    expect(fanReturns({ deterministic: ep(0, 1), stochastic: [ep(7, 1)] })).toMatchObject({ median: 7, std: 0, lowest: 7, highest: 7 });
  });
});
