// Parameters of the toy two-step bifurcation (spec/environments.md, "Toy"; reference
// ToyExample/toyexample.py). Rewards and the band half-width are parameters so that the exact
// MaxEnt analysis (src-core/analysis/toy-solver.ts) and the environment share one definition.
import type { ParamSpec } from '../types.ts';

export const TOY_STATE_COUNT = 6; // s0..s5, observed one-hot
export const TOY_EPISODE_STEPS = 2; // every episode from s0 lasts exactly two steps

export const TOY_PARAMS: readonly ParamSpec[] = [
  { name: 'bandHalfWidth', default: 0.1, unit: '', min: 1e-6, max: 1, description: 'at s1, |a| < this (open interval) reaches the +1 state' },
  { name: 'rewardGood', default: 1, unit: '', min: -1000, max: 1000, description: 'reward for s1 -> s3 (precise action inside the band)' },
  { name: 'rewardFail', default: -20, unit: '', min: -1000, max: 1000, description: 'reward for s1 -> s4 (action outside the band)' },
  { name: 'rewardSafe', default: -1, unit: '', min: -1000, max: 1000, description: 'reward for s2 -> s5 (the safe branch, any action)' },
];
