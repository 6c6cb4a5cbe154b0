// The SAC family over K seeds (issue 12): every seed's actor, critics, targets, optimiser moments
// and log alpha live in a SeedStore / SeedOptimizer (on the host for cpu and wasm, on the device for
// webgpu: nn/seed_params.ts); per update, each seed's MLP passes run
// on its own weights (the backend's fast single matrix product: on tfjs-wasm a batched [K, ...]
// product leaves XNNPACK and is ~50x slower), while everything between them (squashing, targets,
// errors, min-routing, the policy head's backward) runs once over all seeds' rows stacked
// (seed j at rows j * B..), and Adam, Polyak and the temperature run where the store is.
// Acting and the loss metrics read with awaited reads (webgpu cannot read synchronously in Node).
// A seed's numbers do not depend on which other seeds share the call: a single-seed agent is
// this with K = 1 (createAgent), so a run alone and the same seed in a group compute alike.
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../rng.ts';
import { SeedParams, createSeedParams, type SeedOptimizer, type SeedStore } from '../../nn/seed_params.ts';
import type { AlgoId } from '../../train/types.ts';
import { seedViewOf, SingleSeedOffPolicy } from '../common/seed_views.ts';
import { actSquashedSeeds, normals } from '../common/squashed_act.ts';
import type { ActMode, ActResult, AgentBase, AgentState, Batch, OffPolicyAgent, SeedBatchedOffPolicyAgent, TensorMap } from '../common/types.ts';
import type { SacConfig } from './config.ts';
import { CriticPair, SquashedGaussianActor } from './networks.ts';

const f = Math.fround;

/** A critic pair's networks (shared by all seeds) with the seeds' online and target parameters and Adam. */
export interface SeedCritics {
  nets: CriticPair;
  params: SeedStore;
  target: SeedStore;
  adam: SeedOptimizer;
}

/** Build per-seed networks from each seed's init generator, exactly as the single-seed agent draws them. */
export function seedNetworks(cfg: SacConfig, obsDim: number, actDim: number, initRngs: Rng[], pairs: string[]): { actor: SquashedGaussianActor; actorParams: SeedStore; critics: SeedCritics[] } {
  const actorVals: Float32Array[] = [];
  const criticVals: Float32Array[][] = pairs.map(() => []);
  let actor: SquashedGaussianActor | null = null;
  const nets: CriticPair[] = [];
  initRngs.forEach((rng, k) => {
    const a = new SquashedGaussianActor(rng, obsDim, actDim, cfg.hidden, [cfg.logStdMin, cfg.logStdMax], cfg.sigmaHeadInitScale);
    actorVals.push(a.params.finalizedValues());
    if (k === 0) actor = a;
    else a.params.dispose();
    pairs.forEach((prefix, i) => {
      const c = new CriticPair(rng, prefix, obsDim, actDim, cfg.hidden);
      criticVals[i]!.push(c.params.finalizedValues());
      if (k === 0) nets.push(c);
      else c.dispose();
    });
  });
  const a0 = actor as unknown as SquashedGaussianActor;
  const actorParams = createSeedParams(a0.params.layout, actorVals);
  a0.params.dispose();
  const critics = pairs.map((_, i) => {
    const params = createSeedParams(nets[i]!.params.layout, criticVals[i]!);
    nets[i]!.dispose();
    return { nets: nets[i]!, params, target: params.clone(), adam: params.adam({ lr: cfg.criticLr }) };
  });
  return { actor: a0, actorParams, critics };
}

/**
 * Per-seed entropy temperature: log alpha fixed or learned by its own Adam, in a SeedStore (on the
 * host for cpu and wasm, float32 as before; on the device for webgpu, where nothing is read).
 */
export class SeedTemperature {
  readonly logAlpha: SeedStore;
  readonly adam: SeedOptimizer | null;
  readonly targetEntropy: number;

  constructor(cfg: SacConfig, actDim: number, K: number) {
    const init = Float32Array.of(cfg.autoAlpha ? 0 : Math.log(cfg.alpha));
    this.logAlpha = createSeedParams([{ shape: [] }], Array.from({ length: K }, () => init.slice()));
    this.adam = cfg.autoAlpha ? this.logAlpha.adam({ lr: cfg.alphaLr }) : null;
    this.targetEntropy = cfg.targetEntropy ?? -actDim;
  }

  /** Seed k's alpha as a number (analysis; on the device store after `await prefetchVariables()`). */
  alpha(k: number): number {
    const la = this.logAlpha instanceof SeedParams ? this.logAlpha.data[k]! : this.logAlpha.read('a', k)['a']!.data[0]!;
    return f(Math.exp(la));
  }

  /** alpha of each seed in `seeds` -> [m] (inside a tidy). */
  values(seeds: readonly number[]): tf.Tensor1D {
    if (this.logAlpha instanceof SeedParams) return tf.tensor1d(seeds.map((k) => this.alpha(k)));
    return tf.exp(tf.stack(seeds.map((k) => this.logAlpha.values(k)[0]!))) as tf.Tensor1D;
  }

  /** alpha of each seed in `seeds` repeated over its B rows -> [mB, 1] (inside a tidy). */
  column(seeds: readonly number[], B: number): tf.Tensor2D {
    if (this.logAlpha instanceof SeedParams) {
      const col = new Float32Array(seeds.length * B);
      seeds.forEach((k, j) => col.fill(this.alpha(k), j * B, (j + 1) * B));
      return tf.tensor2d(col, [seeds.length * B, 1]);
    }
    return tf.reshape(tf.tile(tf.reshape(this.values(seeds), [-1, 1]), [1, B]), [seeds.length * B, 1]) as tf.Tensor2D;
  }

  /**
   * One Adam step on each seed's log alpha from its batch's mean log pi (meanLogProb [m], inside a
   * tidy); returns the alpha losses -log alpha (mean log pi + H) [m], or null when alpha is fixed.
   */
  step(seeds: readonly number[], meanLogProb: tf.Tensor1D): tf.Tensor1D | null {
    if (!this.adam) return null;
    const la = this.logAlpha;
    if (la instanceof SeedParams) {
      const lp = meanLogProb.dataSync() as Float32Array;
      const loss = seeds.map((k, j) => {
        const h = f(lp[j]! + f(this.targetEntropy));
        const l = f(-f(la.data[k]! * h));
        (this.adam as ReturnType<SeedParams['adam']>).apply(k, Float32Array.of(f(-h)));
        return l;
      });
      return tf.tensor1d(loss);
    }
    const h = tf.add(meanLogProb, f(this.targetEntropy));
    const loss = tf.neg(tf.mul(tf.stack(seeds.map((k) => la.values(k)[0]!)), h)) as tf.Tensor1D;
    this.adam.applySeeds(seeds, tf.neg(h));
    return loss;
  }

  save(k: number, tensors: TensorMap): void {
    tensors['log_alpha'] = { shape: [], data: this.logAlpha.read('log_alpha', k)['log_alpha']!.data };
    if (this.adam) Object.assign(tensors, this.adam.read('alpha_optim', k));
  }

  load(k: number, tensors: TensorMap): void {
    const t = tensors['log_alpha'];
    if (!t || t.data.length !== 1) throw new Error("checkpoint: missing tensor 'log_alpha'");
    this.logAlpha.write('log_alpha', k, tensors);
    if (this.adam) this.adam.write('alpha_optim', k, tensors);
  }

  dispose(): void {
    this.logAlpha.dispose();
    this.adam?.dispose();
  }
}

/** What the SAC family's seed-batched agents share: acting, views, the actor's Adam, the temperature, checkpoints. */
export abstract class SeedSacBase implements SeedBatchedOffPolicyAgent {
  readonly kind = 'off-policy';
  readonly actionScaling = 'squash';
  abstract readonly algo: AlgoId;
  readonly numSeeds: number;
  readonly cfg: SacConfig;
  readonly obsDim: number;
  readonly actDim: number;
  readonly actor: SquashedGaussianActor;
  readonly actorParams: SeedStore;
  readonly actorAdam: SeedOptimizer;
  readonly temperature: SeedTemperature;
  readonly pairs: SeedCritics[];
  /** Checkpoint keys of each pair: [online, target, optimiser]. */
  protected abstract readonly pairKeys: [string, string, string][];

  constructor(cfg: SacConfig, obsDim: number, actDim: number, initRngs: Rng[], pairPrefixes: string[]) {
    if (initRngs.length === 0) throw new Error('seed-batched agent: no seeds');
    this.cfg = cfg;
    this.obsDim = obsDim;
    this.actDim = actDim;
    this.numSeeds = initRngs.length;
    const nets = seedNetworks(cfg, obsDim, actDim, initRngs, pairPrefixes);
    this.actor = nets.actor;
    this.actorParams = nets.actorParams;
    this.pairs = nets.critics;
    this.actorAdam = this.actorParams.adam({ lr: cfg.actorLr });
    this.temperature = new SeedTemperature(cfg, actDim, this.numSeeds);
  }

  act(obs: readonly (Float32Array | null)[], n: number, mode: ActMode, rngs: readonly (Rng | null)[]): Promise<(ActResult | null)[]> {
    return actSquashedSeeds(this.actor, (k) => this.actorParams.values(k), obs, n, mode, rngs);
  }

  seedView(k: number): AgentBase {
    return seedViewOf(this, k);
  }

  /** Seed k's policy head at n observations: mu (pre-tanh) and clamped log sigma, n x actDim each (a synchronous read: analysis on cpu or wasm). */
  policyHead(k: number, obs: Float32Array, n: number): { mu: Float32Array; logStd: Float32Array } {
    return tf.tidy(() => {
      const h = this.actor.forward(tf.tensor2d(obs, [n, this.obsDim]), this.actorParams.values(k));
      return { mu: h.mu.dataSync() as Float32Array, logStd: h.logStd.dataSync() as Float32Array };
    });
  }

  /** min of critic pair `pair` (0: the soft pair; 1: AdaEnt's plain pair) of seed k at concat(s, a) rows -> [rows, 1] (no gradient). */
  pairMin(pair: number, k: number, sa: tf.Tensor2D): tf.Tensor2D {
    const p = this.pairs[pair];
    if (!p) throw new Error(`${this.algo} has no critic pair ${pair}`);
    return p.nets.minValue(p.params.values(k), sa);
  }

  /** Seeds taking part in an update, with their noise drawn in the single-seed order. */
  protected participants(batches: readonly (Batch | null)[], rngs: readonly (Rng | null)[], draws: number[]): { seeds: number[]; noise: Float32Array[][] } {
    const seeds: number[] = [];
    const noise: Float32Array[][] = [];
    batches.forEach((b, k) => {
      if (!b || !rngs[k]) return;
      seeds.push(k);
      noise.push(draws.map((count) => normals(rngs[k]!, count)));
    });
    return { seeds, noise };
  }

  /**
   * The end of every SAC-family update (inside its tidy), after the actor step: the temperature
   * step from the batch's mean log pi [m] (sac-auto), Polyak on every pair's target. Returns, when
   * metrics are wanted, per seed [m]: alpha (before its step), entropy (-mean log pi) and the alpha
   * loss (NaN when alpha is fixed).
   */
  protected finishUpdate(seeds: number[], meanLogProb: tf.Tensor1D, wantMetrics: boolean): { alpha: tf.Tensor1D; entropy: tf.Tensor1D; alphaLoss: tf.Tensor1D } | null {
    const alpha = wantMetrics ? this.temperature.values(seeds) : null;
    const alphaLoss = this.temperature.step(seeds, meanLogProb);
    for (const p of this.pairs) for (const k of seeds) p.target.polyakFrom(p.params, k, this.cfg.tau);
    if (!alpha) return null;
    return { alpha, entropy: tf.neg(meanLogProb), alphaLoss: alphaLoss ?? (tf.fill([seeds.length], Number.NaN) as tf.Tensor1D) };
  }

  /** Per seed of `seeds` with metrics wanted, the named metrics from row j of `v` [m, names.length] (alpha_loss left out when NaN). */
  protected metricRows(seeds: number[], withMetrics: readonly boolean[], names: string[], v: Float32Array): (Record<string, number> | null)[] {
    const out: (Record<string, number> | null)[] = new Array(this.numSeeds).fill(null);
    const w = names.length;
    seeds.forEach((k, j) => {
      if (!withMetrics[k]) return;
      const r: Record<string, number> = {};
      names.forEach((name, i) => {
        if (name !== 'losses/alpha_loss' || !Number.isNaN(v[j * w + i]!)) r[name] = v[j * w + i]!;
      });
      out[k] = r;
    });
    return out;
  }

  abstract update(batches: readonly (Batch | null)[], rngs: readonly (Rng | null)[], withMetrics: readonly boolean[]): Promise<(Record<string, number> | null)[]>;

  saveState(k: number): AgentState {
    const tensors: TensorMap = { ...this.actorParams.read('actor', k) };
    this.pairs.forEach((p, i) => {
      const [on, tg, opt] = this.pairKeys[i]!;
      Object.assign(tensors, p.params.read(on, k), p.target.read(tg, k), p.adam.read(opt, k));
    });
    Object.assign(tensors, this.actorAdam.read('actor_optim', k));
    this.temperature.save(k, tensors);
    return { tensors, json: {} };
  }

  loadState(k: number, state: AgentState): void {
    const t = state.tensors;
    this.actorParams.write('actor', k, t);
    this.pairs.forEach((p, i) => {
      const [on, tg, opt] = this.pairKeys[i]!;
      p.params.write(on, k, t);
      p.target.write(tg, k, t);
      p.adam.write(opt, k, t);
    });
    this.actorAdam.write('actor_optim', k, t);
    this.temperature.load(k, t);
  }

  dispose(): void {
    this.actorParams.dispose();
    this.actorAdam.dispose();
    this.temperature.dispose();
    for (const p of this.pairs) {
      p.params.dispose();
      p.target.dispose();
      p.adam.dispose();
    }
  }
}

/** A SAC-family agent of one seed behind the single-seed OffPolicyAgent interface (createAgent). */
export class SingleSeedSac extends SingleSeedOffPolicy<SeedSacBase> {}
