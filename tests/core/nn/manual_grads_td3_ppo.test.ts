// TD3's and PPO's hand-written gradients (td3/td3.ts step, ppo/ppo.ts minibatchGrads) against tfjs
// autodiff of the same losses written with plain tfjs ops on the differentiable FlatParams.unpack().
// TD3's optimisers' apply is replaced by a recorder, so the gradient each update hands to Adam is
// compared with the reference computed from the same parameters, batch and noise; PPO's gradient
// before its per-seed norm clip is read from minibatchGrads (the clip: tests/core/algos/ppo_seeds.test.ts).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/engine/backend.ts';
import { normals, refMlp } from './autodiff-reference.ts';
import { Rng } from '../../../src-core/rng.ts';
import { gaussianEntropy, gaussianLogProb } from '../../../src-core/nn/distributions.ts';
import { normals as rngNormals } from '../../../src-core/algos/common/squashed_act.ts';
import { SeedTd3Agent } from '../../../src-core/algos/td3/td3.ts';
import type { SeedAdam, SeedParams } from '../../../src-core/nn/seed_params.ts';
import { DeterministicActor } from '../../../src-core/algos/td3/networks.ts';
import { CriticPair } from '../../../src-core/algos/sac/networks.ts';
import { TD3_DEFAULTS } from '../../../src-core/algos/td3/config.ts';
import { smoothedTargetAction, td3ActorLoss, td3Target } from '../../../src-core/algos/td3/losses.ts';
import { PpoAgent } from '../../../src-core/algos/ppo/ppo.ts';
import { PpoNetworks } from '../../../src-core/algos/ppo/networks.ts';
import { PPO_DEFAULTS } from '../../../src-core/algos/ppo/config.ts';
import { clippedSurrogate } from '../../../src-core/algos/ppo/losses.ts';
import { mse } from '../../../src-core/algos/sac/losses.ts';

beforeAll(async () => {
  await initBackend('wasm');
});

const OBS = 5;
const ACT = 3;
const B = 32;

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  expect(scale).toBeGreaterThan(0);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(tol * scale);
}

/** Replace a SeedAdam's apply by a recorder of the gradient it receives for each seed (parameters stay). */
function recordSeeds(optim: { apply(k: number, g: Float32Array): void }): Float32Array[] {
  const got: Float32Array[] = [];
  optim.apply = (_k: number, g: Float32Array) => {
    got.push(g.slice());
  };
  return got;
}

describe('TD3 hand-written gradients agree with tfjs autodiff', () => {
  it('critic MSE to the smoothed clipped double-Q target, and the actor loss -mean Q1(s, mu(s))', async () => {
    const cfg = { ...TD3_DEFAULTS, hidden: [8, 8], policyDelay: 1 };
    const agent = new SeedTd3Agent(cfg, OBS, ACT, [new Rng(21)]);
    // the same networks from the same init generator, as autodiff-able FlatParams
    const refRng = new Rng(21);
    const actor = new DeterministicActor(refRng, OBS, ACT, cfg.hidden);
    const critics = new CriticPair(refRng, 'qf', OBS, ACT, cfg.hidden);
    expect(Array.from(actor.params.variable.dataSync())).toEqual(Array.from((agent.actor as SeedParams).seed(0)));
    const criticGot = recordSeeds(agent.criticAdam as SeedAdam);
    const actorGot = recordSeeds(agent.actorAdam as SeedAdam);
    const rng = new Rng(23);
    const terminated = Float32Array.from({ length: B }, (_, i) => (i % 5 === 0 ? 1 : 0));
    const batch = { size: B, obs: normals(rng, B * OBS), actions: normals(rng, B * ACT, 0.5), rewards: normals(rng, B), nextObs: normals(rng, B * OBS), terminated };
    const m = (await agent.update([batch], [new Rng(5)], [true]))[0]!;
    const noiseData = rngNormals(new Rng(5), B * ACT);
    for (let i = 0; i < noiseData.length; i++) noiseData[i]! *= TD3_DEFAULTS.policyNoise;
    tf.tidy(() => {
      const obs = tf.tensor2d(batch.obs, [B, OBS]);
      const sa = tf.concat([obs, tf.tensor2d(batch.actions, [B, ACT])], 1) as tf.Tensor2D;
      const nextObs = tf.tensor2d(batch.nextObs, [B, OBS]);
      const muNext = tf.tanh(refMlp(actor.target.unpack(), 0, 3, nextObs, 'relu')) as tf.Tensor2D;
      const aNext = smoothedTargetAction(muNext, tf.tensor2d(noiseData, [B, ACT]), cfg.noiseClip);
      const saNext = tf.concat([nextObs, aNext], 1) as tf.Tensor2D;
      const tw = critics.target.unpack();
      const minNext = tf.reshape(tf.minimum(refMlp(tw, 0, 3, saNext, 'relu'), refMlp(tw, 6, 3, saNext, 'relu')), [-1]) as tf.Tensor1D;
      const y = td3Target(tf.tensor1d(batch.rewards), tf.tensor1d(terminated), cfg.gamma, minNext);
      // the target is a constant for the critic loss (no gradient reaches the target networks)
      const yc = tf.tensor1d(y.dataSync() as Float32Array);
      const losses: number[] = [];
      const critic = tf.variableGrads(() => {
        const w = critics.params.unpack();
        const l1 = mse(tf.reshape(refMlp(w, 0, 3, sa, 'relu'), [-1]) as tf.Tensor1D, yc);
        const l2 = mse(tf.reshape(refMlp(w, 6, 3, sa, 'relu'), [-1]) as tf.Tensor1D, yc);
        losses.push(l1.dataSync()[0]!, l2.dataSync()[0]!);
        return tf.add(l1, l2) as tf.Scalar;
      }, [critics.params.variable]);
      const cw = critics.params.unpack();
      const actorRef = tf.variableGrads(() => {
        const a = tf.tanh(refMlp(actor.params.unpack(), 0, 3, obs, 'relu'));
        return td3ActorLoss(tf.reshape(refMlp(cw, 0, 3, tf.concat([obs, a], 1) as tf.Tensor2D, 'relu'), [-1]) as tf.Tensor1D);
      }, [actor.params.variable]);
      expect(criticGot).toHaveLength(1);
      expect(actorGot).toHaveLength(1);
      expectClose(criticGot[0]!, critic.grads[critics.params.variable.name]!.dataSync(), 1e-5);
      expectClose(actorGot[0]!, actorRef.grads[actor.params.variable.name]!.dataSync(), 1e-5);
      expect(m['losses/qf1_loss']).toBeCloseTo(losses[0]!, 4);
      expect(m['losses/qf2_loss']).toBeCloseTo(losses[1]!, 4);
      expect(m['losses/actor_loss']).toBeCloseTo(actorRef.value.dataSync()[0]!, 4);
    });
    actor.dispose();
    critics.dispose();
    agent.dispose();
  });

  it('the actor waits policyDelay critic updates, per seed', async () => {
    const agent = new SeedTd3Agent({ ...TD3_DEFAULTS, hidden: [8, 8], policyDelay: 2 }, OBS, ACT, [new Rng(22), new Rng(24)]);
    const criticGot = recordSeeds(agent.criticAdam as SeedAdam);
    const actorGot = recordSeeds(agent.actorAdam as SeedAdam);
    const rng = new Rng(25);
    const batch = { size: B, obs: normals(rng, B * OBS), actions: normals(rng, B * ACT, 0.5), rewards: normals(rng, B), nextObs: normals(rng, B * OBS), terminated: new Float32Array(B) };
    const m1 = await agent.update([batch, batch], [new Rng(1), new Rng(1)], [true, true]);
    expect(Number.isNaN(m1[0]!['losses/actor_loss'])).toBe(true);
    await agent.update([null, batch], [null, new Rng(2)], [false, false]); // seed 1 alone: its second update, its actor's turn
    expect(criticGot).toHaveLength(3);
    expect(actorGot).toHaveLength(1);
    agent.dispose();
  });
});

describe('PPO hand-written gradients agree with tfjs autodiff', () => {
  for (const stateSigma of [false, true]) {
    it(`clipped surrogate + value MSE - entropy bonus (${stateSigma ? 'state-conditioned, clamped' : 'state-independent'} log sigma)`, () => {
      const rng = new Rng(stateSigma ? 31 : 32);
      const cfg = { ...PPO_DEFAULTS, hidden: [8, 8], entCoef: 0.01, vfCoef: 0.5, stateSigma };
      const agent = new PpoAgent(cfg, OBS, ACT, rng).batched;
      // the same initial weights as a differentiable FlatParams for the autodiff reference
      const refNets = new PpoNetworks(new Rng(stateSigma ? 31 : 32), OBS, ACT, cfg);
      const params = refNets.params;
      const flat = params.read('p').p!.data;
      expect(Array.from(flat)).toEqual(Array.from(agent.saveState(0).tensors['ppo']!.data));
      if (stateSigma) {
        // shift the log sigma head's bias so the clamp at 2 is active for some entries
        const biasEnd = OBS * 8 + 8 + 8 * 8 + 8 + 8 * 2 * ACT + 2 * ACT;
        for (let k = 0; k < ACT; k++) flat[biasEnd - ACT + k] = 1.6;
        params.write('p', { p: { shape: [flat.length], data: flat } });
        agent.params.write('ppo', 0, { ppo: { shape: [flat.length], data: flat } });
      }
      const m = B;
      const obs = normals(rng, m * OBS, 2);
      const act = normals(rng, m * ACT);
      const adv = normals(rng, m);
      const ret = normals(rng, m);
      tf.tidy(() => {
        const x = tf.tensor2d(obs, [m, OBS]);
        const a = tf.tensor2d(act, [m, ACT]);
        const policy = (w: tf.Tensor[]) => {
          const out = refMlp(w, 0, 3, x, 'tanh');
          if (!stateSigma) return { mu: out, logStd: tf.mul(tf.onesLike(out), w[w.length - 1]!) as tf.Tensor2D };
          const raw = tf.slice(out, [0, ACT], [m, ACT]);
          return { mu: tf.slice(out, [0, 0], [m, ACT]), logStd: tf.clipByValue(raw, -20, 2) as tf.Tensor2D, raw };
        };
        const p0 = policy(params.unpack());
        if (stateSigma) {
          const clipped = tf.sum(tf.cast(tf.notEqual(p0.raw!, p0.logStd), 'float32')).dataSync()[0]!;
          expect(clipped).toBeGreaterThan(0);
          expect(clipped).toBeLessThan(m * ACT);
        }
        // old log-probabilities around the current ones, so that ratios fall on both sides of the clip range
        const logpNow = gaussianLogProb(a, p0.mu, p0.logStd).dataSync();
        const logpOld = Float32Array.from(logpNow, (v) => v + 0.4 * rng.normal());
        const ref = tf.variableGrads(() => {
          const w = params.unpack();
          const { mu, logStd } = policy(w);
          const logp = gaussianLogProb(a, mu, logStd);
          const ratio = tf.exp(tf.sub(logp, tf.tensor1d(logpOld))) as tf.Tensor1D;
          const clipLoss = clippedSurrogate(ratio, tf.tensor1d(adv), cfg.clipEps);
          const v = tf.reshape(refMlp(w, 6, 3, x, 'tanh'), [-1]);
          const vfLoss = tf.mean(tf.squaredDifference(tf.tensor1d(ret), v));
          const entropy = tf.mean(gaussianEntropy(logStd));
          return tf.sub(tf.add(clipLoss, tf.mul(vfLoss, cfg.vfCoef)), tf.mul(entropy, cfg.entCoef)) as tf.Scalar;
        }, [params.variable]);
        const ratios = logpNow.map((v, i) => Math.exp(v - logpOld[i]!));
        expect(ratios.some((r) => r > 1 + cfg.clipEps)).toBe(true);
        expect(ratios.some((r) => r < 1 - cfg.clipEps)).toBe(true);
        const { grads, stats } = agent.minibatchGrads([0], { m, obs, actions: act, advantages: adv, returns: ret, logpOld }, true);
        expect(grads.shape).toEqual([1, flat.length]);
        expectClose(grads.dataSync(), ref.grads[params.variable.name]!.dataSync(), 1e-5);
        expect(stats!.shape).toEqual([1, 6]);
      });
      agent.dispose();
      refNets.params.dispose();
    });
  }
});
