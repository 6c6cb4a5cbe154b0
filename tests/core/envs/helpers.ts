// Test helpers for environments: roll out an action sequence and collect rewards and flags.
import type { Env } from '../../../src-core/envs/types.ts';
import type { Physics } from '../../../src-core/envs/mujoco/physics.ts';
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

/**
 * MuJoCo's WebAssembly heap seen through a tiny model's data: `bytes()` is the heap's size now;
 * `view()` a view of it taken now (it reads as length 0 once the heap has grown). close() frees it.
 */
export function heapProbe(physics: Physics): { bytes(): number; view(): Float64Array; close(): void } {
  const model = physics.mujoco.MjModel.from_xml_string('<mujoco><worldbody><body><freejoint/><geom size="0.1"/></body></worldbody></mujoco>');
  const data = new physics.mujoco.MjData(model);
  return {
    bytes: () => data.qpos.buffer.byteLength,
    view: () => data.qpos,
    close: () => {
      data.delete();
      model.delete();
    },
  };
}
