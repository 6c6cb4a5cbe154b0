// Twin Delayed DDPG (Fujimoto et al. 2018), spec/algorithms.md "TD3", for K seeds at once (issue 12;
// K = 1 is a run alone, see createAgent): twin critics regress to the clipped double-Q target with
// target policy smoothing; every policyDelay critic updates the actor maximises Q1(s, mu(s)) and
// all targets move by Polyak. Exploration: N(0, 0.1) in [-1, 1] units. As the SAC family
// (sac/seed_sac.ts): weights, targets and Adam moments per seed on the host (SeedParams/SeedAdam),
// each seed's MLP passes on its own weights, the elementwise work between them once over the seeds'
// stacked rows. Gradients are written by hand (Mlp.backward), checked against tfjs autodiff in
// tests/core/nn/manual_grads_td3_ppo.test.ts.
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../rng.ts';
import { SeedAdam, SeedParams, seedPolyak } from '../../nn/seed_params.ts';
import { seedViewOf } from '../common/looped_agents.ts';
import { normals } from '../common/squashed_act.ts';
import type { ActMode, ActResult, AgentBase, AgentState, Batch, OffPolicyAgent, SeedBatchedOffPolicyAgent, TensorMap } from '../common/types.ts';
import { CriticPair } from '../sac/networks.ts';
import { seedHostBatch, seedMeans, stack, unstack, withAction } from '../sac/batch.ts';
import { joinArrays } from '../sac/sac.ts';
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
  readonly actor: SeedParams;
  readonly actorTarget: SeedParams;
  readonly critic: SeedParams;
  readonly criticTarget: SeedParams;
  readonly actorAdam: SeedAdam;
  readonly criticAdam: SeedAdam;
  private readonly updates: number[];
  /** Last actor loss of each seed (reported between delayed actor updates). */
  private readonly lastActorLoss: number[];

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
      actorVals.push((actor.params.variable.dataSync() as Float32Array).slice());
      criticVals.push((critics.params.variable.dataSync() as Float32Array).slice());
      first ??= { actor, critics };
    });
    const { actor, critics } = first!;
    this.actorNet = actor.net;
    this.critics = critics;
    this.actor = new SeedParams(actor.params.layout, actorVals);
    this.critic = new SeedParams(critics.params.layout, criticVals);
    actor.dispose(); // the networks keep only their layout; the weights live in SeedParams
    critics.dispose();
    this.actorTarget = this.actor.clone();
    this.criticTarget = this.critic.clone();
    this.actorAdam = new SeedAdam(this.actor, { lr: cfg.actorLr });
    this.criticAdam = new SeedAdam(this.critic, { lr: cfg.criticLr });
    this.updates = new Array(this.numSeeds).fill(0);
    this.lastActorLoss = new Array(this.numSeeds).fill(Number.NaN);
  }

  /**
   * Deterministic evaluation acts with mu(s). TD3's stochastic policy is the one it trains with: the
   * actor plus its exploration noise N(0, explorationNoise), clipped to [-1, 1]; so 'explore' and the
   * 'stochastic' evaluation mode act alike (issue 18, point 3). No log-probability (clipped noise).
   */
  act(obs: readonly (Float32Array | null)[], n: number, mode: ActMode, rngs: readonly (Rng | null)[]): (ActResult | null)[] {
    return obs.map((o, k) => {
      const rng = rngs[k];
      if (!o || !rng) return null;
      const mu = tf.tidy(() => tf.tanh(this.actorNet.forward(this.actor.values(k), tf.tensor2d(o, [n, this.obsDim]))).dataSync() as Float32Array);
      const actions = new Float32Array(mu.length);
      const noisy = mode !== 'deterministic';
      for (let j = 0; j < mu.length; j++) actions[j] = noisy ? Math.min(1, Math.max(-1, mu[j]! + this.cfg.explorationNoise * rng.normal())) : mu[j]!;
      return { actions, logProbs: new Float32Array(n).fill(Number.NaN), entropies: new Float32Array(n).fill(Number.NaN) };
    });
  }

  seedView(k: number): AgentBase {
    return seedViewOf(this, k);
  }

  update(batches: readonly (Batch | null)[], rngs: readonly (Rng | null)[], withMetrics: readonly boolean[]): (Record<string, number> | null)[] {
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
    const read = tf.tidy(() => this.step(seeds, seeds.map((k) => batches[k]!), noise, turn, B, anyMetrics)) as Float32Array;
    const values = anyMetrics ? read : null;
    seeds.forEach((k, j) => {
      if (!turn[j]) return;
      seedPolyak(this.criticTarget, this.critic, k, cfg.tau);
      seedPolyak(this.actorTarget, this.actor, k, cfg.tau);
      this.lastActorLoss[k] = values ? values[2 * m + j]! : read[j]!;
    });
    seeds.forEach((k, j) => {
      if (!withMetrics[k] || !values) return;
      // no policy/entropy: TD3's only stochasticity is its fixed exploration noise, a constant (issue 18, point 4)
      out[k] = { 'losses/qf1_loss': values[j]!, 'losses/qf2_loss': values[m + j]!, 'losses/actor_loss': this.lastActorLoss[k]! };
    });
    return out;
  }

  /** One update of seeds `seeds` (their batches and scaled smoothing noise); the losses [qf1 x m, qf2 x m, actor x m] when asked. */
  private step(seeds: number[], batches: Batch[], noise: Float32Array[], turn: boolean[], B: number, withMetrics: boolean): Float32Array {
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
    const cg = tf.concat(seeds.map((_, j) => nets.paramGrad(ct[j]!, d1[j]!, d2[j]!, t.saT[j]!))).dataSync() as Float32Array;
    const P = this.critic.size;
    seeds.forEach((k, j) => this.criticAdam.apply(k, cg.subarray(j * P, (j + 1) * P)));
    // 3. actor (seeds on their turn): -mean Q1(s, mu(s)) with the updated critic frozen
    const actorLoss = new Float32Array(m).fill(Number.NaN);
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
      const losses = tf.neg(seedMeans(stack(q1.map((q) => q.out)), js.length));
      const read = tf.concat([...ag, losses]).dataSync() as Float32Array;
      const A = this.actor.size;
      js.forEach((j, i) => {
        this.actorAdam.apply(seeds[j]!, read.subarray(i * A, (i + 1) * A));
        actorLoss[j] = read[js.length * A + i]!;
      });
    }
    if (!withMetrics) return actorLoss;
    const q = tf.concat([seedMeans(tf.square(e1), m), seedMeans(tf.square(e2), m)]).dataSync() as Float32Array;
    const v = new Float32Array(3 * m);
    v.set(q);
    v.set(actorLoss, 2 * m);
    return v;
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
    const l = this.lastActorLoss[k]!;
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
    this.lastActorLoss[k] = typeof l === 'number' ? l : Number.NaN;
  }

  dispose(): void {
    for (const p of [this.actor, this.actorTarget, this.critic, this.criticTarget]) p.dispose();
  }
}

/** A TD3 agent of one seed behind the single-seed OffPolicyAgent interface (createAgent). */
export class SingleSeedTd3 implements OffPolicyAgent {
  readonly kind = 'off-policy';
  readonly algo = 'td3';
  readonly actionScaling = 'squash';
  /** The seed-batched agent (K = 1) that does the work: its networks, for analysis (landscapes). */
  readonly batched: SeedTd3Agent;
  readonly act: OffPolicyAgent['act'];

  constructor(agent: SeedTd3Agent) {
    if (agent.numSeeds !== 1) throw new Error('SingleSeedTd3: the agent holds more than one seed');
    this.batched = agent;
    this.act = agent.seedView(0).act;
  }

  update(batch: Batch, rng: Rng, withMetrics: boolean): Record<string, number> | null {
    return this.batched.update([batch], [rng], [withMetrics])[0]!;
  }

  saveState(): AgentState {
    return this.batched.saveState(0);
  }

  loadState(state: AgentState): void {
    this.batched.loadState(0, state);
  }

  dispose(): void {
    this.batched.dispose();
  }
}
