// Vehicle: check values of both variants, reset pose and observation, target schedule, clipping,
// the time limit reported as `terminated`, explicit states and the NaN guard.
import { describe, expect, it } from 'vitest';
import { makeEnv } from '../../../src-core/envs/registry.ts';
import { vehicleCourse, vehicleTrack } from '../../../src-core/envs/vehicle/spline.ts';
import { Rng } from '../../../src-core/rng.ts';
import { componentSum, relErr, rollout } from './helpers.ts';

describe('vehicle', () => {
  it('check values: constant [0, 0] for 200 steps', () => {
    const dyn = rollout(makeEnv('vehicle', 'dynamic'), () => [0, 0], 1000);
    expect(dyn.rewards.length).toBe(200);
    expect(relErr(dyn.total, -76858.5645)).toBeLessThan(1e-6);
    const kin = rollout(makeEnv('vehicle', 'kinematic'), () => [0, 0], 1000);
    expect(kin.rewards.length).toBe(200);
    expect(relErr(kin.total, -77901.5273)).toBeLessThan(1e-6);
  });

  it('the path: chord-length parameter total 61.229 m; start pose at s = 9', () => {
    const track = vehicleTrack();
    expect(track.spline.length).toBeCloseTo(61.229, 3);
    expect(track.start.x).toBeCloseTo(-1.32945, 5);
    expect(track.start.y).toBeCloseTo(-9.9461, 5);
    expect(track.start.psi).toBeCloseTo(3.0173, 5);
    // the target schedule: forward Euler on s from 13
    expect(track.targetS[0]).toBe(13);
    expect(track.targetS[1]).toBeCloseTo(13.1, 12);
    expect(track.targetS[109]).toBeCloseTo(13 + 0.1 * 109 + 0.001 * (108 * 109) / 2, 9);
  });

  it('reset: observation [-0.96948, 1.02589, 3.01730, 3, 0, -1] and state, whatever the seed', () => {
    for (const seed of [0, 1, 99]) {
      const env = makeEnv('vehicle');
      const obs = Array.from(env.reset(new Rng(seed)).observation);
      const expected = [-0.96948, 1.02589, 3.0173, 3, 0, -1];
      obs.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
      const st = Array.from(env.getState());
      [-1.32945, -9.9461, 3.0173, 3, 0, -1].forEach((v, i) => expect(st[i]).toBeCloseTo(v, 5));
    }
    const kin = makeEnv('vehicle', 'kinematic');
    const o = Array.from(kin.reset(new Rng(0)).observation);
    expect(o[5]).toBe(0); // omega = v / L tan(0)
    expect(o[4]).toBe(0);
    expect(kin.getState().length).toBe(4);
  });

  it('the time limit is returned as terminated (not truncated) at step 200; no early end', () => {
    for (const v of ['dynamic', 'kinematic']) {
      const r = rollout(makeEnv('vehicle', v), (i) => [Math.sin(i), Math.cos(i) * 0.3], 1000);
      expect(r.rewards.length).toBe(200);
      expect(r.terminated.slice(0, 199).every((t) => !t)).toBe(true);
      expect(r.terminated[199]).toBe(true);
      expect(r.truncated.every((t) => !t)).toBe(true);
      expect(r.rewards.every((x) => x <= 0)).toBe(true);
    }
  });

  it('clips throttle and steering to [-1, 1]', () => {
    for (const v of ['dynamic', 'kinematic']) {
      const a = rollout(makeEnv('vehicle', v), (i) => (i % 2 ? [5, -7] : [-3, 2]), 50);
      const b = rollout(makeEnv('vehicle', v), (i) => (i % 2 ? [1, -1] : [-1, 1]), 50);
      expect(a.rewards).toEqual(b.rewards);
      expect(a.observations).toEqual(b.observations);
    }
  });

  it('reward components { offTrack, targetDistance } sum to the reward', () => {
    const env = makeEnv('vehicle');
    env.reset(new Rng(0));
    const s = env.step([0.5, 0.2]);
    const [x, y] = env.getState();
    expect(s.info.rewardComponents.offTrack).toBeCloseTo(-0.3 * Math.abs(x! * x! + y! * y! - 100), 12);
    expect(componentSum(s.info.rewardComponents)).toBe(s.reward);
  });

  it('the target advances before the reward and stops at index 109 (stationary for the last 91 steps)', () => {
    const env = makeEnv('vehicle', 'kinematic');
    const r = rollout(env, () => [0, 0], 1000, [-1.32945, -9.9461, 0, 0]); // parked car
    const dist = r.rewards; // off-track part is constant for a parked car, so rewards track the target distance
    expect(dist[108]).not.toBe(dist[107]);
    for (let i = 109; i < 200; i++) expect(dist[i]).toBe(dist[108]);
    const track = vehicleTrack();
    const first = -Math.hypot(track.targets[2]! + 1.32945, track.targets[3]! + 9.9461);
    const off = -0.3 * Math.abs(1.32945 ** 2 + 9.9461 ** 2 - 100);
    expect(dist[0]).toBeCloseTo(off + first, 10); // step 1 uses target index 1
  });

  it('explicit initial state in the spec order; wrong length or non-number throws', () => {
    const env = makeEnv('vehicle');
    env.reset(new Rng(0), [10, 0, -Math.PI / 2, 5, 0.1, 0.2]);
    expect(Array.from(env.getState())).toEqual([10, 0, -Math.PI / 2, 5, 0.1, 0.2]);
    expect(() => env.reset(new Rng(0), [0, 0, 0, 1])).toThrow(/4 values, expected 6 \[x, y, psi, vx, vy, omega\]/);
    expect(() => makeEnv('vehicle', 'kinematic').reset(new Rng(0), [0, 0, 0, 1, 0, 0])).toThrow(/expected 4/);
    expect(() => env.reset(new Rng(0), [0, 0, Number.NaN, 1, 0, 0])).toThrow(/'psi' must be a finite number/);
  });

  it('a non-finite state (vx = 0 gives 0/0 in the tyre slip) ends the episode and says so', () => {
    const env = makeEnv('vehicle');
    env.reset(new Rng(0), [0, -10, 0, 0, 0, 0]);
    const s = env.step([0, 0]);
    expect(s.terminated).toBe(true);
    expect(s.info.nonFinite).toBe(true);
    expect(Array.from(s.observation).every(Number.isFinite)).toBe(true);
    expect(Number.isFinite(s.reward)).toBe(true);
    expect(Number.isNaN(env.getState()[3]!)).toBe(true);
    env.reset(new Rng(0));
    expect(env.step([0, 0]).info.nonFinite).toBe(false);
  });
});

describe('vehicle course for drawing', () => {
  it('the spline sampled every 0.1 of s, samples 80..299: 220 points near the radius-10 circle', () => {
    const { x, y } = vehicleCourse();
    expect(x.length).toBe(220);
    const [x0, y0] = vehicleTrack().spline.position(8);
    expect([x[0], y[0]]).toEqual([x0, y0]);
    for (let i = 0; i < 220; i++) expect(Math.abs(Math.hypot(x[i]!, y[i]!) - 10)).toBeLessThan(0.2);
  });
});

describe('vehicle corrected time limit (parameter, default off)', () => {
  it('timeLimitTruncates = 1 reports step 200 as truncated; the return is unchanged', () => {
    const r = rollout(makeEnv('vehicle', 'dynamic', { timeLimitTruncates: 1 }), () => [0, 0], 1000);
    expect(r.rewards.length).toBe(200);
    expect(r.truncated[199]).toBe(true);
    expect(r.terminated.every((t) => !t)).toBe(true);
    expect(relErr(r.total, -76858.5645)).toBeLessThan(1e-6);
  });
});
