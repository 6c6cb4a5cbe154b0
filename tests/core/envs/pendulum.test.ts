// Pendulum-v1: check value, clipping of torque and speed, truncation at 200, seeded resets.
import { describe, expect, it } from 'vitest';
import { makeEnv } from '../../../src-core/envs/registry.ts';
import { Rng } from '../../../src-core/rng.ts';
import { componentSum, relErr, rollout } from './helpers.ts';

describe('pendulum', () => {
  it('check value: from [1, 0] with zero torque, 200 steps return -1067.4522', () => {
    const r = rollout(makeEnv('pendulum'), () => [0], 1000, [1, 0]);
    expect(r.rewards.length).toBe(200);
    expect(relErr(r.total, -1067.4522)).toBeLessThan(1e-6);
  });

  it('never terminates; truncated exactly at step 200', () => {
    const r = rollout(makeEnv('pendulum'), () => [0.3], 1000, [1, 0]);
    expect(r.terminated.every((t) => !t)).toBe(true);
    expect(r.truncated.findIndex((t) => t)).toBe(199);
  });

  it('first step: cost from the state before the step, observation [cos, sin, theta_d]', () => {
    const env = makeEnv('pendulum');
    const obs0 = env.reset(new Rng(0), [1, 0.5]).observation;
    expect(Array.from(obs0)).toEqual([Math.cos(1), Math.sin(1), 0.5]);
    const s = env.step([1]);
    expect(s.reward).toBeCloseTo(-(1 + 0.1 * 0.25 + 0.001), 14);
    const thd = 0.5 + (15 * Math.sin(1) + 3) * 0.05;
    expect(s.observation[2]).toBeCloseTo(thd, 14);
    expect(Array.from(env.getState())).toEqual([1 + thd * 0.05, thd]);
    expect(componentSum(s.info.rewardComponents)).toBe(s.reward);
  });

  it('clips torque to [-2, 2] and speed to [-8, 8]', () => {
    const a = makeEnv('pendulum');
    const b = makeEnv('pendulum');
    const ra = rollout(a, () => [50], 5, [0.2, 0]);
    const rb = rollout(b, () => [2], 5, [0.2, 0]);
    expect(ra.rewards).toEqual(rb.rewards);
    const fast = rollout(makeEnv('pendulum'), () => [2], 1, [0, 7.9]);
    expect(fast.observations[0]![2]).toBe(8);
  });

  it('seeded reset: same seed same trajectory, different seed differs; theta in [-pi, pi), theta_d in [-1, 1)', () => {
    const x = rollout(makeEnv('pendulum'), (i) => [Math.sin(i)], 50, undefined, 7);
    const y = rollout(makeEnv('pendulum'), (i) => [Math.sin(i)], 50, undefined, 7);
    const z = rollout(makeEnv('pendulum'), (i) => [Math.sin(i)], 50, undefined, 8);
    expect(x.rewards).toEqual(y.rewards);
    expect(x.rewards).not.toEqual(z.rewards);
    const env = makeEnv('pendulum');
    for (let s = 0; s < 50; s++) {
      env.reset(new Rng(s));
      const [th, thd] = env.getState();
      expect(Math.abs(th!)).toBeLessThanOrEqual(Math.PI);
      expect(Math.abs(thd!)).toBeLessThanOrEqual(1);
    }
  });

  it('g is a parameter with a checked range', () => {
    expect(makeEnv('pendulum', undefined, { g: 9.81 }).params.g).toBe(9.81);
    expect(() => makeEnv('pendulum', undefined, { g: 100 })).toThrow(/'g' = 100 is outside \[0, 30\]/);
  });
});
