// Obstacle2D: check value, the ordered reward rules, directed edge crossings, the 51st-step
// truncation (the state still moves), clipping and explicit states.
import { describe, expect, it } from 'vitest';
import { makeEnv } from '../../../src-core/envs/registry.ts';
import { Rng } from '../../../src-core/rng.ts';
import { componentSum, relErr, rollout } from './helpers.ts';

describe('obstacle2d', () => {
  it('check value: [2.5, 3] then [0.5, -3]: -0.0414 then +500, return 499.9586', () => {
    const r = rollout(makeEnv('obstacle2d'), (i) => (i === 0 ? [2.5, 3] : [0.5, -3]), 10);
    expect(r.rewards.length).toBe(2);
    expect(r.rewards[0]).toBeCloseTo(3 - Math.sqrt(0.25 + 9), 14);
    expect(Number(r.rewards[0]!.toFixed(4))).toBe(-0.0414);
    expect(r.rewards[1]).toBe(500);
    expect(r.terminated).toEqual([false, true]);
    expect(relErr(r.total, 499.9586)).toBeLessThan(1e-6);
  });

  it('observation [(x - 2.025) / 2.025, y / 3]', () => {
    const env = makeEnv('obstacle2d');
    expect(Array.from(env.reset(new Rng(0)).observation)).toEqual([-1, 0]);
    const s = env.step([1, 1.5]);
    expect(Array.from(s.observation)).toEqual([(1 - 2.025) / 2.025, 0.5]);
  });

  it('a move through the wall: -200, terminated', () => {
    const r = rollout(makeEnv('obstacle2d'), () => [3, 0.5], 10);
    expect(r.rewards).toEqual([-200]);
    expect(r.terminated).toEqual([true]);
    expect(r.truncated).toEqual([false]);
  });

  it('edge direction decides moves that end exactly on an edge', () => {
    // ending on the left edge from the left is not a crossing (progress 1) ...
    const left = rollout(makeEnv('obstacle2d'), () => [1, 0], 1, [1, 0]);
    expect(left.rewards).toEqual([1]);
    // ... but leaving it to the right is
    expect(rollout(makeEnv('obstacle2d'), () => [1, 0], 1, [2, 0]).rewards).toEqual([-200]);
    // ending on the top edge from above is a crossing
    expect(rollout(makeEnv('obstacle2d'), () => [0, -1], 1, [2.03125, 3]).rewards).toEqual([-200]);
  });

  it('the point-inside-the-wall check never fires: moving inside the wall is only progress', () => {
    const r = rollout(makeEnv('obstacle2d'), () => [0.01, 0.5], 1, [2.01, 0]);
    expect(r.terminated).toEqual([false]);
    expect(r.rewards[0]).toBeCloseTo(Math.hypot(0.99, 0) - Math.hypot(0.98, 0.5), 14);
  });

  it('goal strictly within 0.1: +500 terminated; greedy parking in front of the wall earns about 2', () => {
    expect(rollout(makeEnv('obstacle2d'), () => [0.05, 0.05], 1, [2.9, 0]).rewards).toEqual([500]);
    const park = rollout(makeEnv('obstacle2d'), (i) => (i === 0 ? [1.9, 0] : [0, 0]), 100);
    expect(park.total).toBeCloseTo(1.9, 12);
  });

  it('the 51st step: reward 0 and truncated, and the state still moves', () => {
    const env = makeEnv('obstacle2d');
    const r = rollout(env, (i) => (i < 50 ? [0, 0] : [1, 0]), 100);
    expect(r.rewards.length).toBe(51);
    expect(r.truncated.findIndex((t) => t)).toBe(50);
    expect(r.terminated.every((t) => !t)).toBe(true);
    expect(r.rewards[50]).toBe(0);
    expect(Array.from(env.getState())).toEqual([1, 0]);
    // truncation comes first even for a move that would hit the goal
    const g = makeEnv('obstacle2d');
    g.reset(new Rng(0), [2.5, 3]);
    for (let i = 0; i < 50; i++) g.step([0, 0]);
    const last = g.step([0.5, -3]);
    expect([last.reward, last.truncated, last.terminated]).toEqual([0, true, false]);
  });

  it('clips velocities to +-3 per axis; components sum to the reward', () => {
    const a = rollout(makeEnv('obstacle2d'), () => [-10, 10], 5);
    const b = rollout(makeEnv('obstacle2d'), () => [-3, 3], 5);
    expect(a.rewards).toEqual(b.rewards);
    const env = makeEnv('obstacle2d');
    env.reset(new Rng(0));
    const s = env.step([1, 1]);
    expect(componentSum(s.info.rewardComponents)).toBe(s.reward);
    expect(() => env.reset(new Rng(0), [1])).toThrow(/1 values, expected 2 \[x, y\]/);
  });
});
