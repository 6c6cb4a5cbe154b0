// Hopper on MuJoCo WebAssembly (Gymnasium Hopper-v4 semantics): spaces, health termination,
// seeded determinism, bit-exact continuation from a full state, and the reward's arithmetic.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPhysics } from '../../../src-main/engine/mujoco.ts';
import { getEnvSpec, makeEnv } from '../../../src-core/envs/registry.ts';
import { Rng } from '../../../src-core/rng.ts';
import { componentSum, rollout } from './helpers.ts';

beforeAll(async () => {
  await loadPhysics();
});

describe('hopper', () => {
  it('has observation 11, action 3 in [-1, 1], 1000-step limit and 18 state components', () => {
    const env = makeEnv('hopper');
    expect(env.observationSpace.dim).toBe(11);
    expect(Array.from(env.actionSpace.low)).toEqual([-1, -1, -1]);
    expect(Array.from(env.actionSpace.high)).toEqual([1, 1, 1]);
    expect(env.maxEpisodeSteps).toBe(1000);
    expect(env.stateNames.length).toBe(18);
    const spec = getEnvSpec('hopper');
    expect(spec.variants[0]!.observationDim).toBe(11);
    expect(spec.physics).toBe('mujoco');
    env.close!();
  });

  it('reset: qpos0 [0, 1.25, 0, 0, 0, 0] plus noise within +-5e-3, x left out of the observation', () => {
    const env = makeEnv('hopper');
    const obs = env.reset(new Rng(3)).observation;
    const s = env.getState();
    const qpos0 = [0, 1.25, 0, 0, 0, 0];
    for (let i = 0; i < 6; i++) expect(Math.abs(s[i]! - qpos0[i]!)).toBeLessThanOrEqual(5e-3);
    for (let i = 6; i < 12; i++) expect(Math.abs(s[i]!)).toBeLessThanOrEqual(5e-3);
    expect(Array.from(obs.slice(0, 5))).toEqual(Array.from(s.slice(1, 6)));
    expect(Array.from(obs.slice(5))).toEqual(Array.from(s.slice(6, 12)));
    env.close!();
  });

  it('zero action: the hopper falls and terminates as unhealthy, not truncated', () => {
    const env = makeEnv('hopper');
    env.reset(new Rng(0));
    let r;
    let t = 0;
    do {
      r = env.step([0, 0, 0]);
      t++;
    } while (!r.terminated && !r.truncated && t < 1000);
    expect(r.terminated).toBe(true);
    expect(r.truncated).toBe(false);
    expect(t).toBeLessThan(1000);
    const s = env.getState();
    const reason = r.info.unhealthy;
    expect(['z', 'angle', 'state']).toContain(reason);
    if (reason === 'angle') expect(Math.abs(s[2]!)).toBeGreaterThanOrEqual(0.2);
    if (reason === 'z') expect(s[1]!).toBeLessThanOrEqual(0.7);
    env.close!();
  });

  it('the same seed gives the same rollout twice; another seed another one', () => {
    const act = (i: number) => [Math.sin(i / 7), Math.cos(i / 5), 0.5 * Math.sin(i / 3)];
    const a = rollout(makeEnv('hopper'), act, 200, undefined, 11);
    const b = rollout(makeEnv('hopper'), act, 200, undefined, 11);
    const c = rollout(makeEnv('hopper'), act, 200, undefined, 12);
    expect(a.observations).toEqual(b.observations);
    expect(a.rewards).toEqual(b.rewards);
    expect(c.rewards).not.toEqual(a.rewards);
  });

  it('resuming from a mid-episode full state continues bit for bit (and so does replaying the actions)', () => {
    const act = (i: number) => [0.8 * Math.sin(i / 4), -0.6, 0.4 * Math.cos(i / 6)];
    const env = makeEnv('hopper');
    env.reset(new Rng(5));
    for (let i = 0; i < 15; i++) env.step(act(i));
    const mid = env.getState();
    const rest: number[][] = [];
    for (let i = 15; i < 40; i++) rest.push([...env.step(act(i)).observation]);
    const copy = makeEnv('hopper');
    copy.reset(new Rng(99), mid);
    const again: number[][] = [];
    for (let i = 15; i < 40; i++) again.push([...copy.step(act(i)).observation]);
    expect(again).toEqual(rest);
    // the trainer's resume: reset from the saved generator state, then replay the episode's actions
    const replay = makeEnv('hopper');
    replay.reset(new Rng(5));
    for (let i = 0; i < 15; i++) replay.step(act(i));
    expect(Array.from(replay.getState())).toEqual(Array.from(mid));
    for (const e of [env, copy, replay]) e.close!();
  });

  it('reward: 1 + (x_after - x_before) / 0.008 - 1e-3 ||a||^2, with a as sent (before MuJoCo clamps it)', () => {
    const env = makeEnv('hopper');
    // scripted state: upright, moving forward at 1 m/s
    const state = [0, 1.25, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    env.reset(new Rng(0), state);
    const a = [0.5, -2, 0.1]; // -2 is clamped to -1 by MuJoCo, but the cost uses -2 (Gymnasium)
    const r = env.step(a);
    const x = env.getState()[0]!;
    const c = r.info.rewardComponents;
    expect(c.forward).toBeCloseTo(x / 0.008, 12);
    expect(c.forward).toBeGreaterThan(0.9); // ~1 m/s for 8 ms
    expect(c.forward).toBeLessThan(1.1);
    expect(c.ctrl_cost).toBeCloseTo(-1e-3 * (0.25 + 4 + 0.01), 15);
    expect(c.healthy).toBe(1);
    expect(r.reward).toBeCloseTo(componentSum(c), 14);
    expect(r.info.x_velocity).toBeCloseTo(x / 0.008, 12);
    // MuJoCo clamps the control: -2 and -1 give the same motion
    const clamped = makeEnv('hopper');
    clamped.reset(new Rng(0), state);
    clamped.step([0.5, -1, 0.1]);
    expect(Array.from(clamped.getState().slice(0, 12))).toEqual(Array.from(env.getState().slice(0, 12)));
    env.close!();
    clamped.close!();
  });

  it('health rules: a tilted torso (0.25 rad) or a low one (z 0.6) terminates at the first step', () => {
    const tilted = makeEnv('hopper');
    tilted.reset(new Rng(0), [0, 1.25, 0.25, 0, 0, 0, ...new Array(12).fill(0)]);
    const r1 = tilted.step([0, 0, 0]);
    expect(r1.terminated).toBe(true);
    expect(r1.info.unhealthy).toBe('angle');
    const low = makeEnv('hopper');
    low.reset(new Rng(0), [0, 0.6, 0, 0, 0, 0, ...new Array(12).fill(0)]);
    const r2 = low.step([0, 0, 0]);
    expect(r2.terminated).toBe(true);
    expect(r2.info.unhealthy).toBe('z');
    tilted.close!();
    low.close!();
  });

  it('bad input: a wrong state length or a non-finite component names what is wrong', () => {
    const env = makeEnv('hopper');
    expect(() => env.reset(new Rng(0), [0, 1.25])).toThrow(/initial state has 2 values, expected 18/);
    expect(() => env.reset(new Rng(0), [0, Number.NaN, ...new Array(16).fill(0)])).toThrow(/'rootz \[m\]' must be a finite number/);
    expect(() => env.step([0, 0])).toThrow(/action has 2 values, expected 3/);
    env.close!();
  });

  it('close() frees the MuJoCo objects: use after close throws', () => {
    const env = makeEnv('hopper');
    env.reset(new Rng(0));
    env.close!();
    expect(() => env.step([0, 0, 0])).toThrow(/after close/);
  });
});
