// Twin Delayed DDPG (Fujimoto et al. 2018), spec/algorithms.md "TD3": twin critics regress to the
// clipped double-Q target with target policy smoothing; every policyDelay critic updates the actor
// maximises Q1(s, mu(s)) and all targets move by Polyak. Exploration: N(0, 0.1) in [-1, 1] units.
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../rng.ts';
import { Adam } from '../../nn/adam.ts';
import { polyakUpdate } from '../../nn/params.ts';
import { normals } from '../common/squashed_act.ts';
import type { ActMode, ActResult, AgentState, Batch, OffPolicyAgent, TensorMap } from '../common/types.ts';
import { CriticPair } from '../sac/networks.ts';
import { batchTensors } from '../sac/sac.ts';
import { mse } from '../sac/losses.ts';
import type { Td3Config } from './config.ts';
import { smoothedTargetAction, td3ActorLoss, td3Target } from './losses.ts';
import { DeterministicActor } from './networks.ts';

export class Td3Agent implements OffPolicyAgent {
  readonly kind = 'off-policy';
  readonly algo = 'td3';
  readonly actionScaling = 'squash';
  readonly cfg: Td3Config;
  readonly actor: DeterministicActor;
  readonly critics: CriticPair;
  private readonly actorOptim: Adam;
  private readonly criticOptim: Adam;
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
    this.actorOptim = new Adam(this.actor.params.variable, { lr: cfg.actorLr });
    this.criticOptim = new Adam(this.critics.params.variable, { lr: cfg.criticLr });
  }

  /**
   * Deterministic evaluation acts with mu(s). TD3's stochastic policy is the one it trains with: the
   * actor plus its exploration noise N(0, explorationNoise), clipped to [-1, 1]; so 'explore' and the
   * 'stochastic' evaluation mode act alike (issue 18, point 3). No log-probability (clipped noise).
   */
  act(obs: Float32Array, n: number, mode: ActMode, rng: Rng): ActResult {
    const mu = tf.tidy(() => this.actor.forward(this.actor.params.unpackCached(), tf.tensor2d(obs, [n, this.obsDim])).dataSync() as Float32Array);
    const actions = new Float32Array(mu.length);
    const noisy = mode !== 'deterministic';
    for (let j = 0; j < mu.length; j++) {
      actions[j] = noisy ? Math.min(1, Math.max(-1, mu[j]! + this.cfg.explorationNoise * rng.normal())) : mu[j]!;
    }
    return { actions, logProbs: new Float32Array(n).fill(Number.NaN), entropies: new Float32Array(n).fill(Number.NaN) };
  }

  update(batch: Batch, rng: Rng, withMetrics: boolean): Record<string, number> | null {
    const B = batch.size;
    const cfg = this.cfg;
    const noise = normals(rng, B * this.actDim);
    for (let i = 0; i < noise.length; i++) noise[i]! *= cfg.policyNoise;
    this.updates += 1;
    const actorTurn = this.updates % cfg.policyDelay === 0;
    const v = tf.tidy(() => {
      const t = batchTensors(batch, this.obsDim, this.actDim);
      const y = tf.tidy(() => {
        const muNext = this.actor.forward(this.actor.target.unpackCached(), t.nextObs);
        const aNext = smoothedTargetAction(muNext, tf.tensor2d(noise, [B, this.actDim]), cfg.noiseClip);
        return td3Target(t.rewards, t.terminated, cfg.gamma, tf.reshape(this.critics.targetMin(tf.concat([t.nextObs, aNext], 1) as tf.Tensor2D), [-1]) as tf.Tensor1D);
      });
      const sa = tf.concat([t.obs, t.actions], 1) as tf.Tensor2D;
      const losses: tf.Tensor[] = [];
      const critic = tf.variableGrads(() => {
        const [q1, q2] = this.critics.both(this.critics.params.unpack(), sa);
        const l1 = mse(q1, y);
        const l2 = mse(q2, y);
        losses.push(tf.keep(l1), tf.keep(l2));
        return tf.add(l1, l2) as tf.Scalar;
      }, [this.critics.params.variable]);
      this.criticOptim.apply(critic.grads[this.critics.params.variable.name]!);
      let actorLoss: tf.Tensor = tf.scalar(Number.NaN);
      if (actorTurn) {
        const criticW = this.critics.params.unpack();
        const step = tf.variableGrads(() => {
          const a = this.actor.forward(this.actor.params.unpack(), t.obs);
          const sa2 = tf.concat([t.obs, a], 1) as tf.Tensor2D;
          const q1 = tf.reshape(this.critics.nets[0].apply(criticW, sa2, true, false), [-1]) as tf.Tensor1D;
          return td3ActorLoss(q1);
        }, [this.actor.params.variable]);
        this.actorOptim.apply(step.grads[this.actor.params.variable.name]!);
        actorLoss = step.value;
        polyakUpdate(this.critics.target, this.critics.params, cfg.tau);
        polyakUpdate(this.actor.target, this.actor.params, cfg.tau);
      }
      const out = withMetrics ? tf.stack([losses[0]!, losses[1]!, actorLoss]) : tf.zeros([3]);
      for (const l of losses) l.dispose();
      return out;
    });
    if (!withMetrics) {
      v.dispose();
      return null;
    }
    const d = v.dataSync();
    v.dispose();
    if (actorTurn) this.lastActorLoss = d[2]!;
    return {
      'losses/qf1_loss': d[0]!,
      'losses/qf2_loss': d[1]!,
      'losses/actor_loss': this.lastActorLoss,
      // no policy/entropy: TD3's only stochasticity is its fixed exploration noise, a constant (issue 18, point 4)
    };
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
