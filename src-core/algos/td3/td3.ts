// Twin Delayed DDPG (Fujimoto et al. 2018), spec/algorithms.md "TD3", for K seeds at once (issue 12;
// K = 1 is a run alone, see createAgent): twin critics regress to the clipped double-Q target with
// target policy smoothing; every policyDelay critic updates the actor maximises Q1(s, mu(s)) and
// all targets move by Polyak. Exploration: N(0, 0.1) in [-1, 1] units. As the SAC family
// (sac/seed_sac.ts): weights, targets and Adam moments per seed in a SeedStore (host or device),
// each seed's MLP passes on its own weights, the elementwise work between them once over the seeds'
// stacked rows. Gradients are written by hand (Mlp.backward), checked against tfjs autodiff in
// tests/core/nn/manual_grads_td3_ppo.test.ts.
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../rng.ts';
import { createSeedParams, type SeedOptimizer, type SeedStore } from '../../nn/seed_params.ts';
import { readAndDispose, tidyOrNull, tidyRead } from '../../nn/read.ts';
import { seedViewOf, SingleSeedOffPolicy } from '../common/seed_views.ts';
import { normals } from '../common/squashed_act.ts';
import type { ActMode, ActResult, AgentBase, AgentState, Batch, OffPolicyAgent, SeedBatchedOffPolicyAgent, TensorMap } from '../common/types.ts';
import { CriticPair } from '../sac/networks.ts';
import { joinArrays, seedHostBatch, seedMeans, stack, unstack, withAction } from '../sac/batch.ts';
import { plainTargetColumn } from '../sac/losses.ts';
import type { Mlp } from '../../nn/mlp.ts';
import type { Td3Config } from './config.ts';
import { smoothedTargetAction } from './losses.ts';
import { DeterministicActor } from './networks.ts';

export class SeedTd3Agent implements SeedBatchedOffPolicyAgent {
  readonly kind = 'off-policy';
  readonly algo = 'td3';
  readonly actionScaling = 'squash';
  readonly numSeeds: number;
  readonly cfg: Td3Config;
  readonly obsDim: number;
  readonly actDim: number;
  readonly actorNet: Mlp;
  readonly critics: CriticPair;
  readonly actor: SeedStore;
  readonly actorTarget: SeedStore;
  readonly critic: SeedStore;
  readonly criticTarget: SeedStore;
  readonly actorAdam: SeedOptimizer;
  readonly criticAdam: SeedOptimizer;
  private readonly updates: number[];
  /**
   * Last actor loss of each seed (reported between delayed actor updates; checkpointed), kept where
   * the parameters are: a number per seed would cost a read every actor update on webgpu.
   */
  private readonly lastActorLoss: SeedStore;

  constructor(cfg: Td3Config, obsDim: number, actDim: number, initRngs: Rng[]) {
    if (initRngs.length === 0) throw new Error('seed-batched agent: no seeds');
    this.cfg = cfg;
    this.obsDim = obsDim;
    this.actDim = actDim;
    this.numSeeds = initRngs.length;
    // each seed draws its actor, then its critics, from its own init generator (as a run alone)
    const actorVals: Float32Array[] = [];
    const criticVals: Float32Array[] = [];
    let first: { actor: DeterministicActor; critics: CriticPair } | null = null;
    initRngs.forEach((rng) => {
      const actor = new DeterministicActor(rng, obsDim, actDim, cfg.hidden);
      const critics = new CriticPair(rng, 'qf', obsDim, actDim, cfg.hidden);
      actorVals.push(actor.params.finalizedValues());
      criticVals.push(critics.params.finalizedValues());
      first ??= { actor, critics };
    });
    const { actor, critics } = first!;
    this.actorNet = actor.net;
    this.critics = critics;
    this.actor = createSeedParams(actor.params.layout, actorVals);
    this.critic = createSeedParams(critics.params.layout, criticVals);
    actor.dispose(); // the networks keep only their layout; the weights live in the stores
    critics.dispose();
    this.actorTarget = this.actor.clone();
    this.criticTarget = this.critic.clone();
    this.actorAdam = this.actor.adam({ lr: cfg.actorLr });
    this.criticAdam = this.critic.adam({ lr: cfg.criticLr });
    this.updates = new Array(this.numSeeds).fill(0);
    this.lastActorLoss = createSeedParams([{ shape: [] }], Array.from({ length: this.numSeeds }, () => Float32Array.of(Number.NaN)));
  }

  /**
   * Deterministic evaluation acts with mu(s). TD3's stochastic policy is the one it trains with: the
   * actor plus its exploration noise N(0, explorationNoise), clipped to [-1, 1]; so 'explore' and the
   * 'stochastic' evaluation mode act alike (issue 18, point 3). No log-probability (clipped noise).
   */
  async act(obs: readonly (Float32Array | null)[], n: number, mode: ActMode, rngs: readonly (Rng | null)[]): Promise<(ActResult | null)[]> {
    const seeds = obs.map((o, k) => (o && rngs[k] ? k : -1)).filter((k) => k >= 0);
    const mus = await tidyRead(() => seeds.map((k) => tf.tanh(this.actorNet.forward(this.actor.values(k), tf.tensor2d(obs[k]!, [n, this.obsDim])))));
    return obs.map((_, k) => {
      const rng = rngs[k];
      const j = seeds.indexOf(k);
      if (j < 0 || !rng) return null;
      const mu = mus[j]!;
      const actions = new Float32Array(mu.length);
      const noisy = mode !== 'deterministic';
      for (let j = 0; j < mu.length; j++) actions[j] = noisy ? Math.min(1, Math.max(-1, mu[j]! + this.cfg.explorationNoise * rng.normal())) : mu[j]!;
      return { actions, logProbs: new Float32Array(n).fill(Number.NaN), entropies: new Float32Array(n).fill(Number.NaN) };
    });
  }

  seedView(k: number): AgentBase {
    return seedViewOf(this, k);
  }

  async update(batches: readonly (Batch | null)[], rngs: readonly (Rng | null)[], withMetrics: readonly boolean[]): Promise<(Record<string, number> | null)[]> {
    const out: (Record<string, number> | null)[] = new Array(this.numSeeds).fill(null);
    const cfg = this.cfg;
    const d = this.actDim;
    const seeds: number[] = [];
    const noise: Float32Array[] = [];
    batches.forEach((b, k) => {
      if (!b || !rngs[k]) return;
      seeds.push(k);
      const eps = normals(rngs[k]!, b.size * d);
      for (let i = 0; i < eps.length; i++) eps[i]! *= cfg.policyNoise; // float32, as the single-seed agent scaled it
      noise.push(eps);
      this.updates[k]! += 1;
    });
    const m = seeds.length;
    if (m === 0) return out;
    const B = batches[seeds[0]!]!.size;
    // the actor and the targets move every policyDelay critic updates of each seed
    const turn = seeds.map((k) => this.updates[k]! % cfg.policyDelay === 0);
    const anyMetrics = seeds.some((k) => withMetrics[k]);
    const values = await readAndDispose(tidyOrNull(() => this.step(seeds, seeds.map((k) => batches[k]!), noise, turn, B, anyMetrics)));
    if (!values) return out;
    seeds.forEach((k, j) => {
      // no policy/entropy: TD3's only stochasticity is its fixed exploration noise, a constant (issue 18, point 4)
      if (withMetrics[k]) out[k] = { 'losses/qf1_loss': values[j]!, 'losses/qf2_loss': values[m + j]!, 'losses/actor_loss': values[2 * m + j]! };
    });
    return out;
  }

  /**
   * One update of seeds `seeds` (their batches and scaled smoothing noise), Polyak of the seeds on
   * their turn included; the losses [qf1 x m, qf2 x m, last actor loss x m] when asked.
   */
  private step(seeds: number[], batches: Batch[], noise: Float32Array[], turn: boolean[], B: number, withMetrics: boolean): tf.Tensor1D | null {
    const m = seeds.length;
    const d = this.actDim;
    const cfg = this.cfg;
    const nets = this.critics;
    const t = seedHostBatch(batches, this.obsDim, d, cfg.gamma);
    // 1. y = r + gamma (1 - terminated) min Q'(s', a'), a' smoothed from the target actor
    const muNext = stack(seeds.map((k, j) => tf.tanh(this.actorNet.forward(this.actorTarget.values(k), t.nextObs[j]!)) as tf.Tensor2D));
    const aNext = smoothedTargetAction(muNext, tf.tensor2d(joinArrays(noise), [m * B, d]), cfg.noiseClip);
    const saNext = unstack(withAction(t.nextObsPad, aNext), m);
    const y = plainTargetColumn(t.rewards, t.discount, stack(seeds.map((k, j) => nets.minValue(this.criticTarget.values(k), saNext[j]!))));
    // 2. critics: L = mean((Q1 - y)^2) + mean((Q2 - y)^2), dL/dQi = 2 (Qi - y) / B
    const ct = seeds.map((k, j) => nets.trace(this.critic.values(k), t.sa[j]!));
    const e1 = tf.sub(stack(ct.map((c) => c[0].out)), y) as tf.Tensor2D;
    const e2 = tf.sub(stack(ct.map((c) => c[1].out)), y) as tf.Tensor2D;
    const d1 = unstack(tf.mul(e1, 2 / B), m);
    const d2 = unstack(tf.mul(e2, 2 / B), m);
    this.criticAdam.applySeeds(seeds, tf.concat(seeds.map((_, j) => nets.paramGrad(ct[j]!, d1[j]!, d2[j]!, t.saT[j]!))));
    // 3. actor (seeds on their turn): -mean Q1(s, mu(s)) with the updated critic frozen
    const js = seeds.map((_, j) => j).filter((j) => turn[j]);
    if (js.length > 0) {
      const pads = unstack(t.obsPad, m);
      const dqOut = tf.fill([B, 1], -1 / B) as tf.Tensor2D;
      const at = js.map((j) => this.actorNet.forwardTrace(this.actor.values(seeds[j]!), t.obs[j]!));
      const mu = js.map((_, i) => tf.tanh(at[i]!.out) as tf.Tensor2D);
      const q1 = js.map((j, i) => nets.nets[0].forwardTrace(this.critic.values(seeds[j]!), withAction(pads[j]!, mu[i]!)));
      const dA = stack(q1.map((q) => nets.nets[0].backward(q, dqOut, { paramGrad: false, inputGrad: true, inputCols: [this.obsDim, d] }).dx!));
      const dOut = unstack(tf.mul(dA, tf.sub(1, tf.square(stack(mu)))) as tf.Tensor2D, js.length); // tanh' = 1 - mu^2
      const ag = js.map((j, i) => this.actorNet.backward(at[i]!, dOut[i]!, { paramGrad: true, inputGrad: false, inputT: t.obsT[j]! }).params).flat();
      const turnSeeds = js.map((j) => seeds[j]!);
      this.actorAdam.applySeeds(turnSeeds, tf.concat(ag));
      this.lastActorLoss.setSeeds(turnSeeds, tf.neg(seedMeans(stack(q1.map((q) => q.out)), js.length)));
      for (const k of turnSeeds) {
        this.criticTarget.polyakFrom(this.critic, k, cfg.tau);
        this.actorTarget.polyakFrom(this.actor, k, cfg.tau);
      }
    }
    if (!withMetrics) return null;
    return tf.concat([seedMeans(tf.square(e1), m), seedMeans(tf.square(e2), m), tf.stack(seeds.map((k) => this.lastActorLoss.values(k)[0]!))]) as tf.Tensor1D;
  }

  saveState(k: number): AgentState {
    const tensors: TensorMap = {
      ...this.actor.read('actor', k),
      ...this.actorTarget.read('actor_target', k),
      ...this.critic.read('critic', k),
      ...this.criticTarget.read('critic_target', k),
      ...this.actorAdam.read('actor_optim', k),
      ...this.criticAdam.read('critic_optim', k),
    };
    const l = this.lastActorLoss.read('l', k)['l']!.data[0]!;
    return { tensors, json: { updates: this.updates[k], lastActorLoss: Number.isNaN(l) ? null : l } };
  }

  loadState(k: number, state: AgentState): void {
    const t = state.tensors;
    this.actor.write('actor', k, t);
    this.actorTarget.write('actor_target', k, t);
    this.critic.write('critic', k, t);
    this.criticTarget.write('critic_target', k, t);
    this.actorAdam.write('actor_optim', k, t);
    this.criticAdam.write('critic_optim', k, t);
    this.updates[k] = Number(state.json.updates ?? 0);
    const l = state.json.lastActorLoss;
    this.lastActorLoss.write('l', k, { l: { shape: [1], data: Float32Array.of(typeof l === 'number' ? l : Number.NaN) } });
  }

  dispose(): void {
    for (const p of [this.actor, this.actorTarget, this.critic, this.criticTarget, this.lastActorLoss]) p.dispose();
    this.actorAdam.dispose();
    this.criticAdam.dispose();
  }
}

/** A TD3 agent of one seed behind the single-seed OffPolicyAgent interface (createAgent). */
export class SingleSeedTd3 extends SingleSeedOffPolicy<SeedTd3Agent> {}
