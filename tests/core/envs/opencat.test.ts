// OpenCat (Petoi Bittle) on MuJoCo WebAssembly: spaces, start pose, the servo-like targets, the
// 30-snapshot history that shifts every second step, fall termination at the stated angles, the
// reward's terms, determinism, bit-exact continuation; and memory staying flat over create/close.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPhysics } from '../../../src-main/engine/mujoco.ts';
import { makeEnv } from '../../../src-core/envs/registry.ts';
import type { Physics } from '../../../src-core/envs/mujoco/physics.ts';
import { rollPitch } from '../../../src-core/envs/opencat/env.ts';
import { Rng } from '../../../src-core/rng.ts';
import { componentSum, heapProbe } from './helpers.ts';

let physics: Physics;
beforeAll(async () => {
  physics = await loadPhysics();
});

const DEG = Math.PI / 180;
const NQ = 15, NV = 14;
const O_CTRL = NQ + 2 * NV, O_RECENT = O_CTRL + 8, O_HIST = O_RECENT + 24, O_STEP = O_HIST + 240;

/** A full state with the base at height z, rotated by `roll` about x and `pitch` about y, at rest. */
function poseState(z: number, roll: number, pitch: number): number[] {
  const env = makeEnv('opencat');
  env.reset(new Rng(0));
  const s = Array.from(env.getState());
  env.close!();
  // q = q_y(pitch) * q_x(roll) (w, x, y, z)
  const cr = Math.cos(roll / 2), sr = Math.sin(roll / 2), cp = Math.cos(pitch / 2), sp = Math.sin(pitch / 2);
  s.splice(2, 5, z, cp * cr, cp * sr, sp * cr, -sp * sr);
  return s;
}

describe('opencat', () => {
  it('observation 246 = quaternion (x, y, z, w) + 2 rates + 30 x 8 history; action 8; 250-step limit', () => {
    const env = makeEnv('opencat');
    const obs = env.reset(new Rng(0)).observation;
    expect(obs.length).toBe(246);
    expect(env.actionSpace.dim).toBe(8);
    expect(env.maxEpisodeSteps).toBe(250);
    expect(Array.from(obs.slice(0, 4))).toEqual([0, 0, 0, 1]); // level base, PyBullet's (x, y, z, w)
    const start = [50, 0, 50, 0, 50, 0, 50, 0].map((d) => (d * DEG) / (110 * DEG));
    for (let k = 0; k < 30; k++) expect(Array.from(obs.slice(6 + 8 * k, 14 + 8 * k))).toEqual(start);
    const s = env.getState();
    expect(s[2]).toBe(0.08);
    expect(Array.from(s.slice(7, 15))).toEqual([50, 0, 50, 0, 50, 0, 50, 0].map((d) => d * DEG));
    env.close!();
  });

  it('targets: current angle + a 11 deg, clipped to +-110 deg and rounded to whole degrees', () => {
    const env = makeEnv('opencat');
    env.reset(new Rng(0));
    const q = env.getState().slice(7, 15);
    const a = [0.5, -1, 1, 0.03, 20, -20, 0, 0.26];
    env.step(a);
    const targets = env.getState().slice(O_CTRL, O_CTRL + 8);
    for (let j = 0; j < 8; j++) {
      const raw = Math.min(Math.max(q[j]! / DEG + a[j]! * 11, -110), 110);
      expect(targets[j]! / DEG).toBeCloseTo(Math.round(raw), 9);
    }
    expect(targets[4]! / DEG).toBeCloseTo(110, 9);
    expect(targets[5]! / DEG).toBeCloseTo(-110, 9);
    env.close!();
  });

  it('the history appends the normalised targets on steps 0, 2, 4 ... and shifts by one snapshot', () => {
    const env = makeEnv('opencat');
    const obs0 = Array.from(env.reset(new Rng(0)).observation);
    const act = (i: number) => [0.3, -0.2, 0.3, -0.2, 0.1 * i, 0, -0.1, 0.2].map((v) => v * (i % 3 === 0 ? 1 : -1));
    const hist = (o: ArrayLike<number>) => Array.from(o).slice(6);
    let prev = obs0;
    for (let i = 0; i < 6; i++) {
      const o = Array.from(env.step(act(i)).observation);
      const targets = Array.from(env.getState().slice(O_CTRL, O_CTRL + 8)).map((t) => t / (110 * DEG));
      if (i % 2 === 0) {
        expect(hist(o).slice(0, 232)).toEqual(hist(prev).slice(8)); // shifted by one snapshot
        expect(hist(o).slice(232)).toEqual(targets); // newest last
      } else {
        expect(hist(o)).toEqual(hist(prev)); // unchanged on odd steps
      }
      prev = o;
    }
    env.close!();
  });

  it('a fall is detected at the stated angles: |roll| or |pitch| > 1.3 rad ends with reward 0', () => {
    const [r0, p0] = rollPitch(Math.cos(0.65), Math.sin(0.65), 0, 0);
    expect(r0).toBeCloseTo(1.3, 12);
    expect(p0).toBeCloseTo(0, 12);
    for (const [roll, pitch] of [[1.36, 0], [0, -1.36], [-1.36, 0]] as const) {
      const env = makeEnv('opencat');
      env.reset(new Rng(0), poseState(0.2, roll, pitch));
      const r = env.step(new Array(8).fill(0));
      expect(r.terminated).toBe(true);
      expect(r.truncated).toBe(false);
      expect(r.reward).toBe(0);
      env.close!();
    }
    const tilted = makeEnv('opencat');
    tilted.reset(new Rng(0), poseState(0.2, 1.2, 0)); // in the air, 0.1 rad short of a fall
    expect(tilted.step(new Array(8).fill(0)).terminated).toBe(false);
    tilted.close!();
  });

  it('standing still for 250 steps is truncated, not terminated; the penalty weight grows with completed episodes', () => {
    const env = makeEnv('opencat');
    env.reset(new Rng(0));
    let r;
    let t = 0;
    do {
      r = env.step(new Array(8).fill(0));
      t++;
    } while (!r.terminated && !r.truncated);
    expect(t).toBe(250);
    expect(r.truncated).toBe(true);
    expect(r.terminated).toBe(false);
    expect(env.getState()[O_STEP + 2]).toBe(250); // steps of completed episodes
    // second episode: penalties are weighted by 250 / 2e6
    env.reset(new Rng(0));
    const s = env.step([1, -1, 1, -1, 1, -1, 1, -1]);
    const c = s.info.rewardComponents;
    const targets = Array.from(env.getState().slice(O_CTRL, O_CTRL + 8)).map((x) => x / (110 * DEG));
    const start = [50, 0, 50, 0, 50, 0, 50, 0].map((d) => d / 110);
    let smooth = 0;
    for (let j = 0; j < 8; j++) smooth += (targets[j]! - start[j]!) ** 2 + (targets[j]! - 2 * start[j]! + start[j]!) ** 2;
    expect(c.smoothness).toBeCloseTo((-250 / 2e6) * smooth, 15);
    expect(c.smoothness).toBeLessThan(0);
    expect(s.reward).toBeCloseTo(componentSum(c), 15);
    expect(c.movement).toBeCloseTo(1000 * (env.getState()[0]! - 0), 12);
    env.close!();
  });

  it('the same actions give the same rollout twice; a mid-episode full state continues bit for bit', () => {
    const act = (i: number) => Array.from({ length: 8 }, (_, j) => Math.sin(i / 3 + j));
    const run = () => {
      const env = makeEnv('opencat');
      env.reset(new Rng(0));
      const out: number[][] = [];
      for (let i = 0; i < 40; i++) out.push(Array.from(env.step(act(i)).observation));
      env.close!();
      return out;
    };
    expect(run()).toEqual(run());
    const env = makeEnv('opencat');
    env.reset(new Rng(0));
    for (let i = 0; i < 17; i++) env.step(act(i)); // odd step: the history's parity must carry over
    const mid = env.getState();
    const rest: number[][] = [];
    for (let i = 17; i < 40; i++) rest.push([...env.step(act(i)).observation]);
    const copy = makeEnv('opencat');
    copy.reset(new Rng(0), mid);
    const again: number[][] = [];
    for (let i = 17; i < 40; i++) again.push([...copy.step(act(i)).observation]);
    expect(again).toEqual(rest);
    env.close!();
    copy.close!();
  });

  it('10,000 create/close cycles of each MuJoCo environment keep the WebAssembly heap flat', () => {
    const probe = heapProbe(physics);
    const heap = probe.bytes;
    for (const id of ['hopper', 'opencat']) {
      const cycle = (i: number) => {
        const env = makeEnv(id);
        env.reset(new Rng(i));
        env.close!();
      };
      for (let i = 0; i < 200; i++) cycle(i);
      const before = heap();
      for (let i = 200; i < 10_000; i++) cycle(i);
      expect(heap()).toBe(before);
    }
    probe.close();
  });
});
