// Draw frames of real environment states (through the registry) agree with the observations the
// environment gives, and divergence between episodes is found at the right step.
import { describe, expect, it } from 'vitest';
import { drawEpisode, drawFrame } from '../../../src-core/draw/index.ts';
import { firstDivergence, frameDistance } from '../../../src-core/draw/divergence.ts';
import type { QuadrotorFrame, VehicleFrame } from '../../../src-core/draw/types.ts';
import { makeEnv } from '../../../src-core/envs/registry.ts';
import { Rng } from '../../../src-core/rng.ts';

describe('frames of real episodes', () => {
  it('vehicle: the drawn target minus the drawn front point is the observation, at every step', () => {
    const env = makeEnv('vehicle', 'dynamic');
    let obs = env.reset(new Rng(0)).observation.slice();
    for (let k = 0; k < 120; k++) {
      const f = drawFrame('vehicle', 'dynamic', env.params, env.getState(), { step: k }) as VehicleFrame;
      expect(f.target[0] - f.front[0]).toBeCloseTo(obs[0]!, 9);
      expect(f.target[1] - f.front[1]).toBeCloseTo(obs[1]!, 9);
      obs = env.step([0.5, -0.2]).observation.slice();
    }
  });

  it('quadrotor: the reward desired point is (k - 1) dt along x, as the observation uses it', () => {
    const env = makeEnv('quadrotor', 'rotors');
    env.reset(new Rng(0), new Array(12).fill(0));
    let obs = new Float64Array(9);
    for (let k = 1; k <= 5; k++) {
      obs = env.step([2.5, 2.5, 2.5, 2.5]).observation.slice();
      const f = drawFrame('quadrotor', 'rotors', env.params, env.getState(), { step: k }) as QuadrotorFrame;
      expect(f.rewardDesired[0] - f.position[0]).toBeCloseTo(obs[0]!, 9);
      expect(-f.position[2]).toBeCloseTo(obs[2]!, 9);
    }
  });

  it('first divergence: the first step two episodes are farther apart than the distance', () => {
    const a = drawEpisode('obstacle2d', '', {}, [0, 0, 1, 0, 2, 0, 3, 0], 2, [], 2);
    const b = drawEpisode('obstacle2d', '', {}, [0, 0, 1, 0.05, 2, 0.5, 3, 2], 2, [], 2);
    expect(frameDistance(a[2]!, b[2]!)).toBeCloseTo(0.5, 12);
    expect(firstDivergence([a, b], 0.1)).toBe(2);
    expect(firstDivergence([a, b], 0.01)).toBe(1);
    expect(firstDivergence([a, b], 5)).toBeNull();
    expect(firstDivergence([a, a, b], 1)).toBe(3);
    expect(firstDivergence([a], 0)).toBeNull();
  });
});
