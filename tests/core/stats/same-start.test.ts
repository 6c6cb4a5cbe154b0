// Which recorded episodes of PPO and SAC share a start state (src-core/stats/same-start.ts).
import { describe, expect, it } from 'vitest';
import { commonRecordedStep, sameStartPair } from '../../../src-core/stats/same-start.ts';

const ep = (step: number, startSeed: number, episode = 0) => ({ step, startSeed, episode });

describe('same start state', () => {
  it('common step: the largest step every run with episodes recorded at; runs without any do not count', () => {
    expect(commonRecordedStep([[ep(100, 1), ep(200, 2)], [ep(200, 2), ep(202, 3)], []])).toBe(200);
    expect(commonRecordedStep([[ep(100, 1)], [ep(200, 2)]])).toBeNull();
    expect(commonRecordedStep([[], []])).toBeNull();
  });

  it("pairs the latest shared start; a later final evaluation of one run does not hide the shared one", () => {
    const ppo = [{ seed: 0, episodes: [ep(200, 7)] }, { seed: 1, episodes: [ep(200, 7)] }];
    const sac = [{ seed: 0, episodes: [ep(202, 9), ep(200, 7)] }, { seed: 1, episodes: [ep(202, 9), ep(200, 7)] }];
    const p = sameStartPair(ppo, sac)!;
    expect([p[0].run.seed, p[0].episode.step, p[1].run.seed, p[1].episode.step, p[1].episode.startSeed]).toEqual([0, 200, 0, 200, 7]);
  });

  it('prefers the later shared evaluation over an earlier one, then the lower seeds', () => {
    const xs = [{ seed: 3, episodes: [ep(50, 5), ep(300, 8)] }, { seed: 1, episodes: [ep(50, 5)] }];
    const ys = [{ seed: 2, episodes: [ep(50, 5)] }, { seed: 4, episodes: [ep(300, 8)] }];
    const p = sameStartPair(xs, ys)!;
    expect([p[0].run.seed, p[1].run.seed, p[0].episode.step]).toEqual([3, 4, 300]);
    const early = sameStartPair([xs[1]!, { seed: 0, episodes: [ep(50, 5)] }], ys)!;
    expect([early[0].run.seed, early[1].run.seed]).toEqual([0, 2]);
  });

  it('none when no start is shared', () => {
    expect(sameStartPair([{ seed: 0, episodes: [ep(1, 1)] }], [{ seed: 0, episodes: [ep(1, 2)] }])).toBeNull();
  });
});
