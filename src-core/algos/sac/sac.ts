// Soft Actor-Critic (Haarnoja et al. 2018), as Tianshou 0.5.0 runs it (spec/algorithms.md, "SAC").
// One update: critics regress to the soft target, then the actor minimises
// mean(alpha log pi - min Q), then (sac-auto) log alpha steps, then Polyak on both target critics.
// Gradients are written by hand (checked against tfjs autodiff in tests/core/nn/manual_grads.test.ts).
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../rng.ts';
import { adamFor, type AdamLike } from '../../nn/host_adam.ts';
import { polyakUpdate } from '../../nn/params.ts';
import { squashedBackward, squashedForward } from '../../nn/squashed_grad.ts';
import type { AlgoId } from '../../train/types.ts';
import { actSquashed, normals } from '../common/squashed_act.ts';
import type { ActMode, ActResult, AgentState, Batch, OffPolicyAgent, TensorMap } from '../common/types.ts';
import type { SacConfig } from './config.ts';
import { hostBatch, noiseTensors, withAction } from './batch.ts';
import { alphaLossGrad, minGrad, softTargetColumn } from './losses.ts';
import { CriticPair, SquashedGaussianActor } from './networks.ts';

/** Batch tensors for one update. */
export function batchTensors(b: Batch, obsDim: number, actDim: number) {
  return {
    obs: tf.tensor2d(b.obs, [b.size, obsDim]),
    actions: tf.tensor2d(b.actions, [b.size, actDim]),
    rewards: tf.tensor1d(b.rewards),
    nextObs: tf.tensor2d(b.nextObs, [b.size, obsDim]),
    terminated: tf.tensor1d(b.terminated),
  };
}

/** Entropy temperature: a fixed constant or a learned log alpha with its own Adam. */
export class Temperature {
  readonly logAlpha: tf.Variable;
  readonly adam: AdamLike | null;
  readonly targetEntropy: number;

  constructor(cfg: SacConfig, actDim: number) {
    this.logAlpha = tf.variable(tf.scalar(cfg.autoAlpha ? 0 : Math.log(cfg.alpha)), cfg.autoAlpha);
    this.adam = cfg.autoAlpha ? adamFor(this.logAlpha, { lr: cfg.alphaLr }) : null;
    this.targetEntropy = cfg.targetEntropy ?? -actDim;
  }

  /** alpha as a tensor (no data read). */
  value(): tf.Scalar {
    return tf.exp(this.logAlpha) as tf.Scalar;
  }

  /** One Adam step on log alpha from the batch's mean log pi; returns the alpha loss (a tensor). */
  step(meanLogProb: tf.Scalar): tf.Scalar | null {
    if (!this.adam) return null;
    return tf.tidy(() => {
      const loss = tf.neg(tf.mul(this.logAlpha, tf.add(meanLogProb, this.targetEntropy))) as tf.Scalar;
      this.adam!.apply(alphaLossGrad(meanLogProb, this.targetEntropy));
      return loss;
    });
  }

  save(tensors: TensorMap): void {
    tensors['log_alpha'] = { shape: [], data: this.logAlpha.dataSync() as Float32Array };
    if (this.adam) Object.assign(tensors, this.adam.read('alpha_optim'));
  }

  load(tensors: TensorMap): void {
    const t = tensors['log_alpha'];
    if (!t) throw new Error("checkpoint: missing tensor 'log_alpha'");
    tf.tidy(() => this.logAlpha.assign(tf.scalar(t.data[0]!)));
    if (this.adam) this.adam.write('alpha_optim', tensors);
  }

  dispose(): void {
    this.logAlpha.dispose();
    this.adam?.dispose();
  }
}

export class SacAgent implements OffPolicyAgent {
  readonly kind = 'off-policy';
  readonly actionScaling = 'squash';
  readonly algo: AlgoId;
  readonly cfg: SacConfig;
  readonly obsDim: number;
  readonly actDim: number;
  readonly actor: SquashedGaussianActor;
  readonly critics: CriticPair;
  readonly temperature: Temperature;
  private readonly actorOptim: AdamLike;
  private readonly criticOptim: AdamLike;

  constructor(algo: AlgoId, cfg: SacConfig, obsDim: number, actDim: number, rng: Rng) {
    this.algo = algo;
    this.cfg = cfg;
    this.obsDim = obsDim;
    this.actDim = actDim;
    this.actor = new SquashedGaussianActor(rng, obsDim, actDim, cfg.hidden, [cfg.logStdMin, cfg.logStdMax], cfg.sigmaHeadInitScale);
    this.critics = new CriticPair(rng, 'qf', obsDim, actDim, cfg.hidden);
    this.temperature = new Temperature(cfg, actDim);
    this.actorOptim = adamFor(this.actor.params.variable, { lr: cfg.actorLr });
    this.criticOptim = adamFor(this.critics.params.variable, { lr: cfg.criticLr });
  }

  act(obs: Float32Array, n: number, mode: ActMode, rng: Rng): ActResult {
    return actSquashed(this.actor, obs, n, mode, rng);
  }

  update(batch: Batch, rng: Rng, withMetrics: boolean): Record<string, number> | null {
    const B = batch.size;
    const noiseNext = normals(rng, B * this.actDim);
    const noiseCur = normals(rng, B * this.actDim);
    const out = tf.tidy(() => this.step(batch, noiseNext, noiseCur, withMetrics));
    return withMetrics ? out : null;
  }

  /**
   * One update with hand-written gradients (no autodiff tape; see Mlp.backward and
   * squashed_grad.ts): the same losses and gradients as the equations in the header.
   */
  private step(batch: Batch, noiseNext: Float32Array, noiseCur: Float32Array, withMetrics: boolean): Record<string, number> {
    const B = batch.size;
    const d = this.actDim;
    const [lo, hi] = this.actor.logStdRange;
    const t = hostBatch(batch, this.obsDim, d, this.cfg.gamma);
    const alpha = this.temperature.value();
    // the actor's weights are the same for the target and the actor step: unpacked once
    const actorW = this.actor.params.unpackCached();
    // 1. soft target with a' ~ pi(.|s')
    const nn = noiseTensors(noiseNext, B, d);
    const next = squashedForward(this.actor.net.forward(actorW, t.nextObs), nn.noise, nn.logNoise, lo, hi);
    const qNext = this.critics.targetMin(withAction(t.nextObsPad, next.action));
    const y = softTargetColumn(t.rewards, t.discount, qNext, alpha, next.logProb);
    // 2. critics: L = mean((Q1 - y)^2) + mean((Q2 - y)^2), dL/dQi = 2 (Qi - y) / B
    const cw = this.critics.params.values();
    const ct = this.critics.trace(cw, t.sa);
    const e1 = tf.sub(ct[0].out, y) as tf.Tensor2D;
    const e2 = tf.sub(ct[1].out, y) as tf.Tensor2D;
    this.criticOptim.apply(this.critics.paramGrad(ct, tf.mul(e1, 2 / B), tf.mul(e2, 2 / B), t.saT));
    // 3. actor: mean(alpha log pi(a|s) - min Q(s, a)), a reparameterised, critics (updated) frozen
    const cw2 = this.critics.params.values();
    const nc = noiseTensors(noiseCur, B, d);
    const at = this.actor.net.forwardTrace(actorW, t.obs);
    const cur = squashedForward(at.out, nc.noise, nc.logNoise, lo, hi);
    const qt = this.critics.trace(cw2, withAction(t.obsPad, cur.action));
    const { dq1, dq2 } = minGrad(qt[0].out, qt[1].out, tf.scalar(-1 / B));
    const dA = this.critics.actionGrad(qt, dq1, dq2, this.obsDim, d);
    const dOut = squashedBackward(cur, dA, tf.mul(alpha, 1 / B));
    const g = this.actor.net.backward(at, dOut, { paramGrad: true, inputGrad: false, inputT: t.obsT }).params;
    this.actorOptim.apply(tf.concat(g) as tf.Tensor1D);
    // 4. temperature (sac-auto), 5. Polyak
    const meanLogProb = tf.mean(cur.logProb) as tf.Scalar;
    const alphaLoss = this.temperature.step(meanLogProb);
    polyakUpdate(this.critics.target, this.critics.params, this.cfg.tau);
    if (!withMetrics) return {};
    const actorLossValue = tf.mean(tf.sub(tf.mul(alpha, cur.logProb), tf.minimum(qt[0].out, qt[1].out)));
    const v = tf.stack([tf.mean(tf.square(e1)), tf.mean(tf.square(e2)), actorLossValue, alpha, alphaLoss ?? tf.scalar(0), tf.neg(meanLogProb), tf.mean(cur.logStd)]).dataSync();
    const m: Record<string, number> = {
      'losses/qf1_loss': v[0]!,
      'losses/qf2_loss': v[1]!,
      'losses/actor_loss': v[2]!,
      'losses/alpha': v[3]!,
      'policy/entropy': v[5]!,
      'policy/log_std_mean': v[6]!,
    };
    if (alphaLoss) m['losses/alpha_loss'] = v[4]!;
    return m;
  }

  saveState(): AgentState {
    const tensors: TensorMap = {
      ...this.actor.params.read('actor'),
      ...this.critics.params.read('critic'),
      ...this.critics.target.read('critic_target'),
      ...this.actorOptim.read('actor_optim'),
      ...this.criticOptim.read('critic_optim'),
    };
    this.temperature.save(tensors);
    return { tensors, json: {} };
  }

  loadState(state: AgentState): void {
    const t = state.tensors;
    this.actor.params.write('actor', t);
    this.critics.params.write('critic', t);
    this.critics.target.write('critic_target', t);
    this.actorOptim.write('actor_optim', t);
    this.criticOptim.write('critic_optim', t);
    this.temperature.load(t);
  }

  dispose(): void {
    this.actor.params.dispose();
    this.critics.dispose();
    this.temperature.dispose();
    this.actorOptim.dispose();
    this.criticOptim.dispose();
  }
}
