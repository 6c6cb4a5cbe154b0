// Test helpers for environments: roll out an action sequence and collect rewards and flags.
import type { Env } from '../../../src-core/envs/types.ts';
import { Rng } from '../../../src-core/rng.ts';

export interface Rollout {
  rewards: number[];
  terminated: boolean[];
  truncated: boolean[];
  observations: number[][];
  total: number;
}

/** Steps `env` from `initialState` (or a seeded reset) with `action(i)` for up to `steps` steps, stopping at an episode end. */
export function rollout(env: Env, action: (i: number) => ArrayLike<number>, steps: number, initialState?: number[], seed = 0): Rollout {
  env.reset(new Rng(seed), initialState);
  const out: Rollout = { rewards: [], terminated: [], truncated: [], observations: [], total: 0 };
  for (let i = 0; i < steps; i++) {
    const r = env.step(action(i));
    out.rewards.push(r.reward);
    out.terminated.push(r.terminated);
    out.truncated.push(r.truncated);
    out.observations.push(Array.from(r.observation));
    out.total += r.reward;
    if (r.terminated || r.truncated) break;
  }
  return out;
}

export function relErr(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

/** Sum of the reward components of the last step, in insertion order. */
export function componentSum(components: Record<string, number>): number {
  let s = 0;
  for (const v of Object.values(components)) s += v;
  return s;
}
