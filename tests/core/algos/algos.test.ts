// Algorithms: no tensor leaks over 1,000 updates, GAE against a hand computation, AdaEnt's
// min-shifted cosine and switch, TD3's target smoothing, terminated vs truncated in targets.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/engine/backend.ts';
import { Rng } from '../../../src-core/rng.ts';
import { createAgent } from '../../../src-core/algos/index.ts';
import { ReplayBuffer } from '../../../src-core/algos/common/replay_buffer.ts';
import type { OffPolicyAgent, OnPolicyAgent } from '../../../src-core/algos/common/types.ts';
import { resolvePreset } from '../../../src-core/presets/index.ts';
import { gae } from '../../../src-core/algos/ppo/losses.ts';
import { minShiftedCosine, switchedQ } from '../../../src-core/algos/sac_adaent/losses.ts';
import { smoothedTargetAction, td3Target } from '../../../src-core/algos/td3/losses.ts';
import { softTarget, plainTarget, softTargetColumn, plainTargetColumn } from '../../../src-core/algos/sac/losses.ts';
import { hostBatch } from '../../../src-core/algos/sac/batch.ts';
import type { AlgoId } from '../../../src-core/train/types.ts';

beforeAll(async () => {
  await initBackend('wasm');
});

const OBS = 5;
const ACT = 2;

function tinyConfig(algo: AlgoId): Record<string, unknown> {
  const c = resolvePreset('pendulum', algo, 'quick').algoConfig;
  return { ...c, hidden: [8, 8], batchSize: 16, numSamples: 10, rolloutSteps: 4, minibatchSize: 4, epochs: 1 };
}

function filledBuffer(rng: Rng): ReplayBuffer {
  const b = new ReplayBuffer(500, OBS, ACT, 16);
  const v = (n: number) => Array.from({ length: n }, () => rng.normal());
  for (let i = 0; i < 200; i++) b.add(v(OBS), v(ACT).map(Math.tanh), rng.normal(), v(OBS), rng.uniform() < 0.05);
  return b;
}

describe('no tensor leaks: live tensors after 1,000 updates equal those after 10', () => {
  for (const algo of ['sac', 'sac-auto', 'sac-adaent', 'td3'] as AlgoId[]) {
    it(algo, async () => {
      const rng = new Rng(1);
      const agent = createAgent(algo, tinyConfig(algo), OBS, ACT, rng) as OffPolicyAgent;
      const buf = filledBuffer(rng);
      const obs = new Float32Array(3 * OBS).fill(0.1);
      const run = async (n: number) => {
        for (let i = 0; i < n; i++) {
          await agent.update(buf.sample(rng), rng, i % 50 === 0);
          if (i % 10 === 0) await agent.act(obs, 3, i % 20 === 0 ? 'explore' : 'deterministic', rng);
        }
      };
      await run(10);
      const after10 = tf.memory().numTensors;
      await run(990);
      expect(tf.memory().numTensors).toBe(after10);
      const state = agent.saveState();
      agent.loadState(state);
      // loading drops the SAC family's uploaded weight caches (re-uploaded on next use): never more
      expect(tf.memory().numTensors).toBeLessThanOrEqual(after10);
      agent.dispose();
    }, 300_000);
  }

  it('ppo', async () => {
    const rng = new Rng(2);
    const agent = createAgent('ppo', tinyConfig('ppo'), OBS, ACT, rng) as OnPolicyAgent;
    const one = async () => {
      while (!agent.rolloutFull) {
        const obs = Float32Array.from({ length: OBS }, () => rng.normal());
        const a = await agent.act(obs, 1, 'explore', rng);
        agent.store({ obs, actions: a.actions, logProbs: a.logProbs, rewards: Float32Array.of(rng.normal()), nextObs: obs, terminated: Float32Array.of(0), done: Float32Array.of(rng.uniform() < 0.1 ? 1 : 0) });
      }
      return (await agent.update(rng, true))!;
    };
    for (let i = 0; i < 10; i++) await one();
    const after10 = tf.memory().numTensors;
    let m: Record<string, number> = {};
    for (let i = 0; i < 990; i++) m = await one();
    expect(tf.memory().numTensors).toBe(after10);
    for (const k of ['losses/policy_loss', 'losses/value_loss', 'losses/approx_kl', 'losses/clipfrac', 'losses/explained_variance', 'policy/gaussian_entropy', 'policy/log_std_mean']) {
      expect(Number.isFinite(m[k]), k).toBe(true);
    }
    // PPO's analytic Gaussian entropy is not SAC's -log pi estimate: its own key (issue 18, point 4)
    expect(m['policy/entropy']).toBeUndefined();
    agent.dispose();
  }, 300_000);
});

describe('targets respect terminated vs truncated', () => {
  it('soft, plain and TD3 targets bootstrap unless terminated', () => {
    const r = tf.tensor1d([1, 1]);
    const term = tf.tensor1d([0, 1]); // a truncated step is stored with terminated = 0
    const q = tf.tensor1d([10, 10]);
    const lp = tf.tensor1d([-2, -2]);
    expect(Array.from(softTarget(r, term, 0.99, q, tf.scalar(0.5), lp).dataSync())).toEqual([expect.closeTo(1 + 0.99 * 11, 4), 1]);
    expect(Array.from(plainTarget(r, term, 0.99, q).dataSync())).toEqual([expect.closeTo(1 + 9.9, 4), 1]);
    expect(Array.from(td3Target(r, term, 0.5, q).dataSync())).toEqual([6, 1]);
  });

  it('the column targets the SAC family uses, from a replay batch: terminated rows stop, truncated rows bootstrap (issue 18)', () => {
    // as the trainer stores them: a truncated (time-limit) transition has terminated = 0
    const batch = { size: 3, obs: new Float32Array(3 * OBS), actions: new Float32Array(3 * ACT), rewards: Float32Array.of(1, 1, 1), nextObs: new Float32Array(3 * OBS), terminated: Float32Array.of(0, 1, 0) };
    const t = hostBatch(batch, OBS, ACT, 0.99);
    const q = tf.tensor2d([10, 10, 10], [3, 1]);
    const lp = tf.tensor2d([-2, -2, -2], [3, 1]);
    const g = Math.fround(0.99);
    const soft = Array.from(softTargetColumn(t.rewards, t.discount, q, tf.scalar(0.5), lp).dataSync());
    expect(soft).toEqual([Math.fround(1 + g * 11), 1, Math.fround(1 + g * 11)]);
    expect(Array.from(plainTargetColumn(t.rewards, t.discount, q).dataSync())).toEqual([Math.fround(1 + g * 10), 1, Math.fround(1 + g * 10)]);
  });

  it('TD3 smoothing clips the noise at noiseClip and the action to [-1, 1]', () => {
    const a = smoothedTargetAction(tf.tensor2d([[0.9, 0], [-0.2, 0.1]]), tf.tensor2d([[0.3, 2], [-0.1, -0.7]]), 0.5);
    expect(Array.from(a.dataSync()).map((x) => Math.round(x * 1e6) / 1e6)).toEqual([1, 0.5, -0.3, -0.4]);
  });
});

describe('PPO GAE', () => {
  it('matches a hand computation, bootstrapping truncated but not terminated steps', () => {
    // one env, 3 steps: step 1 truncated (done, not terminated), step 2 terminated
    const res = gae({
      rewards: Float32Array.of(1, 2, 3), values: Float32Array.of(0.5, 1, 2), nextValues: Float32Array.of(1, 4, 7),
      terminated: Float32Array.of(0, 0, 1), done: Float32Array.of(0, 1, 1), T: 3, N: 1, gamma: 0.9, lambda: 0.8,
    });
    const d2 = 3 - 2; // terminated: no bootstrap
    const d1 = 2 + 0.9 * 4 - 1; // truncated: bootstraps from V(final obs), episode boundary stops the sum
    const d0 = 1 + 0.9 * 1 - 0.5;
    const a = [d0 + 0.9 * 0.8 * d1, d1, d2];
    Array.from(res.advantages).forEach((x, i) => expect(x).toBeCloseTo(a[i]!, 5));
    Array.from(res.returns).forEach((x, i) => expect(x).toBeCloseTo(a[i]! + [0.5, 1, 2][i]!, 5));
  });
});

describe('SAC-AdaEnt switch', () => {
  it('min-shifted cosine: identical shapes give 1, opposite landscapes give 0, flat gives 0', () => {
    const u = tf.tensor2d([[1, 2, 3], [1, 2, 3], [5, 5, 5]]);
    const v = tf.tensor2d([[11, 12, 13], [3, 2, 1], [1, 2, 3]]);
    const c = Array.from(minShiftedCosine(u, v).dataSync());
    expect(c[0]).toBeCloseTo(1, 6);
    // shifted: [0,1,2] . [2,1,0] = 1, norms sqrt5 * sqrt5 -> 0.2
    expect(c[1]).toBeCloseTo(0.2, 6);
    expect(c[2]).toBe(0); // |u| = 0 -> denominator floor 1e-8, numerator 0
    expect(Array.from(switchedQ(tf.tensor1d([1, 0]), tf.tensor1d([5, 5]), tf.tensor1d([-1, -1])).dataSync())).toEqual([-1, 5]);
  });

  it('logs a surrogate rate in [0, 1] and a cosine mean', async () => {
    const rng = new Rng(4);
    const agent = createAgent('sac-adaent', tinyConfig('sac-adaent'), OBS, ACT, rng) as OffPolicyAgent;
    const m = (await agent.update(filledBuffer(rng).sample(rng), rng, true))!;
    expect(m['adaent/surrogate_rate']).toBeGreaterThanOrEqual(0);
    expect(m['adaent/surrogate_rate']).toBeLessThanOrEqual(1);
    expect(Math.abs(m['adaent/cosine_mean']!)).toBeLessThanOrEqual(1 + 1e-6);
    expect(Number.isFinite(m['losses/plain_qf1_loss'])).toBe(true);
    agent.dispose();
  });
});

describe('TD3 evaluation modes and entropy (issue 18, points 3 and 4)', () => {
  it('stochastic mode is the actor plus its clipped exploration noise; deterministic is mu(s)', async () => {
    const cfg = tinyConfig('td3');
    const agent = createAgent('td3', cfg, OBS, ACT, new Rng(4)) as OffPolicyAgent;
    const obs = Float32Array.from({ length: 200 * OBS }, (_, i) => Math.sin(i));
    const det = (await agent.act(obs, 200, 'deterministic', new Rng(5))).actions;
    const sto = (await agent.act(obs, 200, 'stochastic', new Rng(5))).actions;
    const exp = (await agent.act(obs, 200, 'explore', new Rng(5))).actions;
    expect(Array.from(sto)).toEqual(Array.from(exp));
    expect(Array.from((await agent.act(obs, 200, 'deterministic', new Rng(6))).actions)).toEqual(Array.from(det));
    const diffs = Array.from(sto, (a, j) => a - det[j]!);
    const inside = diffs.filter((_, j) => Math.abs(sto[j]!) < 1);
    const sd = Math.sqrt(inside.reduce((a, d) => a + d * d, 0) / inside.length);
    expect(sd).toBeGreaterThan(0.085);
    expect(sd).toBeLessThan(0.115); // explorationNoise 0.1
    expect(sto.every((a) => a >= -1 && a <= 1)).toBe(true);
    const m = (await agent.update(filledBuffer(new Rng(7)).sample(new Rng(8)), new Rng(9), true))!;
    expect(m['policy/entropy']).toBeUndefined(); // a constant of the noise, not a policy entropy
    agent.dispose();
  });
});
