// Registry: ids, unknown ids/variants/parameters named in errors, spaces and budgets.
import { describe, expect, it } from 'vitest';
import { ENV_SPECS, getEnvSpec, makeEnv } from '../../../src-core/envs/registry.ts';
import { Rng } from '../../../src-core/rng.ts';

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
