// Toy bifurcation: transitions, rewards, the open band, no clipping, two-step episodes.
import { describe, expect, it } from 'vitest';
import { getEnvSpec, makeEnv } from '../../../src-core/envs/registry.ts';
import { Rng } from '../../../src-core/rng.ts';
import { rollout } from './helpers.ts';

describe('toy', () => {
  it('starts in s0 observed one-hot', () => {
    const env = makeEnv('toy');
    expect(Array.from(env.reset(new Rng(1)).observation)).toEqual([1, 0, 0, 0, 0, 0]);
    expect(Array.from(env.getState())).toEqual([0]);
  });

  it('left then inside the band: s1 -> s3, +1, terminated after exactly two steps', () => {
    const r = rollout(makeEnv('toy'), (i) => [i === 0 ? 0 : 0.05], 10);
    expect(r.rewards).toEqual([0, 1]);
    expect(r.terminated).toEqual([false, true]);
    expect(r.truncated).toEqual([false, false]);
    expect(r.observations[0]).toEqual([0, 1, 0, 0, 0, 0]);
    expect(r.observations[1]).toEqual([0, 0, 0, 1, 0, 0]);
  });

  it('a = 0 at s0 goes left (a <= 0); the band is open: |a| = 0.1 fails with -20', () => {
    for (const a of [0.1, -0.1, 0.5, -1]) {
      const r = rollout(makeEnv('toy'), (i) => [i === 0 ? 0 : a], 10);
      expect(r.rewards).toEqual([0, -20]);
      expect(r.observations[1]).toEqual([0, 0, 0, 0, 1, 0]);
      expect(r.terminated).toEqual([false, true]);
    }
  });

  it('right branch: s2 -> s5 with -1 whatever the action', () => {
    for (const a2 of [0, 0.05, -3, 7]) {
      const r = rollout(makeEnv('toy'), (i) => [i === 0 ? 1e-9 : a2], 10);
      expect(r.rewards).toEqual([0, -1]);
      expect(r.observations[0]).toEqual([0, 0, 1, 0, 0, 0]);
      expect(r.observations[1]).toEqual([0, 0, 0, 0, 0, 1]);
    }
  });

  it('never clips: out-of-range actions are used as given (the registry says so too)', () => {
    expect(getEnvSpec('toy').clipsActions).toBe(false);
    expect(rollout(makeEnv('toy'), (i) => [i === 0 ? -5 : 5], 10).rewards).toEqual([0, -20]);
    expect(rollout(makeEnv('toy'), (i) => [i === 0 ? 5 : -5], 10).rewards).toEqual([0, -1]);
    // with a band wider than the action box, 1.5 is inside: a clipped and an unclipped env agree here,
    // but a NaN action is not replaced by a bound: a > 0 is false (left), then outside the band
    expect(rollout(makeEnv('toy', undefined, { bandHalfWidth: 1 }), (i) => [i === 0 ? Number.NaN : Number.NaN], 10).rewards).toEqual([0, -20]);
  });

  it('rewards and band width are parameters', () => {
    const env = makeEnv('toy', undefined, { rewardGood: 3, rewardSafe: -2, bandHalfWidth: 0.5 });
    expect(rollout(env, (i) => [i === 0 ? -1 : 0.4], 10).rewards).toEqual([0, 3]);
    expect(rollout(env, (i) => [i === 0 ? 1 : 0], 10).rewards).toEqual([0, -2]);
  });

  it('explicit initial state: an index 0..5; s1 ends in one step; terminal states are absorbing', () => {
    const env = makeEnv('toy');
    expect(rollout(env, () => [0], 10, [1]).rewards).toEqual([1]);
    const t = rollout(env, () => [0], 10, [4]);
    expect(t.rewards).toEqual([0]);
    expect(t.terminated).toEqual([true]);
    expect(() => env.reset(new Rng(0), [6])).toThrow(/0\.\.5/);
    expect(() => env.reset(new Rng(0), [0.5])).toThrow(/integer/);
    expect(() => env.reset(new Rng(0), [0, 1])).toThrow(/2 values, expected 1/);
  });

  it('wrong action length throws', () => {
    const env = makeEnv('toy');
    env.reset(new Rng(0));
    expect(() => env.step([0, 0])).toThrow(/action has 2 values, expected 1/);
  });
});
