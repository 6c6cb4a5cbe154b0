// Twin Delayed DDPG (Fujimoto et al. 2018), spec/algorithms.md "TD3": twin critics regress to the
// clipped double-Q target with target policy smoothing; every policyDelay critic updates the actor
// maximises Q1(s, mu(s)) and all targets move by Polyak. Exploration: N(0, 0.1) in [-1, 1] units.
// Gradients are written by hand (Mlp.backward), as in the SAC family.
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../rng.ts';
import { adamFor, type AdamLike } from '../../nn/host_adam.ts';
import { polyakUpdate } from '../../nn/params.ts';
import { normals } from '../common/squashed_act.ts';
import type { ActMode, ActResult, AgentState, Batch, OffPolicyAgent, TensorMap } from '../common/types.ts';
import { CriticPair } from '../sac/networks.ts';
import { hostBatch, withAction } from '../sac/batch.ts';
import { plainTargetColumn } from '../sac/losses.ts';
import type { Td3Config } from './config.ts';
import { smoothedTargetAction } from './losses.ts';
import { DeterministicActor } from './networks.ts';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

export class Td3Agent implements OffPolicyAgent {
  readonly kind = 'off-policy';
  readonly algo = 'td3';
  readonly actionScaling = 'squash';
  readonly cfg: Td3Config;
  readonly actor: DeterministicActor;
  readonly critics: CriticPair;
  private readonly actorOptim: AdamLike;
  private readonly criticOptim: AdamLike;
  private readonly obsDim: number;
  private readonly actDim: number;
  private updates = 0;
  /** Last actor loss (reported between delayed actor updates). */
  private lastActorLoss = Number.NaN;

  constructor(cfg: Td3Config, obsDim: number, actDim: number, rng: Rng) {
    this.cfg = cfg;
    this.obsDim = obsDim;
    this.actDim = actDim;
    this.actor = new DeterministicActor(rng, obsDim, actDim, cfg.hidden);
    this.critics = new CriticPair(rng, 'qf', obsDim, actDim, cfg.hidden);
    this.actorOptim = adamFor(this.actor.params.variable, { lr: cfg.actorLr });
    this.criticOptim = adamFor(this.critics.params.variable, { lr: cfg.criticLr });
  }

  /** Exploration adds N(0, explorationNoise) and clips to [-1, 1]; evaluation modes use mu(s). */
  act(obs: Float32Array, n: number, mode: ActMode, rng: Rng): ActResult {
    const mu = tf.tidy(() => this.actor.forward(this.actor.params.unpackCached(), tf.tensor2d(obs, [n, this.obsDim])).dataSync() as Float32Array);
    const actions = new Float32Array(mu.length);
    for (let j = 0; j < mu.length; j++) {
      actions[j] = mode === 'explore' ? Math.min(1, Math.max(-1, mu[j]! + this.cfg.explorationNoise * rng.normal())) : mu[j]!;
    }
    return { actions, logProbs: new Float32Array(n).fill(Number.NaN), entropies: new Float32Array(n).fill(Number.NaN) };
  }

  /** Entropy of the Gaussian exploration noise (ignoring clipping): the only stochasticity TD3 has. */
  private explorationEntropy(): number {
    return this.actDim * (Math.log(this.cfg.explorationNoise) + 0.5 + HALF_LOG_2PI);
  }

  update(batch: Batch, rng: Rng, withMetrics: boolean): Record<string, number> | null {
    const B = batch.size;
    const cfg = this.cfg;
    const noise = normals(rng, B * this.actDim);
    for (let i = 0; i < noise.length; i++) noise[i]! *= cfg.policyNoise;
    this.updates += 1;
    const actorTurn = this.updates % cfg.policyDelay === 0;
    const v = tf.tidy(() => this.step(batch, noise, actorTurn, withMetrics)) as Float32Array;
    if (!withMetrics) return null;
    if (actorTurn) this.lastActorLoss = v[2]!;
    return {
      'losses/qf1_loss': v[0]!,
      'losses/qf2_loss': v[1]!,
      'losses/actor_loss': this.lastActorLoss,
      'policy/entropy': this.explorationEntropy(),
    };
  }

  /**
   * One update with hand-written gradients (no autodiff tape; checked against tfjs autodiff in
   * tests/core/nn/manual_grads_td3_ppo.test.ts): the losses of the header, term by term.
   */
  private step(batch: Batch, noise: Float32Array, actorTurn: boolean, withMetrics: boolean): Float32Array {
    const B = batch.size;
    const d = this.actDim;
    const cfg = this.cfg;
    const t = hostBatch(batch, this.obsDim, d, cfg.gamma);
    // 1. y = r + gamma (1 - terminated) min Q'(s', a'), a' smoothed from the target actor
    const muNext = this.actor.forward(this.actor.target.unpackCached(), t.nextObs);
    const aNext = smoothedTargetAction(muNext, tf.tensor2d(noise, [B, d]), cfg.noiseClip);
    const y = plainTargetColumn(t.rewards, t.discount, this.critics.targetMin(withAction(t.nextObsPad, aNext)));
    // 2. critics: L = mean((Q1 - y)^2) + mean((Q2 - y)^2), dL/dQi = 2 (Qi - y) / B
    const ct = this.critics.trace(this.critics.params.values(), t.sa);
    const e1 = tf.sub(ct[0].out, y) as tf.Tensor2D;
    const e2 = tf.sub(ct[1].out, y) as tf.Tensor2D;
    this.criticOptim.apply(this.critics.paramGrad(ct, tf.mul(e1, 2 / B), tf.mul(e2, 2 / B), t.saT));
    // 3. every policyDelay updates: actor loss -mean Q1(s, mu(s)) with the updated critic frozen, then Polyak
    let actorLoss: tf.Tensor = tf.scalar(Number.NaN);
    if (actorTurn) {
      const at = this.actor.trace(this.actor.params.unpackCached(), t.obs);
      const q1 = this.critics.nets[0].forwardTrace(this.critics.params.values(), withAction(t.obsPad, at.action));
      const dA = this.critics.nets[0].backward(q1, tf.fill([B, 1], -1 / B) as tf.Tensor2D, { paramGrad: false, inputGrad: true, inputCols: [this.obsDim, d] }).dx!;
      this.actorOptim.apply(this.actor.paramGrad(at, dA, t.obsT));
      actorLoss = tf.neg(tf.mean(q1.out));
      polyakUpdate(this.critics.target, this.critics.params, cfg.tau);
      polyakUpdate(this.actor.target, this.actor.params, cfg.tau);
    }
    if (!withMetrics) return new Float32Array(0);
    return tf.stack([tf.mean(tf.square(e1)), tf.mean(tf.square(e2)), actorLoss]).dataSync() as Float32Array;
  }

  saveState(): AgentState {
    const tensors: TensorMap = {
      ...this.actor.params.read('actor'),
      ...this.actor.target.read('actor_target'),
      ...this.critics.params.read('critic'),
      ...this.critics.target.read('critic_target'),
      ...this.actorOptim.read('actor_optim'),
      ...this.criticOptim.read('critic_optim'),
    };
    return { tensors, json: { updates: this.updates, lastActorLoss: Number.isNaN(this.lastActorLoss) ? null : this.lastActorLoss } };
  }

  loadState(state: AgentState): void {
    const t = state.tensors;
    this.actor.params.write('actor', t);
    this.actor.target.write('actor_target', t);
    this.critics.params.write('critic', t);
    this.critics.target.write('critic_target', t);
    this.actorOptim.write('actor_optim', t);
    this.criticOptim.write('critic_optim', t);
    this.updates = Number(state.json.updates ?? 0);
    const l = state.json.lastActorLoss;
    this.lastActorLoss = typeof l === 'number' ? l : Number.NaN;
  }

  dispose(): void {
    this.actor.dispose();
    this.critics.dispose();
    this.actorOptim.dispose();
    this.criticOptim.dispose();
  }
}
