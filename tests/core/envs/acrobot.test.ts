// Acrobot: check value (200 steps only: the system is chaotic), clipping, truncation at 400,
// wrapping and rate limits, seeded resets, explicit states.
import { describe, expect, it } from 'vitest';
import { makeEnv } from '../../../src-core/envs/registry.ts';
import { Rng } from '../../../src-core/rng.ts';
import { componentSum, relErr, rollout } from './helpers.ts';

describe('acrobot', () => {
  it('check value: from [pi/2 + 0.1, 0, 0, 0], zero torque, 200 steps: -2088.7922', () => {
    const r = rollout(makeEnv('acrobot'), () => [0], 200, [Math.PI / 2 + 0.1, 0, 0, 0]);
    expect(r.rewards.length).toBe(200);
    expect(relErr(r.total, -2088.7922)).toBeLessThan(1e-6);
  });

  it('upright at rest is an equilibrium with reward 0 (the maximum)', () => {
    const r = rollout(makeEnv('acrobot'), () => [0], 5, [Math.PI / 2, 0, 0, 0]);
    for (const x of r.rewards) expect(Math.abs(x)).toBeLessThan(1e-20); // cos(pi/2) is 6e-17, not 0
  });

  it('never terminates; truncated exactly at step 400', () => {
    const r = rollout(makeEnv('acrobot'), (i) => [5 * Math.sin(i / 7)], 1000, undefined, 2);
    expect(r.rewards.length).toBe(400);
    expect(r.terminated.every((t) => !t)).toBe(true);
    expect(r.truncated.findIndex((t) => t)).toBe(399);
  });

  it('clips torque to [-20, 20]', () => {
    const a = rollout(makeEnv('acrobot'), () => [100], 30, [1, 0.2, 0, 0]);
    const b = rollout(makeEnv('acrobot'), () => [20], 30, [1, 0.2, 0, 0]);
    expect(a.rewards).toEqual(b.rewards);
  });

  it('wraps angles to [-pi, pi] and clips rates to 4 pi and 9 pi', () => {
    const env = makeEnv('acrobot');
    env.reset(new Rng(0), [3.1, -3.1, 100, -100]);
    const s = env.step([20]);
    const st = env.getState();
    expect(Math.abs(st[0]!)).toBeLessThanOrEqual(Math.PI);
    expect(Math.abs(st[1]!)).toBeLessThanOrEqual(Math.PI);
    expect(Math.abs(st[2]!)).toBeLessThanOrEqual(4 * Math.PI);
    expect(Math.abs(st[3]!)).toBeLessThanOrEqual(9 * Math.PI);
    expect(Array.from(s.observation)).toEqual([Math.cos(st[0]!), Math.sin(st[0]!), Math.cos(st[1]!), Math.sin(st[1]!), st[2], st[3]]);
    expect(componentSum(s.info.rewardComponents)).toBe(s.reward);
  });

  it('seeded reset: th1 in [45, 135] deg, the rest in [-0.1, 0.1]; determinism', () => {
    const env = makeEnv('acrobot');
    for (let seed = 0; seed < 30; seed++) {
      env.reset(new Rng(seed));
      const s = env.getState();
      expect(s[0]).toBeGreaterThanOrEqual(Math.PI / 4);
      expect(s[0]).toBeLessThanOrEqual((3 * Math.PI) / 4);
      for (let i = 1; i < 4; i++) expect(Math.abs(s[i]!)).toBeLessThanOrEqual(0.1);
    }
    const a = rollout(makeEnv('acrobot'), () => [1], 100, undefined, 5);
    const b = rollout(makeEnv('acrobot'), () => [1], 100, undefined, 5);
    const c = rollout(makeEnv('acrobot'), () => [1], 100, undefined, 6);
    expect(a.rewards).toEqual(b.rewards);
    expect(a.rewards).not.toEqual(c.rewards);
  });

  it('explicit state: 4 values', () => {
    expect(() => makeEnv('acrobot').reset(new Rng(0), [1, 2])).toThrow(/2 values, expected 4 \[th1, th2, th1_d, th2_d\]/);
  });
});
