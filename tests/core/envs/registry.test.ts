// Registry: ids, unknown ids/variants/parameters named in errors, spaces and budgets.
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV_SPECS, getEnvSpec, makeEnv } from '../../../src-core/envs/registry.ts';
import { loadPhysics } from '../../../src-main/engine/mujoco.ts';
import { Rng } from '../../../src-core/rng.ts';

beforeAll(async () => {
  await loadPhysics(); // hopper and opencat run on MuJoCo, which the host process hands in
});

describe('registry', () => {
  it('unknown id names it and lists the known ones', () => {
    expect(() => getEnvSpec('cartpole')).toThrow(/unknown environment 'cartpole' \(known: .*toy.*pendulum/);
  });

  it('unknown variant and parameter are named', () => {
    expect(() => makeEnv('toy', 'fancy')).toThrow(/unknown variant 'fancy'/);
    expect(() => makeEnv('pendulum', undefined, { gravity: 9 })).toThrow(/unknown parameter 'gravity' \(known: g, m, l, dt\)/);
    expect(() => makeEnv('pendulum', undefined, { g: Number.NaN })).toThrow(/'g' must be a finite number/);
  });

  it('every entry is consistent with the environment it makes', () => {
    for (const spec of ENV_SPECS) {
      expect(spec.defaultVariant).toBe(spec.variants[0]!.name);
      expect(spec.budget.totalSteps).toBeGreaterThan(0);
      for (const v of spec.variants) {
        const env = spec.make(v.name);
        expect(env.id).toBe(spec.id);
        expect(env.variant).toBe(v.name);
        expect(env.maxEpisodeSteps).toBe(spec.maxEpisodeSteps);
        expect(env.stateNames).toEqual(spec.stateNames(v.name));
        const obs = env.reset(new Rng(3)).observation;
        expect(obs.length).toBe(v.observationDim);
        expect(env.getState().length).toBe(env.stateNames.length);
        expect(v.actionLow.length).toBe(v.actionNames.length);
        for (const p of spec.params) expect(env.params[p.name]).toBe(p.default);
      }
    }
  });
});

describe('every environment and variant', () => {
  const cases = ENV_SPECS.flatMap((spec) => spec.variants.map((v) => [spec.id, v.name] as const));
  const randomResets = new Set(['quadrotor', 'acrobot', 'pendulum', 'hopper']); // opencat's reset is deterministic (as in the reference)

  function trajectory(id: string, variant: string, seed: number): { rewards: number[]; obs: number[][]; componentGap: number; ends: number } {
    const env = makeEnv(id, variant);
    const actionRng = new Rng(1000); // the same actions for every seed
    const rng = new Rng(seed);
    env.reset(rng);
    const rewards: number[] = [];
    const obs: number[][] = [];
    let componentGap = 0;
    let ends = 0;
    for (let i = 0; i < 300; i++) {
      const r = env.step(env.actionSpace.sample(actionRng));
      rewards.push(r.reward);
      obs.push(Array.from(r.observation));
      let sum = 0;
      for (const v of Object.values(r.info.rewardComponents)) sum += v;
      componentGap = Math.max(componentGap, Math.abs(sum - r.reward));
      if (r.terminated || r.truncated) {
        ends++;
        expect(env.elapsedSteps).toBeLessThanOrEqual(env.maxEpisodeSteps);
        env.reset(rng);
      }
    }
    return { rewards, obs, componentGap, ends };
  }

  it.each(cases)('%s/%s: same seed same trajectory; reward components sum to the reward', (id, variant) => {
    const a = trajectory(id, variant, 21);
    const b = trajectory(id, variant, 21);
    expect(a.rewards).toEqual(b.rewards);
    expect(a.obs).toEqual(b.obs);
    expect(a.componentGap).toBe(0);
    expect(a.rewards.every(Number.isFinite)).toBe(true);
    if (randomResets.has(id)) expect(trajectory(id, variant, 22).rewards).not.toEqual(a.rewards);
  });

  it.each(cases)('%s/%s: explicit state round-trips through getState; wrong length throws', (id, variant) => {
    const env = makeEnv(id, variant);
    env.reset(new Rng(5));
    const state = Array.from(env.getState());
    const first = Array.from(env.reset(new Rng(5)).observation);
    expect(Array.from(env.reset(new Rng(99), state).observation)).toEqual(first);
    expect(() => env.reset(new Rng(0), [...state, 0])).toThrow(new RegExp(`${id}: initial state has ${state.length + 1} values, expected ${state.length}`));
  });
});
