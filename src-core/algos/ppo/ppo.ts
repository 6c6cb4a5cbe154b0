// Proximal Policy Optimisation (Schulman et al. 2017) as Tianshou 0.5.0 runs it (spec/algorithms.md):
// rollouts of rolloutSteps transitions over numEnvs environments; epochs passes of shuffled
// minibatches; advantages (GAE) recomputed with the current critic before each pass; loss =
// clipped surrogate + vf_coef MSE(V, returns) - ent_coef entropy; one Adam, gradient norm clipped.
// With obsNorm, the networks see observations normalised by running statistics of the training
// envs' observations (src-core/nn/running_norm.ts); the rollout stores the normalised ones.
// Gradients are written by hand (minibatchStep), as in the SAC family. Tensors are read with awaited
// reads (nn/read.ts): webgpu cannot read synchronously in Node.
import * as tf from '@tensorflow/tfjs';
import { readAndDispose, tidyOrNull, tidyRead } from '../../nn/read.ts';
import type { Rng } from '../../rng.ts';
import { Adam } from '../../nn/adam.ts';
import { RunningMeanStd, type RunningMeanStdJson } from '../../nn/running_norm.ts';
import { gaussianEntropy, gaussianLogProb, gaussianLogProbFromNoise } from '../../nn/distributions.ts';
import { transposeWithOnes } from '../sac/batch.ts';
import type { ActMode, ActResult, AgentState, OnPolicyAgent, TensorMap } from '../common/types.ts';
import type { PpoConfig } from './config.ts';
import { gae } from './losses.ts';
import { PpoNetworks } from './networks.ts';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

export class PpoAgent implements OnPolicyAgent {
  readonly kind = 'on-policy';
  readonly algo = 'ppo';
  readonly actionScaling = 'raw';
  readonly cfg: PpoConfig;
  readonly numEnvs: number;
  readonly stepsPerEnv: number;
  readonly nets: PpoNetworks;
  private readonly optim: Adam;
  private readonly obsDim: number;
  private readonly actDim: number;
  // rollout storage, [T, N] row-major
  private t = 0;
  private readonly obs: Float32Array;
  private readonly nextObs: Float32Array;
  private readonly actions: Float32Array;
  private readonly rewards: Float32Array;
  private readonly terminated: Float32Array;
  private readonly done: Float32Array;
  /** Running observation statistics (obsNorm), or null. */
  readonly obsRms: RunningMeanStd | null;
  /** The normalised observations of the last 'explore' act, which store() records (obsNorm). */
  private lastExploreObs: Float32Array | null = null;

  constructor(cfg: PpoConfig, obsDim: number, actDim: number, rng: Rng) {
    if (cfg.rolloutSteps % cfg.numEnvs !== 0) throw new Error(`ppo: rolloutSteps (${cfg.rolloutSteps}) must be a multiple of numEnvs (${cfg.numEnvs})`);
    this.cfg = cfg;
    this.numEnvs = cfg.numEnvs;
    this.stepsPerEnv = cfg.rolloutSteps / cfg.numEnvs;
    this.obsDim = obsDim;
    this.actDim = actDim;
    this.nets = new PpoNetworks(rng, obsDim, actDim, cfg);
    this.optim = new Adam(this.nets.params.variable, { lr: cfg.lr, maxGradNorm: cfg.maxGradNorm });
    const n = cfg.rolloutSteps;
    this.obs = new Float32Array(n * obsDim);
    this.nextObs = new Float32Array(n * obsDim);
    this.actions = new Float32Array(n * actDim);
    this.rewards = new Float32Array(n);
    this.terminated = new Float32Array(n);
    this.done = new Float32Array(n);
    this.obsRms = cfg.obsNorm ? new RunningMeanStd(obsDim) : null;
  }

  observe(obs: Float32Array, n: number): void {
    this.obsRms?.update(obs, n);
  }

  async act(rawObs: Float32Array, n: number, mode: ActMode, rng: Rng): Promise<ActResult> {
    const d = this.actDim;
    const obs = this.obsRms ? this.obsRms.normalize(rawObs, n) : rawObs;
    if (mode === 'explore') this.lastExploreObs = obs;
    const [mu, logStd] = (await tidyRead(() => {
      const p = this.nets.policy(this.nets.params.unpackCached(), tf.tensor2d(obs, [n, this.obsDim]));
      return [p.mu, p.logStd];
    })) as [Float32Array, Float32Array];
    const actions = new Float32Array(n * d);
    const logProbs = new Float32Array(n);
    const entropies = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let lp = 0;
      let ent = 0;
      for (let k = 0; k < d; k++) {
        const j = i * d + k;
        const z = mode === 'deterministic' ? 0 : rng.normal();
        actions[j] = mu[j]! + Math.exp(logStd[j]!) * z;
        lp += -0.5 * z * z - logStd[j]! - HALF_LOG_2PI;
        ent += logStd[j]! + 0.5 + HALF_LOG_2PI;
      }
      logProbs[i] = lp;
      entropies[i] = ent;
    }
    return { actions, logProbs, entropies };
  }

  store(s: { obs: Float32Array; actions: Float32Array; rewards: Float32Array; nextObs: Float32Array; terminated: Float32Array; done: Float32Array }): void {
    if (this.t >= this.stepsPerEnv) throw new Error('ppo: rollout is full');
    const N = this.numEnvs;
    const base = this.t * N;
    if (this.obsRms) {
      // the observations as the policy saw them when it acted; next observations with the statistics
      // that now include them (as Tianshou normalises each observation when the envs return it)
      if (!this.lastExploreObs || this.lastExploreObs.length !== N * this.obsDim) throw new Error('ppo: store() without a preceding explore act()');
      this.obs.set(this.lastExploreObs, base * this.obsDim);
      this.nextObs.set(this.obsRms.normalize(s.nextObs, N), base * this.obsDim);
    } else {
      this.obs.set(s.obs, base * this.obsDim);
      this.nextObs.set(s.nextObs, base * this.obsDim);
    }
    this.actions.set(s.actions, base * this.actDim);
    this.rewards.set(s.rewards, base);
    this.terminated.set(s.terminated, base);
    this.done.set(s.done, base);
    this.t += 1;
  }

  get rolloutFull(): boolean {
    return this.t >= this.stepsPerEnv;
  }

  private async values(): Promise<{ v: Float32Array; vNext: Float32Array }> {
    const [v, vNext] = await tidyRead(() => {
      const w = this.nets.params.values();
      const n = this.cfg.rolloutSteps;
      return [this.nets.value(w, tf.tensor2d(this.obs, [n, this.obsDim])), this.nets.value(w, tf.tensor2d(this.nextObs, [n, this.obsDim]))];
    });
    return { v: v!, vNext: vNext! };
  }

  private async advantages(): Promise<{ advantages: Float32Array; returns: Float32Array; values: Float32Array }> {
    const { v, vNext } = await this.values();
    const r = gae({ rewards: this.rewards, values: v, nextValues: vNext, terminated: this.terminated, done: this.done, T: this.stepsPerEnv, N: this.numEnvs, gamma: this.cfg.gamma, lambda: this.cfg.gaeLambda });
    return { ...r, values: v };
  }

  async update(rng: Rng, withMetrics: boolean): Promise<Record<string, number> | null> {
    const cfg = this.cfg;
    const n = cfg.rolloutSteps;
    const o = this.obsDim;
    const d = this.actDim;
    // log pi_old of the stored actions under the policy that collected them (== the current one)
    const [logpOld] = (await tidyRead(() => {
      const p = this.nets.policy(this.nets.params.values(), tf.tensor2d(this.obs, [n, o]));
      return [gaussianLogProb(tf.tensor2d(this.actions, [n, d]), p.mu, p.logStd)];
    })) as [Float32Array];
    let adv = await this.advantages();
    const first = adv;
    const sums = new Float64Array(6);
    let count = 0;
    const mbObs = new Float32Array(cfg.minibatchSize * 2 * o);
    for (let epoch = 0; epoch < cfg.epochs; epoch++) {
      if (epoch > 0 && cfg.recomputeAdvantage) adv = await this.advantages();
      const perm = permutation(n, rng);
      // minibatches of minibatchSize; a short last one is merged into the previous (Tianshou merge_last)
      const starts: [number, number][] = [];
      for (let s = 0; s < n; s += cfg.minibatchSize) starts.push([s, Math.min(n, s + cfg.minibatchSize)]);
      if (starts.length > 1 && starts[starts.length - 1]![1] - starts[starts.length - 1]![0] < cfg.minibatchSize) {
        const last = starts.pop()!;
        starts[starts.length - 1]![1] = last[1];
      }
      for (const [s0, s1] of starts) {
        const m = s1 - s0;
        const bObs = m * o <= mbObs.length ? mbObs.subarray(0, m * o) : new Float32Array(m * o);
        const bAct = new Float32Array(m * d);
        const bAdv = new Float32Array(m);
        const bRet = new Float32Array(m);
        const bLogp = new Float32Array(m);
        for (let j = 0; j < m; j++) {
          const k = perm[s0 + j]!;
          bObs.set(this.obs.subarray(k * o, k * o + o), j * o);
          bAct.set(this.actions.subarray(k * d, k * d + d), j * d);
          bAdv[j] = adv.advantages[k]!;
          bRet[j] = adv.returns[k]!;
          bLogp[j] = logpOld[k]!;
        }
        const stats = await readAndDispose(this.minibatchStep(bObs, bAct, bAdv, bRet, bLogp, m, withMetrics));
        if (stats) {
          for (let q = 0; q < stats.length; q++) sums[q]! += stats[q]!;
          count += 1;
        }
      }
    }
    this.t = 0;
    if (!withMetrics) return null;
    // explained variance of the critic before this update, as CleanRL logs it
    let mr = 0;
    for (let k = 0; k < n; k++) mr += first.returns[k]!;
    mr /= n;
    let vr = 0;
    let vd = 0;
    let md = 0;
    for (let k = 0; k < n; k++) md += first.returns[k]! - first.values[k]!;
    md /= n;
    for (let k = 0; k < n; k++) {
      vr += (first.returns[k]! - mr) ** 2;
      vd += (first.returns[k]! - first.values[k]! - md) ** 2;
    }
    return {
      'losses/policy_loss': sums[0]! / count,
      'losses/value_loss': sums[1]! / count,
      // the analytic entropy of the unsquashed Gaussian in raw action units: not SAC's policy/entropy (issue 18, point 4)
      'policy/gaussian_entropy': sums[2]! / count,
      'losses/approx_kl': sums[3]! / count,
      'losses/clipfrac': sums[4]! / count,
      'policy/log_std_mean': sums[5]! / count,
      'losses/explained_variance': vr > 0 ? 1 - vd / vr : Number.NaN,
    };
  }

  /**
   * One Adam step on a minibatch of m transitions with hand-written gradients (no autodiff tape;
   * checked against tfjs autodiff in tests/core/nn/manual_grads_td3_ppo.test.ts). With
   * L = clip + vf_coef mean((V - R)^2) - ent_coef mean(H), ratio r = exp(log pi - log pi_old):
   * dL/dr = -A/m where r A <= clip(r) A (tfjs' Minimum sends ties to the first), else -A/m where
   * 1 - eps <= r <= 1 + eps and 0 outside; dL/dlog pi = r dL/dr; with z = (a - mu) / sigma,
   * dlog pi/dmu = z / sigma and dlog pi/dlog sigma = z^2 - 1; dH/dlog sigma = 1.
   */
  private minibatchStep(obs: Float32Array, act: Float32Array, advArr: Float32Array, retArr: Float32Array, logpOldArr: Float32Array, m: number, withMetrics: boolean): tf.Tensor1D | null {
    const cfg = this.cfg;
    return tidyOrNull(() => {
      const x = tf.tensor2d(obs, [m, this.obsDim]);
      const a = tf.tensor2d(act, [m, this.actDim]);
      let adv = tf.tensor2d(advArr, [m, 1]);
      if (cfg.normAdvantage) {
        const { mean, variance } = tf.moments(adv);
        adv = tf.div(tf.sub(adv, mean), tf.add(tf.sqrt(variance), 1e-8));
      }
      const ret = tf.tensor2d(retArr, [m, 1]);
      const logpOld = tf.tensor2d(logpOldArr, [m, 1]);
      const w = this.nets.params.values();
      const at = this.nets.actor.forwardTrace(w, x);
      const ct = this.nets.critic.forwardTrace(w, x);
      const p = this.nets.policyFromOutput(w, at.out);
      const std = tf.exp(p.logStd);
      const z = tf.div(tf.sub(a, p.mu), std);
      const logp = tf.reshape(gaussianLogProbFromNoise(z as tf.Tensor2D, p.logStd), [m, 1]);
      const ratio = tf.exp(tf.sub(logp, logpOld));
      const s1 = tf.mul(ratio, adv);
      const s2 = tf.mul(tf.clipByValue(ratio, 1 - cfg.clipEps, 1 + cfg.clipEps), adv);
      const first = tf.cast(tf.lessEqual(s1, s2), 'float32');
      const inClip = tf.cast(tf.logicalAnd(tf.greaterEqual(ratio, 1 - cfg.clipEps), tf.lessEqual(ratio, 1 + cfg.clipEps)), 'float32');
      const dRatio = tf.mul(tf.mul(adv, -1 / m), tf.add(first, tf.mul(tf.sub(1, first), inClip)));
      const dLogp = tf.mul(dRatio, ratio);
      const dMu = tf.div(tf.mul(dLogp, z), std) as tf.Tensor2D;
      const dLogStd = tf.sub(tf.mul(dLogp, tf.sub(tf.square(z), 1)), cfg.entCoef / m) as tf.Tensor2D;
      const vErr = tf.sub(ct.out, ret);
      const dV = tf.mul(vErr, (2 * cfg.vfCoef) / m) as tf.Tensor2D;
      this.optim.apply(this.nets.paramGrad(at, ct, p, dMu, dLogStd, dV, transposeWithOnes(obs, m, this.obsDim)));
      if (!withMetrics) return null;
      const clipLoss = tf.neg(tf.mean(tf.minimum(s1, s2)));
      const entropy = tf.mean(gaussianEntropy(p.logStd));
      const kl = tf.mean(tf.sub(logpOld, logp));
      const clipfrac = tf.mean(tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), cfg.clipEps), 'float32'));
      return tf.stack([clipLoss, tf.mean(tf.square(vErr)), entropy, kl, clipfrac, tf.mean(p.logStd)]) as tf.Tensor1D;
    });
  }

  saveState(): AgentState {
    const N = this.numEnvs;
    const n = this.t * N;
    const tensors: TensorMap = {
      ...this.nets.params.read('ppo'),
      ...this.optim.read('ppo_optim'),
      'rollout.obs': { shape: [n, this.obsDim], data: this.obs.slice(0, n * this.obsDim) },
      'rollout.next_obs': { shape: [n, this.obsDim], data: this.nextObs.slice(0, n * this.obsDim) },
      'rollout.actions': { shape: [n, this.actDim], data: this.actions.slice(0, n * this.actDim) },
      'rollout.rewards': { shape: [n], data: this.rewards.slice(0, n) },
      'rollout.terminated': { shape: [n], data: this.terminated.slice(0, n) },
      'rollout.done': { shape: [n], data: this.done.slice(0, n) },
    };
    return { tensors, json: { rolloutSteps: this.t, ...(this.obsRms ? { obsRms: this.obsRms.toJson() } : {}) } };
  }

  loadState(state: AgentState): void {
    const t = state.tensors;
    this.nets.params.write('ppo', t);
    this.optim.write('ppo_optim', t);
    const steps = Number(state.json.rolloutSteps ?? 0);
    const n = steps * this.numEnvs;
    const get = (k: string, len: number) => {
      const a = t[k];
      if (!a || a.data.length !== len) throw new Error(`checkpoint: PPO rollout array '${k}' missing or of the wrong size`);
      return a.data;
    };
    this.obs.set(get('rollout.obs', n * this.obsDim));
    this.nextObs.set(get('rollout.next_obs', n * this.obsDim));
    this.actions.set(get('rollout.actions', n * this.actDim));
    this.rewards.set(get('rollout.rewards', n));
    this.terminated.set(get('rollout.terminated', n));
    this.done.set(get('rollout.done', n));
    this.t = steps;
    this.obsRms?.load(state.json.obsRms as RunningMeanStdJson);
  }

  dispose(): void {
    this.nets.params.dispose();
    this.optim.dispose();
  }
}

/** A uniformly random permutation of 0..n-1 (Fisher-Yates) from the seeded generator. */
function permutation(n: number, rng: Rng): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = p[i]!;
    p[i] = p[j]!;
    p[j] = tmp;
  }
  return p;
}
