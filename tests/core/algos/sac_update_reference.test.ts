// A whole SAC and SAC-AdaEnt update (critics, then the actor on the UPDATED critics, then alpha, then Polyak)
// against a reference written here with tfjs autodiff and a plain Adam, drawing the same noise from
// the same generator (issue 18: "not only the loss helpers"). Both start from identical agents (same
// seed); three updates on batches with terminated and truncated transitions, each starting both from
// the agent's parameters; the reported losses and all parameters after every update must agree. The reference assumes the agent's
// noise order: B x d normals for a' ~ pi(.|s'), then B x d for a ~ pi(.|s) (then, AdaEnt, B x N x d
// for the N actions per state of the switch).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/engine/backend.ts';
import { Rng } from '../../../src-core/rng.ts';
import { createAgent } from '../../../src-core/algos/index.ts';
import { normals } from '../../../src-core/algos/common/squashed_act.ts';
import type { Batch, OffPolicyAgent } from '../../../src-core/algos/common/types.ts';
import { CriticPair, SquashedGaussianActor } from '../../../src-core/algos/sac/networks.ts';
import type { SacConfig } from '../../../src-core/algos/sac/config.ts';
import type { SacAdaEntConfig } from '../../../src-core/algos/sac_adaent/config.ts';
import { resolvePreset } from '../../../src-core/presets/index.ts';

beforeAll(async () => {
  await initBackend('wasm');
});

const OBS = 3;
const ACT = 2;
const B = 8;
const EPS32 = 1.1920928955078125e-7;
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
/** AdaEnt's switch threshold here: chosen so that both branches occur on these batches (checked below). */
const THRESHOLD = 0.9;

function batchOf(rng: Rng): Batch {
  const v = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
  // terminated rows stop bootstrapping; the others (truncated or not) bootstrap
  return { size: B, obs: v(B * OBS), actions: v(B * ACT).map(Math.tanh), rewards: v(B), nextObs: v(B * OBS), terminated: Float32Array.from({ length: B }, (_, i) => (i % 3 === 0 ? 1 : 0)) };
}

/** PyTorch's Adam on one variable, state kept here. */
class RefAdam {
  m: tf.Tensor;
  v: tf.Tensor;
  t = 0;
  readonly p: tf.Variable;
  readonly lr: number;
  constructor(p: tf.Variable, lr: number) {
    this.p = p;
    this.lr = lr;
    this.m = tf.zerosLike(p);
    this.v = tf.zerosLike(p);
  }
  step(g: tf.Tensor): void {
    this.t += 1;
    const [m, v] = tf.tidy(() => [tf.add(tf.mul(this.m, 0.9), tf.mul(g, 0.1)), tf.add(tf.mul(this.v, 0.999), tf.mul(tf.square(g), 0.001))]);
    this.m.dispose();
    this.v.dispose();
    [this.m, this.v] = [m!, v!];
    const bc1 = 1 - 0.9 ** this.t;
    const bc2 = 1 - 0.999 ** this.t;
    tf.tidy(() => this.p.assign(tf.sub(this.p, tf.div(tf.mul(this.m, this.lr / bc1), tf.add(tf.div(tf.sqrt(this.v), Math.sqrt(bc2)), 1e-8)))));
  }
}

/** a = tanh(mu + sigma z) and log pi(a|s) from the actor's output, as the spec writes them. */
function squashed(out: tf.Tensor2D, z: Float32Array, lo: number, hi: number): { a: tf.Tensor2D; logp: tf.Tensor1D } {
  const [mu, raw] = tf.split(out, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
  const logStd = tf.clipByValue(raw, lo, hi);
  const zt = tf.tensor2d(z, [B, ACT]);
  const a = tf.tanh(tf.add(mu, tf.mul(tf.exp(logStd), zt))) as tf.Tensor2D;
  const logN = tf.sum(tf.sub(tf.mul(tf.square(zt), -0.5), HALF_LOG_2PI), 1);
  const logp = tf.sub(logN, tf.sum(tf.add(logStd, tf.log(tf.sub(1 + EPS32, tf.square(a)))), 1)) as tf.Tensor1D;
  return { a, logp };
}

/**
 * The reference's variables: the agent's networks built from the same seed in its draw order (the
 * actor, the soft pair 'qf', for AdaEnt the plain pair 'pf'), each pair's target copy and log
 * alpha. (The agents keep their parameters on the host, seed-batched; the reference needs tf
 * variables for autodiff.)
 */
class RefSac {
  readonly cfg: SacAdaEntConfig;
  readonly actor: SquashedGaussianActor;
  readonly critics: CriticPair;
  readonly soft: CriticPair;
  readonly plain: CriticPair;
  readonly temperature: { logAlpha: tf.Variable; targetEntropy: number };
  constructor(cfg: SacConfig, rng: Rng, adaent: boolean) {
    this.cfg = cfg as SacAdaEntConfig;
    this.actor = new SquashedGaussianActor(rng, OBS, ACT, cfg.hidden, [cfg.logStdMin, cfg.logStdMax], cfg.sigmaHeadInitScale);
    this.critics = new CriticPair(rng, 'qf', OBS, ACT, cfg.hidden);
    this.soft = this.critics;
    // SAC has no plain pair: an unused stand-in made after every draw the agent makes
    this.plain = adaent ? new CriticPair(rng, 'pf', OBS, ACT, cfg.hidden) : this.critics;
    this.temperature = { logAlpha: tf.variable(tf.scalar(cfg.autoAlpha ? 0 : Math.log(cfg.alpha))), targetEntropy: cfg.targetEntropy ?? -ACT };
  }
  dispose(): void {
    this.actor.params.dispose();
    this.critics.dispose();
    if (this.plain !== this.critics) this.plain.dispose();
    this.temperature.logAlpha.dispose();
  }
}

/** One reference update of `r` (the agent used only as a holder of variables and forward passes). */
function referenceUpdate(r: RefSac, opt: { critic: RefAdam; actor: RefAdam; alpha: RefAdam | null }, b: Batch, zNext: Float32Array, zCur: Float32Array): Record<string, number> {
  const cfg = r.cfg;
  const [lo, hi] = r.actor.logStdRange;
  const obs = tf.tensor2d(b.obs, [B, OBS]);
  const nextObs = tf.tensor2d(b.nextObs, [B, OBS]);
  const act = tf.tensor2d(b.actions, [B, ACT]);
  const rew = tf.tensor1d(b.rewards);
  const notDone = tf.sub(1, tf.tensor1d(b.terminated));
  const alpha = tf.exp(r.temperature.logAlpha);
  const alphaValue = alpha.dataSync()[0]!;
  // 1. soft target with a' ~ pi(.|s') (no gradient)
  const y = tf.tidy(() => {
    const n = squashed(r.actor.net.apply(r.actor.params.unpack(), nextObs), zNext, lo, hi);
    const [q1, q2] = r.critics.both(r.critics.target.unpack(), tf.concat([nextObs, n.a], 1) as tf.Tensor2D);
    return tf.add(rew, tf.mul(tf.mul(notDone, cfg.gamma), tf.sub(tf.minimum(q1, q2), tf.mul(alpha, n.logp))));
  });
  // 2. critics
  const losses: number[] = [];
  const cg = tf.variableGrads(() => {
    const [q1, q2] = r.critics.both(r.critics.params.unpack(), tf.concat([obs, act], 1) as tf.Tensor2D);
    const l1 = tf.mean(tf.squaredDifference(q1, y));
    const l2 = tf.mean(tf.squaredDifference(q2, y));
    losses.push(l1.dataSync()[0]!, l2.dataSync()[0]!);
    return tf.add(l1, l2) as tf.Scalar;
  }, [r.critics.params.variable]);
  opt.critic.step(cg.grads[r.critics.params.variable.name]!);
  // 3. actor on the updated critics
  let meanLogp = 0;
  const ag = tf.variableGrads(() => {
    const c = squashed(r.actor.net.apply(r.actor.params.unpack(), obs), zCur, lo, hi);
    // inputGrad true: the gradient must reach the action through the critics (both() stops it there)
    const w = r.critics.params.unpack();
    const sa = tf.concat([obs, c.a], 1) as tf.Tensor2D;
    const [q1, q2] = [tf.reshape(r.critics.nets[0].apply(w, sa, true), [-1]), tf.reshape(r.critics.nets[1].apply(w, sa, true), [-1])];
    meanLogp = tf.mean(c.logp).dataSync()[0]!;
    return tf.mean(tf.sub(tf.mul(alpha, c.logp), tf.minimum(q1, q2))) as tf.Scalar;
  }, [r.actor.params.variable]);
  opt.actor.step(ag.grads[r.actor.params.variable.name]!);
  // 4. alpha: loss -log alpha (mean log pi + H_target), with the actor's log pi before its step
  let alphaLoss = Number.NaN;
  if (opt.alpha) {
    const logAlpha = r.temperature.logAlpha.dataSync()[0]!;
    alphaLoss = -logAlpha * (meanLogp + r.temperature.targetEntropy);
    opt.alpha.step(tf.scalar(-(meanLogp + r.temperature.targetEntropy)));
  }
  // 5. Polyak
  tf.tidy(() => r.critics.target.variable.assign(tf.add(tf.mul(r.critics.target.variable, 1 - cfg.tau), tf.mul(r.critics.params.variable, cfg.tau))));
  const actorLoss = ag.value.dataSync()[0]!;
  tf.dispose([obs, nextObs, act, rew, notDone, alpha, y, cg.value, ag.value, ...Object.values(cg.grads), ...Object.values(ag.grads)]);
  return { 'losses/qf1_loss': losses[0]!, 'losses/qf2_loss': losses[1]!, 'losses/actor_loss': actorLoss, 'losses/alpha': alphaValue, 'policy/entropy': -meanLogp, ...(opt.alpha ? { 'losses/alpha_loss': alphaLoss } : {}) };
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('a whole SAC update against an autodiff reference with the same noise', () => {
  for (const algo of ['sac', 'sac-auto'] as const) {
    it(algo, async () => {
      const cfg = { ...resolvePreset('pendulum', algo, 'quick').algoConfig, hidden: [16, 16], batchSize: B, actorLr: 3e-3, criticLr: 3e-3, alphaLr: 3e-3 };
      const agent = createAgent(algo, cfg, OBS, ACT, new Rng(5)) as OffPolicyAgent;
      const ref = new RefSac(cfg as unknown as SacConfig, new Rng(5), false);
      const opt = {
        critic: new RefAdam(ref.critics.params.variable, cfg.criticLr),
        actor: new RefAdam(ref.actor.params.variable, cfg.actorLr),
        alpha: algo === 'sac-auto' ? new RefAdam(ref.temperature.logAlpha, cfg.alphaLr) : null,
      };
      const data = new Rng(11);
      const read = (v: tf.Variable) => v.dataSync() as Float32Array;
      const actorDiffs: number[] = [];
      const rngA = new Rng(21);
      const rngR = new Rng(21);
      for (let k = 0; k < 3; k++) {
        const b = batchOf(data);
        const got = (await agent.update(b, rngA, true))!;
        const zNext = normals(rngR, B * ACT);
        const zCur = normals(rngR, B * ACT);
        const want = referenceUpdate(ref, opt, b, zNext, zCur);
        expect(Object.keys(got).sort()).toEqual([...Object.keys(want), 'policy/log_std_mean'].sort());
        for (const [key, v] of Object.entries(want)) expect(Math.abs(got[key]! - v), `${key} at update ${k}`).toBeLessThan(1e-4 * Math.max(1, Math.abs(v)));
        const st = agent.saveState().tensors;
        // critics, their targets and alpha after the update
        expect(maxAbsDiff(st['critic']!.data, read(ref.critics.params.variable)), `critics at update ${k}`).toBeLessThan(2e-6);
        expect(maxAbsDiff(st['critic_target']!.data, read(ref.critics.target.variable)), `targets at update ${k}`).toBeLessThan(2e-6);
        expect(Math.abs(st['log_alpha']!.data[0]! - read(ref.temperature.logAlpha)[0]!)).toBeLessThan(1e-6);
        actorDiffs.push(maxAbsDiff(st['actor']!.data, read(ref.actor.params.variable)));
        // the next update starts both from the agent's parameters (Adam moments stay each one's own)
        ref.critics.params.variable.assign(tf.tensor1d(st['critic']!.data));
        ref.actor.params.variable.assign(tf.tensor1d(st['actor']!.data));
        ref.critics.target.variable.assign(tf.tensor1d(st['critic_target']!.data));
        ref.temperature.logAlpha.assign(tf.scalar(st['log_alpha']!.data[0]!));
      }
      if (algo === 'sac-auto') expect(ref.temperature.logAlpha.dataSync()[0]).not.toBe(0); // alpha did learn
      // the actor after each update; Adam's first step moves every weight by about +-lr whatever its
      // gradient's size, so a wrong gradient shows here at the scale of lr (3e-3)
      for (const d of actorDiffs) expect(d).toBeLessThan(2e-5);
      agent.dispose();
      ref.dispose();
    });
  }
});



/** min(K1, K2)(s, a) of a pair, with the gradient reaching the action (inputGrad). */
function pairMin(pair: CriticPair, w: tf.Tensor[], sa: tf.Tensor2D): tf.Tensor1D {
  return tf.reshape(tf.minimum(pair.nets[0].apply(w, sa, true), pair.nets[1].apply(w, sa, true)), [-1]) as tf.Tensor1D;
}

/** MSE step of one pair toward y; returns [loss1, loss2]. */
function pairStep(pair: CriticPair, adam: RefAdam, sa: tf.Tensor2D, y: tf.Tensor): number[] {
  const out: number[] = [];
  const g = tf.variableGrads(() => {
    const [k1, k2] = pair.both(pair.params.unpack(), sa);
    const l1 = tf.mean(tf.squaredDifference(k1, y));
    const l2 = tf.mean(tf.squaredDifference(k2, y));
    out.push(l1.dataSync()[0]!, l2.dataSync()[0]!);
    return tf.add(l1, l2) as tf.Scalar;
  }, [pair.params.variable]);
  adam.step(g.grads[pair.params.variable.name]!);
  tf.dispose([g.value, ...Object.values(g.grads)]);
  return out;
}

/** One reference SAC-AdaEnt update: soft and plain targets from one a', the switch in float64 on the host. */
function referenceAdaEnt(r: RefSac, opt: { soft: RefAdam; plain: RefAdam; actor: RefAdam }, b: Batch, zNext: Float32Array, zCur: Float32Array, zSwitch: Float32Array): Record<string, number> {
  const cfg = r.cfg;
  const N = cfg.numSamples;
  const [lo, hi] = r.actor.logStdRange;
  const obs = tf.tensor2d(b.obs, [B, OBS]);
  const nextObs = tf.tensor2d(b.nextObs, [B, OBS]);
  const sa = tf.concat([obs, tf.tensor2d(b.actions, [B, ACT])], 1) as tf.Tensor2D;
  const rew = tf.tensor1d(b.rewards);
  const disc = tf.mul(tf.sub(1, tf.tensor1d(b.terminated)), cfg.gamma);
  const alpha = tf.exp(r.temperature.logAlpha);
  const alphaValue = alpha.dataSync()[0]!;
  const [ySoft, yPlain] = tf.tidy(() => {
    const n = squashed(r.actor.net.apply(r.actor.params.unpack(), nextObs), zNext, lo, hi);
    const saN = tf.concat([nextObs, n.a], 1) as tf.Tensor2D;
    return [tf.add(rew, tf.mul(disc, tf.sub(pairMin(r.soft, r.soft.target.unpack(), saN), tf.mul(alpha, n.logp)))), tf.add(rew, tf.mul(disc, pairMin(r.plain, r.plain.target.unpack(), saN)))];
  });
  const softLoss = pairStep(r.soft, opt.soft, sa, ySoft!);
  const plainLoss = pairStep(r.plain, opt.plain, sa, yPlain!);
  // the switch: N actions per state from the actor's head, min-shifted cosine of the updated soft and plain values
  const head = tf.tidy(() => r.actor.net.apply(r.actor.params.unpack(), obs).dataSync());
  const aSw = new Float32Array(B * N * ACT);
  for (let i = 0; i < B; i++) {
    for (let j = 0; j < N; j++) {
      for (let k = 0; k < ACT; k++) {
        const mu = head[i * 2 * ACT + k]!;
        const ls = Math.min(hi, Math.max(lo, head[i * 2 * ACT + ACT + k]!));
        aSw[(i * N + j) * ACT + k] = Math.tanh(mu + Math.exp(ls) * zSwitch[(i * N + j) * ACT + k]!);
      }
    }
  }
  const obsRep = Float32Array.from({ length: B * N * OBS }, (_, q) => b.obs[Math.floor(q / (N * OBS)) * OBS + (q % OBS)]!);
  const [uq, vq] = tf.tidy(() => {
    const saSw = tf.concat([tf.tensor2d(obsRep, [B * N, OBS]), tf.tensor2d(aSw, [B * N, ACT])], 1) as tf.Tensor2D;
    return [pairMin(r.soft, r.soft.params.unpack(), saSw).dataSync(), pairMin(r.plain, r.plain.params.unpack(), saSw).dataSync()];
  });
  const mask: number[] = [];
  const cosines: number[] = [];
  for (let i = 0; i < B; i++) {
    const u = Array.from(uq!.subarray(i * N, i * N + N));
    const v = Array.from(vq!.subarray(i * N, i * N + N));
    const um = Math.min(...u);
    const vm = Math.min(...v);
    let dot = 0;
    let nu = 0;
    let nv = 0;
    for (let j = 0; j < N; j++) {
      dot += (u[j]! - um) * (v[j]! - vm);
      nu += (u[j]! - um) ** 2;
      nv += (v[j]! - vm) ** 2;
    }
    const c = dot / Math.max(Math.sqrt(nu) * Math.sqrt(nv), 1e-8);
    cosines.push(c);
    mask.push(c < cfg.threshold ? 1 : 0);
  }
  // the actor on q_hat = mask min(P) + (1 - mask) min(Q), updated critics frozen
  let meanLogp = 0;
  const m = tf.tensor1d(mask);
  const ag = tf.variableGrads(() => {
    const c = squashed(r.actor.net.apply(r.actor.params.unpack(), obs), zCur, lo, hi);
    const saC = tf.concat([obs, c.a], 1) as tf.Tensor2D;
    const qHat = tf.add(tf.mul(m, pairMin(r.plain, r.plain.params.unpack(), saC)), tf.mul(tf.sub(1, m), pairMin(r.soft, r.soft.params.unpack(), saC)));
    meanLogp = tf.mean(c.logp).dataSync()[0]!;
    return tf.mean(tf.sub(tf.mul(alpha, c.logp), qHat)) as tf.Scalar;
  }, [r.actor.params.variable]);
  opt.actor.step(ag.grads[r.actor.params.variable.name]!);
  for (const pair of [r.soft, r.plain]) tf.tidy(() => pair.target.variable.assign(tf.add(tf.mul(pair.target.variable, 1 - cfg.tau), tf.mul(pair.params.variable, cfg.tau))));
  const actorLoss = ag.value.dataSync()[0]!;
  tf.dispose([obs, nextObs, sa, rew, disc, alpha, ySoft!, yPlain!, m, ag.value, ...Object.values(ag.grads)]);
  return {
    'losses/qf1_loss': softLoss[0]!, 'losses/qf2_loss': softLoss[1]!, 'losses/plain_qf1_loss': plainLoss[0]!, 'losses/plain_qf2_loss': plainLoss[1]!,
    'losses/actor_loss': actorLoss, 'losses/alpha': alphaValue, 'policy/entropy': -meanLogp,
    'adaent/surrogate_rate': mask.reduce((a, x) => a + x, 0) / B, 'adaent/cosine_mean': cosines.reduce((a, x) => a + x, 0) / B,
  };
}

describe('a whole SAC-AdaEnt update against an autodiff reference with the same noise', () => {
  it('soft and plain critics, the switch, the actor on q_hat, four Polyak targets', async () => {
    const N = 10;
    const cfg = { ...resolvePreset('pendulum', 'sac-adaent', 'quick').algoConfig, hidden: [16, 16], batchSize: B, numSamples: N, threshold: THRESHOLD, actorLr: 3e-3, criticLr: 3e-3 };
    const agent = createAgent('sac-adaent', cfg, OBS, ACT, new Rng(5)) as OffPolicyAgent;
    const ref = new RefSac(cfg as unknown as SacConfig, new Rng(5), true);
    const opt = { soft: new RefAdam(ref.soft.params.variable, cfg.criticLr), plain: new RefAdam(ref.plain.params.variable, cfg.criticLr), actor: new RefAdam(ref.actor.params.variable, cfg.actorLr) };
    const read = (v: tf.Variable) => v.dataSync() as Float32Array;
    const data = new Rng(12);
    const rngA = new Rng(22);
    const rngR = new Rng(22);
    const rates: number[] = [];
    for (let k = 0; k < 3; k++) {
      const b = batchOf(data);
      const got = (await agent.update(b, rngA, true))!;
      const zNext = normals(rngR, B * ACT);
      const zCur = normals(rngR, B * ACT);
      const zSwitch = normals(rngR, B * N * ACT);
      const want = referenceAdaEnt(ref, opt, b, zNext, zCur, zSwitch);
      rates.push(want['adaent/surrogate_rate']!);
      expect(Object.keys(got).sort()).toEqual([...Object.keys(want), 'policy/log_std_mean'].sort());
      for (const [key, v] of Object.entries(want)) expect(Math.abs(got[key]! - v), `${key} at update ${k}`).toBeLessThan(1e-4 * Math.max(1, Math.abs(v)));
      const st = agent.saveState().tensors;
      const pairs: [string, tf.Variable][] = [['actor', ref.actor.params.variable], ['critic', ref.soft.params.variable], ['critic_target', ref.soft.target.variable], ['plain_critic', ref.plain.params.variable], ['plain_critic_target', ref.plain.target.variable]];
      for (const [key, variable] of pairs) expect(maxAbsDiff(st[key]!.data, read(variable)), `${key} at update ${k}`).toBeLessThan(2e-5);
      for (const [key, variable] of pairs) variable.assign(tf.tensor1d(st[key]!.data));
    }
    // both branches of the switch were exercised
    expect(rates.some((x) => x > 0 && x < 1)).toBe(true);
    agent.dispose();
    ref.dispose();
  });
});
