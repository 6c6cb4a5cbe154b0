// Quadrotor: check value and first rewards, the lagged desired point, clipping, the 40-step
// limit as `terminated`, the simplified variant, seeded resets and explicit states.
import { describe, expect, it } from 'vitest';
import { makeEnv } from '../../../src-core/envs/registry.ts';
import { Rng } from '../../../src-core/rng.ts';
import { componentSum, relErr, rollout } from './helpers.ts';

const HOVER = 2.256779;
const ZERO = new Array<number>(12).fill(0);

describe('quadrotor', () => {
  it('check value: hover rotor speeds from the zero state, 40 steps, return -585.000372', () => {
    const r = rollout(makeEnv('quadrotor'), () => [HOVER, HOVER, HOVER, HOVER], 1000, ZERO);
    expect(r.rewards.length).toBe(40);
    expect(relErr(r.total, -585.000372)).toBeLessThan(1e-6);
    expect(r.rewards[0]).toBeLessThan(-3.1e-8);
    expect(r.rewards[0]).toBeGreaterThan(-3.3e-8);
    expect(relErr(r.rewards[1]!, -0.75)).toBeLessThan(1e-6);
    expect(relErr(r.rewards[2]!, -1.5)).toBeLessThan(1e-6);
    expect(relErr(r.rewards[3]!, -2.25)).toBeLessThan(1e-6);
  });

  it('the desired point after step k is the one of time (k - 1) dt (reference quirk)', () => {
    const env = makeEnv('quadrotor');
    expect(env.reset(new Rng(0), ZERO).observation[0]).toBe(0);
    expect(env.reset(new Rng(0), ZERO).observation[6]).toBe(1.5);
    const o1 = env.step([HOVER, HOVER, HOVER, HOVER]).observation[0]!;
    expect(Math.abs(o1 - (0 - env.getState()[0]!))).toBeLessThan(1e-15);
    const o2 = env.step([HOVER, HOVER, HOVER, HOVER]).observation[0]!;
    expect(o2).toBeCloseTo(0.15 - env.getState()[0]!, 14);
  });

  it('the 40-step limit is returned as terminated, never truncated', () => {
    for (const v of ['rotors', 'simplified']) {
      const r = rollout(makeEnv('quadrotor', v), (i) => [i % 3, 1, 2, 0.5], 1000, undefined, 3);
      expect(r.rewards.length).toBe(40);
      expect(r.terminated.slice(0, 39).every((t) => !t)).toBe(true);
      expect(r.terminated[39]).toBe(true);
      expect(r.truncated.every((t) => !t)).toBe(true);
    }
  });

  it('clips rotor speeds to [0, 10]', () => {
    const a = rollout(makeEnv('quadrotor'), () => [20, -5, 3, 3], 40, ZERO);
    const b = rollout(makeEnv('quadrotor'), () => [10, 0, 3, 3], 40, ZERO);
    expect(a.rewards).toEqual(b.rewards);
  });

  it('simplified variant: a in [-1, 1]^4 (clipped), a = 0 is hover thrust with zero moments', () => {
    const env = makeEnv('quadrotor', 'simplified');
    expect(Array.from(env.actionSpace.low)).toEqual([-1, -1, -1, -1]);
    const r = rollout(env, () => [0, 0, 0, 0], 40, ZERO);
    r.rewards.forEach((x, k) => expect(x).toBeCloseTo(-0.75 * k, 9));
    const c1 = rollout(makeEnv('quadrotor', 'simplified'), () => [3, -2, 0.5, 9], 40, ZERO);
    const c2 = rollout(makeEnv('quadrotor', 'simplified'), () => [1, -1, 0.5, 1], 40, ZERO);
    expect(c1.rewards).toEqual(c2.rewards);
  });

  it('reward components { position, yaw, roll, pitch } sum to the reward', () => {
    const env = makeEnv('quadrotor');
    env.reset(new Rng(4));
    const s = env.step([3, 1, 2, 2.5]);
    expect(componentSum(s.info.rewardComponents)).toBe(s.reward);
    expect(s.info.rewardComponents.roll).toBeLessThan(0);
  });

  it('seeded reset: ranges, same seed same start, different seed differs', () => {
    const env = makeEnv('quadrotor');
    for (let seed = 0; seed < 30; seed++) {
      env.reset(new Rng(seed));
      const s = env.getState();
      expect(Math.abs(s[0]!)).toBeLessThanOrEqual(0.1);
      expect(Math.abs(s[1]!)).toBeLessThanOrEqual(0.1);
      expect(Math.abs(s[2]!)).toBeLessThanOrEqual(1);
      for (let i = 3; i < 6; i++) expect(Math.abs(s[i]!)).toBeLessThanOrEqual(0.1);
      for (let i = 6; i < 12; i++) expect(s[i]).toBe(0);
    }
    const a = rollout(makeEnv('quadrotor'), () => [2, 2.5, 2, 2.5], 40, undefined, 11);
    const b = rollout(makeEnv('quadrotor'), () => [2, 2.5, 2, 2.5], 40, undefined, 11);
    const c = rollout(makeEnv('quadrotor'), () => [2, 2.5, 2, 2.5], 40, undefined, 12);
    expect(a.rewards).toEqual(b.rewards);
    expect(a.rewards).not.toEqual(c.rewards);
  });

  it('explicit initial state has 12 components in the spec order', () => {
    const env = makeEnv('quadrotor');
    const st = [1, 2, 3, 4, 5, 6, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
    const obs = env.reset(new Rng(0), st).observation;
    expect(Array.from(env.getState())).toEqual(st);
    expect(Array.from(obs)).toEqual([-1, -2, -3, 0.1, 0.2, 0.3, 1.5 - 4, -5, -6]);
    expect(() => env.reset(new Rng(0), st.slice(0, 9))).toThrow(/9 values, expected 12/);
  });
});

describe('quadrotor corrected variants (parameters, default off)', () => {
  it('desiredLag = 0 uses the desired point of time k dt: hover rewards become -0.75 k', () => {
    const r = rollout(makeEnv('quadrotor', 'rotors', { desiredLag: 0 }), () => [HOVER, HOVER, HOVER, HOVER], 40, ZERO);
    r.rewards.forEach((x, i) => expect(relErr(x, -0.75 * (i + 1))).toBeLessThan(1e-6));
  });

  it('timeLimitTruncates = 1 reports the 40-step limit as truncated', () => {
    const r = rollout(makeEnv('quadrotor', 'rotors', { timeLimitTruncates: 1 }), () => [2, 2, 2, 2], 100, ZERO);
    expect(r.rewards.length).toBe(40);
    expect(r.truncated[39]).toBe(true);
    expect(r.terminated.every((t) => !t)).toBe(true);
    expect(() => makeEnv('quadrotor', 'rotors', { desiredLag: 0.5 })).toThrow(/'desiredLag' must be an integer/);
  });
});
