// Proximal Policy Optimisation (Schulman et al. 2017) as Tianshou 0.5.0 runs it (spec/algorithms.md),
// for K seeds at once (issue 12; K = 1 is a run alone: PpoAgent): rollouts of rolloutSteps
// transitions over numEnvs environments; epochs passes of shuffled minibatches; advantages (GAE)
// recomputed with the current critic before each pass; loss = clipped surrogate + vf_coef
// MSE(V, returns) - ent_coef entropy; Adam with the gradient's L2 norm clipped per seed.
// With obsNorm, the networks see observations normalised by running statistics of the training
// envs' observations (src-core/nn/running_norm.ts); the rollout stores the normalised ones.
// As the SAC family (sac/seed_sac.ts): weights and Adam moments per seed in a SeedStore (host or
// device); each seed's MLP passes run on its own weights, the loss and its elementwise gradient once
// over all seeds' minibatch rows stacked (seed j at rows j * m..), the norm clip as one [K, P]
// computation, Adam where the store is. Per seed stay separate: rollout storage, observation
// statistics, the permutation generator, metrics. Gradients are written by hand (minibatchGrads),
// checked against tfjs autodiff in tests/core/nn/manual_grads_td3_ppo.test.ts. Tensors are read
// with awaited reads (nn/read.ts): webgpu cannot read synchronously in Node.
import * as tf from '@tensorflow/tfjs';
import { readAndDispose, tidyOrNull, tidyRead } from '../../nn/read.ts';
import type { Rng } from '../../rng.ts';
import { createSeedParams, type SeedOptimizer, type SeedStore } from '../../nn/seed_params.ts';
import { gaussianEntropy, gaussianLogProb, gaussianLogProbFromNoise } from '../../nn/distributions.ts';
import { transposeWithOnes } from '../sac/batch.ts';
import { seedViewOf, SingleSeedAgent } from '../common/seed_views.ts';
import type { ActMode, ActResult, AgentBase, AgentState, OnPolicyAgent, RolloutStep, SeedBatchedOnPolicyAgent, TensorMap } from '../common/types.ts';
import type { PpoConfig } from './config.ts';
import { gae } from './losses.ts';
import { PpoNetworks } from './networks.ts';
import { PpoRollout } from './rollout.ts';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const STAT_NAMES = ['losses/policy_loss', 'losses/value_loss', 'policy/gaussian_entropy', 'losses/approx_kl', 'losses/clipfrac', 'policy/log_std_mean'] as const;

/** One minibatch of every seed taking part, stacked: seed j's m rows at j * m. */
export interface PpoMinibatch {
  m: number;
  obs: Float32Array;
  actions: Float32Array;
  advantages: Float32Array;
  returns: Float32Array;
  logpOld: Float32Array;
}

interface Advantages {
  advantages: Float32Array;
  returns: Float32Array;
  values: Float32Array;
}

export class SeedPpoAgent implements SeedBatchedOnPolicyAgent {
  readonly kind = 'on-policy';
  readonly algo = 'ppo';
  readonly actionScaling = 'raw';
  readonly cfg: PpoConfig;
  readonly numSeeds: number;
  readonly numEnvs: number;
  readonly stepsPerEnv: number;
  readonly obsDim: number;
  readonly actDim: number;
  /** The networks' architecture (their own parameters are disposed; every seed's live in `params`). */
  readonly nets: PpoNetworks;
  readonly params: SeedStore;
  readonly adam: SeedOptimizer;
  readonly rollouts: PpoRollout[];

  constructor(cfg: PpoConfig, obsDim: number, actDim: number, initRngs: Rng[]) {
    if (initRngs.length === 0) throw new Error('seed-batched agent: no seeds');
    if (cfg.rolloutSteps % cfg.numEnvs !== 0) throw new Error(`ppo: rolloutSteps (${cfg.rolloutSteps}) must be a multiple of numEnvs (${cfg.numEnvs})`);
    this.cfg = cfg;
    this.numSeeds = initRngs.length;
    this.numEnvs = cfg.numEnvs;
    this.stepsPerEnv = cfg.rolloutSteps / cfg.numEnvs;
    this.obsDim = obsDim;
    this.actDim = actDim;
    // each seed's initial weights drawn from its own generator exactly as a run alone draws them
    const nets = initRngs.map((rng) => new PpoNetworks(rng, obsDim, actDim, cfg));
    this.nets = nets[0]!;
    this.params = createSeedParams(this.nets.params.layout, nets.map((n) => n.params.finalizedValues()));
    nets.forEach((n) => n.params.dispose());
    this.adam = this.params.adam({ lr: cfg.lr });
    this.rollouts = initRngs.map(() => new PpoRollout(this.numEnvs, this.stepsPerEnv, obsDim, actDim, cfg.obsNorm));
  }

  observe(k: number, obs: Float32Array, n: number): void {
    this.rollouts[k]!.obsRms?.update(obs, n);
  }

  store(k: number, step: RolloutStep): void {
    this.rollouts[k]!.store(step);
  }

  rolloutFull(k: number): boolean {
    return this.rollouts[k]!.full;
  }

  seedView(k: number): AgentBase {
    return seedViewOf(this, k);
  }

  async act(obs: readonly (Float32Array | null)[], n: number, mode: ActMode, rngs: readonly (Rng | null)[]): Promise<(ActResult | null)[]> {
    const seeds = obs.flatMap((o, k) => (o && rngs[k] ? [k] : []));
    const seen = seeds.map((k) => this.rollouts[k]!.seen(obs[k]!, n, mode === 'explore'));
    const heads = await tidyRead(() =>
      seeds.flatMap((k, j) => {
        const p = this.nets.policy(this.params.values(k), tf.tensor2d(seen[j]!, [n, this.obsDim]));
        return [p.mu, p.logStd];
      }),
    );
    const out: (ActResult | null)[] = new Array(this.numSeeds).fill(null);
    seeds.forEach((k, j) => (out[k] = sampleGaussian(heads[2 * j]!, heads[2 * j + 1]!, n, this.actDim, mode, rngs[k]!)));
    return out;
  }

  /** Seed k's policy head at n raw observations (normalised as act() does): mu and log sigma, n x actDim each (a synchronous read: analysis on cpu or wasm). */
  policyHead(k: number, rawObs: Float32Array, n: number): { mu: Float32Array; logStd: Float32Array } {
    const obs = this.rollouts[k]!.seen(rawObs, n, false);
    return tf.tidy(() => {
      const p = this.nets.policy(this.params.values(k), tf.tensor2d(obs, [n, this.obsDim]));
      return { mu: p.mu.dataSync() as Float32Array, logStd: p.logStd.dataSync() as Float32Array };
    });
  }

  /** Seed k's V at n raw observations (normalised as act() does; a synchronous read). */
  stateValue(k: number, rawObs: Float32Array, n: number): Float32Array {
    const obs = this.rollouts[k]!.seen(rawObs, n, false);
    return tf.tidy(() => this.nets.value(this.params.values(k), tf.tensor2d(obs, [n, this.obsDim])).dataSync() as Float32Array);
  }

  /** V(s) and V(s') of each seed's rollout, then GAE on the host. */
  private async advantages(seeds: number[]): Promise<Advantages[]> {
    const n = this.cfg.rolloutSteps;
    const vs = await tidyRead(() =>
      seeds.flatMap((k) => {
        const r = this.rollouts[k]!;
        const w = this.params.values(k);
        return [this.nets.value(w, tf.tensor2d(r.obs, [n, this.obsDim])), this.nets.value(w, tf.tensor2d(r.nextObs, [n, this.obsDim]))];
      }),
    );
    return seeds.map((k, j) => {
      const r = this.rollouts[k]!;
      const v = vs[2 * j]!;
      const g = gae({ rewards: r.rewards, values: v, nextValues: vs[2 * j + 1]!, terminated: r.terminated, done: r.done, T: this.stepsPerEnv, N: this.numEnvs, gamma: this.cfg.gamma, lambda: this.cfg.gaeLambda });
      return { ...g, values: v };
    });
  }

  async update(rngs: readonly (Rng | null)[], withMetrics: readonly boolean[]): Promise<(Record<string, number> | null)[]> {
    const cfg = this.cfg;
    const n = cfg.rolloutSteps;
    const o = this.obsDim;
    const d = this.actDim;
    const out: (Record<string, number> | null)[] = new Array(this.numSeeds).fill(null);
    const seeds = rngs.flatMap((r, k) => (r ? [k] : []));
    if (seeds.length === 0) return out;
    const K = seeds.length;
    const wantStats = seeds.some((k) => withMetrics[k]);
    // log pi_old of the stored actions under the policy that collected them (== the current one)
    const logpOld = await tidyRead(() =>
      seeds.map((k) => {
        const r = this.rollouts[k]!;
        const p = this.nets.policy(this.params.values(k), tf.tensor2d(r.obs, [n, o]));
        return gaussianLogProb(tf.tensor2d(r.actions, [n, d]), p.mu, p.logStd);
      }),
    );
    let adv = await this.advantages(seeds);
    const first = adv;
    const sums = new Float64Array(K * STAT_NAMES.length);
    let count = 0;
    const spans = minibatchSpans(n, cfg.minibatchSize);
    const maxM = Math.max(...spans.map(([s0, s1]) => s1 - s0));
    const buf: PpoMinibatch = { m: maxM, obs: new Float32Array(K * maxM * o), actions: new Float32Array(K * maxM * d), advantages: new Float32Array(K * maxM), returns: new Float32Array(K * maxM), logpOld: new Float32Array(K * maxM) };
    for (let epoch = 0; epoch < cfg.epochs; epoch++) {
      if (epoch > 0 && cfg.recomputeAdvantage) adv = await this.advantages(seeds);
      const perms = seeds.map((k) => permutation(n, rngs[k]!));
      for (const [s0, s1] of spans) {
        const mb = this.gather(seeds, perms.map((p) => p.subarray(s0, s1)), adv, logpOld, buf);
        const stats = await readAndDispose(this.minibatchStep(seeds, mb, wantStats));
        if (stats) {
          for (let q = 0; q < stats.length; q++) sums[q]! += stats[q]!;
          count += 1;
        }
      }
    }
    for (const k of seeds) this.rollouts[k]!.t = 0;
    seeds.forEach((k, j) => {
      if (!withMetrics[k]) return;
      const r: Record<string, number> = {};
      STAT_NAMES.forEach((name, q) => (r[name] = sums[j * STAT_NAMES.length + q]! / count));
      r['losses/explained_variance'] = explainedVariance(first[j]!);
      out[k] = r;
    });
    return out;
  }

  /** The rows `rows[j]` of seed seeds[j]'s rollout, stacked seed after seed in `buf`'s storage. */
  private gather(seeds: number[], rows: Int32Array[], adv: Advantages[], logpOld: Float32Array[], buf: PpoMinibatch): PpoMinibatch {
    const o = this.obsDim;
    const d = this.actDim;
    const K = seeds.length;
    const m = rows[0]!.length;
    const mb: PpoMinibatch = { m, obs: buf.obs.subarray(0, K * m * o), actions: buf.actions.subarray(0, K * m * d), advantages: buf.advantages.subarray(0, K * m), returns: buf.returns.subarray(0, K * m), logpOld: buf.logpOld.subarray(0, K * m) };
    seeds.forEach((k, j) => {
      const r = this.rollouts[k]!;
      for (let i = 0; i < m; i++) {
        const row = j * m + i;
        const src = rows[j]![i]!;
        mb.obs.set(r.obs.subarray(src * o, src * o + o), row * o);
        mb.actions.set(r.actions.subarray(src * d, src * d + d), row * d);
        mb.advantages[row] = adv[j]!.advantages[src]!;
        mb.returns[row] = adv[j]!.returns[src]!;
        mb.logpOld[row] = logpOld[j]![src]!;
      }
    });
    return mb;
  }

  /** One Adam step of every seed in `seeds` on its minibatch rows; their loss statistics [K, 6] when wanted. */
  private minibatchStep(seeds: number[], mb: PpoMinibatch, withMetrics: boolean): tf.Tensor2D | null {
    return tidyOrNull(() => {
      const { grads, stats } = this.minibatchGrads(seeds, mb, withMetrics);
      // torch.nn.utils.clip_grad_norm_ per seed: coef = max_norm / (norm + 1e-6), applied when < 1
      const norm = tf.sqrt(tf.sum(tf.square(grads), 1, true));
      const clipped = tf.mul(grads, tf.minimum(tf.div(this.cfg.maxGradNorm, tf.add(norm, 1e-6)), 1));
      this.adam.applySeeds(seeds, tf.reshape(clipped, [-1]));
      return stats;
    });
  }

  /**
   * dL/d(parameters) of each seed [K, P] (before clipping) with hand-written gradients (no autodiff
   * tape; checked against tfjs autodiff). With L = clip + vf_coef mean((V - R)^2) - ent_coef mean(H),
   * ratio r = exp(log pi - log pi_old): dL/dr = -A/m where r A <= clip(r) A (tfjs' Minimum sends ties
   * to the first), else -A/m where 1 - eps <= r <= 1 + eps and 0 outside; dL/dlog pi = r dL/dr; with
   * z = (a - mu) / sigma, dlog pi/dmu = z / sigma and dlog pi/dlog sigma = z^2 - 1; dH/dlog sigma = 1.
   * Call inside a tidy.
   */
  minibatchGrads(seeds: number[], mb: PpoMinibatch, withMetrics: boolean): { grads: tf.Tensor2D; stats: tf.Tensor2D | null } {
    const cfg = this.cfg;
    const K = seeds.length;
    const { m } = mb;
    const o = this.obsDim;
    const rows = K * m;
    const ws = seeds.map((k) => this.params.values(k));
    const obsOf = (j: number) => mb.obs.subarray(j * m * o, (j + 1) * m * o);
    const xs = seeds.map((_, j) => tf.tensor2d(obsOf(j), [m, o]));
    const at = seeds.map((_, j) => this.nets.actor.forwardTrace(ws[j]!, xs[j]!));
    const ct = seeds.map((_, j) => this.nets.critic.forwardTrace(ws[j]!, xs[j]!));
    const ps = seeds.map((_, j) => this.nets.policyFromOutput(ws[j]!, at[j]!.out));
    const rowsOf = (parts: tf.Tensor2D[]) => (parts.length === 1 ? parts[0]! : (tf.concat(parts) as tf.Tensor2D));
    const mu = rowsOf(ps.map((p) => p.mu));
    const logStd = rowsOf(ps.map((p) => p.logStd));
    const v = rowsOf(ct.map((t) => t.out));
    const a = tf.tensor2d(mb.actions, [rows, this.actDim]);
    let adv: tf.Tensor2D = tf.tensor2d(mb.advantages, [K, m]);
    if (cfg.normAdvantage) {
      const { mean, variance } = tf.moments(adv, 1, true);
      adv = tf.div(tf.sub(adv, mean), tf.add(tf.sqrt(variance), 1e-8));
    }
    adv = tf.reshape(adv, [rows, 1]);
    const ret = tf.tensor2d(mb.returns, [rows, 1]);
    const logpOld = tf.tensor2d(mb.logpOld, [rows, 1]);
    const std = tf.exp(logStd);
    const z = tf.div(tf.sub(a, mu), std);
    const logp = tf.reshape(gaussianLogProbFromNoise(z as tf.Tensor2D, logStd), [rows, 1]);
    const ratio = tf.exp(tf.sub(logp, logpOld));
    const s1 = tf.mul(ratio, adv);
    const s2 = tf.mul(tf.clipByValue(ratio, 1 - cfg.clipEps, 1 + cfg.clipEps), adv);
    const first = tf.cast(tf.lessEqual(s1, s2), 'float32');
    const inClip = tf.cast(tf.logicalAnd(tf.greaterEqual(ratio, 1 - cfg.clipEps), tf.lessEqual(ratio, 1 + cfg.clipEps)), 'float32');
    const dRatio = tf.mul(tf.mul(adv, -1 / m), tf.add(first, tf.mul(tf.sub(1, first), inClip)));
    const dLogp = tf.mul(dRatio, ratio);
    const dMu = tf.div(tf.mul(dLogp, z), std) as tf.Tensor2D;
    const dLogStd = tf.sub(tf.mul(dLogp, tf.sub(tf.square(z), 1)), cfg.entCoef / m) as tf.Tensor2D;
    const vErr = tf.sub(v, ret);
    const dV = tf.mul(vErr, (2 * cfg.vfCoef) / m) as tf.Tensor2D;
    const perSeed = (x: tf.Tensor2D) => (K === 1 ? [x] : (tf.split(x, K, 0) as tf.Tensor2D[]));
    const [dMus, dLogStds, dVs] = [perSeed(dMu), perSeed(dLogStd), perSeed(dV)];
    const grads = tf.stack(seeds.map((_, j) => this.nets.paramGrad(at[j]!, ct[j]!, ps[j]!, dMus[j]!, dLogStds[j]!, dVs[j]!, transposeWithOnes(obsOf(j), m, o)))) as tf.Tensor2D;
    if (!withMetrics) return { grads, stats: null };
    const seedMean = (x: tf.Tensor) => tf.mean(tf.reshape(x, [K, -1]), 1);
    const stats = tf.stack(
      [
        tf.neg(seedMean(tf.minimum(s1, s2))),
        seedMean(tf.square(vErr)),
        seedMean(gaussianEntropy(logStd)),
        seedMean(tf.sub(logpOld, logp)),
        seedMean(tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), cfg.clipEps), 'float32')),
        seedMean(logStd),
      ],
      1,
    ) as tf.Tensor2D;
    return { grads, stats };
  }

  saveState(k: number): AgentState {
    const tensors: TensorMap = { ...this.params.read('ppo', k), ...this.adam.read('ppo_optim', k) };
    const json = this.rollouts[k]!.save(tensors);
    return { tensors, json };
  }

  loadState(k: number, state: AgentState): void {
    this.params.write('ppo', k, state.tensors);
    this.adam.write('ppo_optim', k, state.tensors);
    this.rollouts[k]!.load(state);
  }

  dispose(): void {
    this.params.dispose();
    this.adam.dispose();
  }
}

/** A PPO agent of one seed behind the single-seed OnPolicyAgent interface (createAgent): seed 0 of a SeedPpoAgent it owns. */
export class PpoAgent extends SingleSeedAgent<SeedPpoAgent> implements OnPolicyAgent {
  readonly kind = 'on-policy';

  constructor(cfg: PpoConfig, obsDim: number, actDim: number, rng: Rng) {
    super(new SeedPpoAgent(cfg, obsDim, actDim, [rng]));
  }

  get numEnvs(): number {
    return this.batched.numEnvs;
  }

  get stepsPerEnv(): number {
    return this.batched.stepsPerEnv;
  }

  get rolloutFull(): boolean {
    return this.batched.rolloutFull(0);
  }

  observe(obs: Float32Array, n: number): void {
    this.batched.observe(0, obs, n);
  }

  store(step: RolloutStep): void {
    this.batched.store(0, step);
  }

  async update(rng: Rng, withMetrics: boolean): Promise<Record<string, number> | null> {
    return (await this.batched.update([rng], [withMetrics]))[0]!;
  }
}

/** Actions a = mu + sigma z (z = 0 when deterministic) with their log pi and the Gaussian's entropy. */
function sampleGaussian(mu: Float32Array, logStd: Float32Array, n: number, d: number, mode: ActMode, rng: Rng): ActResult {
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

/** 1 - Var(R - V) / Var(R) of the critic before the update, as CleanRL logs it (NaN when Var(R) = 0). */
function explainedVariance(a: Advantages): number {
  const n = a.returns.length;
  let mr = 0;
  for (let k = 0; k < n; k++) mr += a.returns[k]!;
  mr /= n;
  let md = 0;
  for (let k = 0; k < n; k++) md += a.returns[k]! - a.values[k]!;
  md /= n;
  let vr = 0;
  let vd = 0;
  for (let k = 0; k < n; k++) {
    vr += (a.returns[k]! - mr) ** 2;
    vd += (a.returns[k]! - a.values[k]! - md) ** 2;
  }
  return vr > 0 ? 1 - vd / vr : Number.NaN;
}

/** Minibatches [start, end) of `size` over n rows; a short last one is merged into the previous (Tianshou's merge_last). */
function minibatchSpans(n: number, size: number): [number, number][] {
  const spans: [number, number][] = [];
  for (let s = 0; s < n; s += size) spans.push([s, Math.min(n, s + size)]);
  if (spans.length > 1 && spans[spans.length - 1]![1] - spans[spans.length - 1]![0] < size) {
    const last = spans.pop()!;
    spans[spans.length - 1]![1] = last[1];
  }
  return spans;
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
