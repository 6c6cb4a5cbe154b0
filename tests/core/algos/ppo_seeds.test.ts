// PPO over K seeds (src-core/algos/ppo/ppo.ts): stacking seeds mixes nothing between them (a
// two-seed minibatch gives each seed exactly its gradient alone), the gradient norm is clipped per
// seed (one seed's large gradient does not scale another's), and seed k's checkpoint is the
// single-seed agent's, value for value.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/engine/backend.ts';
import { Rng } from '../../../src-core/rng.ts';
import { PPO_DEFAULTS } from '../../../src-core/algos/ppo/config.ts';
import { PpoAgent, SeedPpoAgent, type PpoMinibatch } from '../../../src-core/algos/ppo/ppo.ts';

beforeAll(async () => {
  await initBackend('wasm');
});

const OBS = 4;
const ACT = 2;
const M = 16;
const cfg = { ...PPO_DEFAULTS, hidden: [8, 8], rolloutSteps: 32, minibatchSize: M, maxGradNorm: 0.5 };

function minibatch(rng: Rng, advScale: number): PpoMinibatch {
  const draw = (n: number, scale = 1) => Float32Array.from({ length: n }, () => scale * rng.normal());
  return { m: M, obs: draw(M * OBS), actions: draw(M * ACT, 0.5), advantages: draw(M, advScale), returns: draw(M), logpOld: draw(M, 0.1) };
}

function stacked(a: PpoMinibatch, b: PpoMinibatch): PpoMinibatch {
  const cat = (x: Float32Array, y: Float32Array) => {
    const out = new Float32Array(x.length + y.length);
    out.set(x);
    out.set(y, x.length);
    return out;
  };
  return { m: M, obs: cat(a.obs, b.obs), actions: cat(a.actions, b.actions), advantages: cat(a.advantages, b.advantages), returns: cat(a.returns, b.returns), logpOld: cat(a.logpOld, b.logpOld) };
}

function grads(agent: SeedPpoAgent, seeds: number[], mb: PpoMinibatch): { grads: Float32Array; stats: Float32Array } {
  return tf.tidy(() => {
    const g = agent.minibatchGrads(seeds, mb, true);
    return { grads: g.grads.dataSync() as Float32Array, stats: g.stats!.dataSync() as Float32Array };
  });
}

const norm = (g: ArrayLike<number>) => Math.sqrt(Array.from(g).reduce((s, v) => s + v * v, 0));

describe('PPO over seeds', () => {
  it('a two-seed minibatch gives each seed exactly the gradient and statistics it has alone', () => {
    const agent = new SeedPpoAgent(cfg, OBS, ACT, [new Rng(1), new Rng(2)]);
    const rng = new Rng(9);
    const a = minibatch(rng, 1);
    const b = minibatch(rng, 1);
    const both = grads(agent, [0, 1], stacked(a, b));
    const alone0 = grads(agent, [0], a);
    const alone1 = grads(agent, [1], b);
    const P = alone0.grads.length;
    expect(both.grads.length).toBe(2 * P);
    expect(Array.from(both.grads.subarray(0, P))).toEqual(Array.from(alone0.grads));
    expect(Array.from(both.grads.subarray(P))).toEqual(Array.from(alone1.grads));
    expect(Array.from(both.stats.subarray(0, 6))).toEqual(Array.from(alone0.stats));
    expect(Array.from(both.stats.subarray(6))).toEqual(Array.from(alone1.stats));
    // the seeds' weights differ, so equal results would mean one seed's weights served both
    expect(Array.from(alone0.grads)).not.toEqual(Array.from(alone1.grads));
    agent.dispose();
  });

  it('clips the gradient norm per seed: a large gradient is scaled to maxGradNorm, a small one is left as it is', () => {
    // no value loss here, so the advantages' scale sets each seed's gradient norm
    const agent = new SeedPpoAgent({ ...cfg, vfCoef: 0 }, OBS, ACT, [new Rng(3), new Rng(4)]);
    const rng = new Rng(10);
    const mb = stacked(minibatch(rng, 100), minibatch(rng, 0.001));
    const raw = grads(agent, [0, 1], mb).grads;
    const P = raw.length / 2;
    const g0 = raw.subarray(0, P);
    const g1 = raw.subarray(P);
    expect(norm(g0)).toBeGreaterThan(2 * cfg.maxGradNorm);
    expect(norm(g1)).toBeLessThan(cfg.maxGradNorm);
    const handed: Float32Array[] = [];
    (agent.adam as unknown as { apply(k: number, g: Float32Array): void }).apply = (_k, g) => void handed.push(g.slice());
    expect((agent as unknown as { minibatchStep(s: number[], mb: PpoMinibatch, w: boolean): tf.Tensor | null }).minibatchStep([0, 1], mb, false)).toBeNull();
    expect(handed).toHaveLength(2);
    expect(norm(handed[0]!)).toBeCloseTo(cfg.maxGradNorm, 5);
    const scale = handed[0]![0]! / g0[0]!;
    for (let i = 0; i < P; i++) expect(handed[0]![i]!).toBeCloseTo(g0[i]! * scale, 6);
    expect(Array.from(handed[1]!)).toEqual(Array.from(g1));
    agent.dispose();
  });

  it("seed k's checkpoint is the single-seed agent's, key for key and value for value", () => {
    const group = new SeedPpoAgent(cfg, OBS, ACT, [new Rng(5), new Rng(6)]);
    const alone = new PpoAgent(cfg, OBS, ACT, new Rng(6));
    const g = group.saveState(1);
    const s = alone.saveState();
    expect(Object.keys(g.tensors).sort()).toEqual(Object.keys(s.tensors).sort());
    for (const key of Object.keys(s.tensors)) {
      expect(g.tensors[key]!.shape).toEqual(s.tensors[key]!.shape);
      expect(Array.from(g.tensors[key]!.data)).toEqual(Array.from(s.tensors[key]!.data));
    }
    expect(g.json).toEqual(s.json);
    // a broken rollout length is refused with the reason
    expect(() => alone.loadState({ tensors: s.tensors, json: { rolloutSteps: 99 } })).toThrow(/rollout length 99/);
    group.dispose();
    alone.dispose();
  });
});
