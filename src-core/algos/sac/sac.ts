// Soft Actor-Critic (Haarnoja et al. 2018), as Tianshou 0.5.0 runs it (spec/algorithms.md, "SAC").
// One update: critics regress to the soft target, then the actor minimises
// mean(alpha log pi - min Q), then (sac-auto) log alpha steps, then Polyak on both target critics.
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../rng.ts';
import { Adam } from '../../nn/adam.ts';
import { polyakUpdate } from '../../nn/params.ts';
import { squashedSample } from '../../nn/distributions.ts';
import type { AlgoId } from '../../train/types.ts';
import { actSquashed, normals } from '../common/squashed_act.ts';
import type { ActMode, ActResult, AgentState, Batch, OffPolicyAgent, TensorMap } from '../common/types.ts';
import type { SacConfig } from './config.ts';
import { actorLoss, alphaLossGrad, mse, softTarget } from './losses.ts';
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
  readonly adam: Adam | null;
  readonly targetEntropy: number;

  constructor(cfg: SacConfig, actDim: number) {
    this.logAlpha = tf.variable(tf.scalar(cfg.autoAlpha ? 0 : Math.log(cfg.alpha)), cfg.autoAlpha);
    this.adam = cfg.autoAlpha ? new Adam(this.logAlpha, { lr: cfg.alphaLr }) : null;
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
  private readonly actorOptim: Adam;
  private readonly criticOptim: Adam;

  constructor(algo: AlgoId, cfg: SacConfig, obsDim: number, actDim: number, rng: Rng) {
    this.algo = algo;
    this.cfg = cfg;
    this.obsDim = obsDim;
    this.actDim = actDim;
    this.actor = new SquashedGaussianActor(rng, obsDim, actDim, cfg.hidden, [cfg.logStdMin, cfg.logStdMax], cfg.sigmaHeadInitScale);
    this.critics = new CriticPair(rng, 'qf', obsDim, actDim, cfg.hidden);
    this.temperature = new Temperature(cfg, actDim);
    this.actorOptim = new Adam(this.actor.params.variable, { lr: cfg.actorLr });
    this.criticOptim = new Adam(this.critics.params.variable, { lr: cfg.criticLr });
  }

  act(obs: Float32Array, n: number, mode: ActMode, rng: Rng): ActResult {
    return actSquashed(this.actor, obs, n, mode, rng);
  }

  update(batch: Batch, rng: Rng, withMetrics: boolean): Record<string, number> | null {
    const B = batch.size;
    const noiseNext = normals(rng, B * this.actDim);
    const noiseCur = normals(rng, B * this.actDim);
    const kept: tf.Tensor[] = [];
    const keep = <T extends tf.Tensor>(x: T): T => {
      kept.push(tf.keep(x));
      return x;
    };
    try {
      return this.step(batch, noiseNext, noiseCur, keep, withMetrics);
    } finally {
      for (const x of kept) x.dispose();
    }
  }

  private step(batch: Batch, noiseNext: Float32Array, noiseCur: Float32Array, keep: <T extends tf.Tensor>(x: T) => T, withMetrics: boolean): Record<string, number> | null {
    const B = batch.size;
    const out = tf.tidy((): Record<string, number> => {
      const t = batchTensors(batch, this.obsDim, this.actDim);
      const alpha = this.temperature.value();
      // 1. soft target with a' ~ pi(.|s')
      const y = tf.tidy(() => {
        const { mu, logStd } = this.actor.forward(t.nextObs, this.actor.params.unpackCached());
        const next = squashedSample(mu, logStd, tf.tensor2d(noiseNext, [B, this.actDim]));
        const qNext = this.critics.targetMin(tf.concat([t.nextObs, next.action], 1) as tf.Tensor2D);
        return softTarget(t.rewards, t.terminated, this.cfg.gamma, qNext, alpha, next.logProb);
      });
      // 2. critics: MSE to y for each
      const sa = tf.concat([t.obs, t.actions], 1) as tf.Tensor2D;
      let qf1Loss!: tf.Scalar;
      let qf2Loss!: tf.Scalar;
      const critic = tf.variableGrads(() => {
        const [q1, q2] = this.critics.both(this.critics.params.unpack(), sa);
        qf1Loss = keep(mse(q1, y));
        qf2Loss = keep(mse(q2, y));
        return tf.add(qf1Loss, qf2Loss) as tf.Scalar;
      }, [this.critics.params.variable]);
      this.criticOptim.apply(critic.grads[this.critics.params.variable.name]!);
      // 3. actor: mean(alpha log pi(a|s) - min Q(s, a)), a reparameterised, critics frozen
      const criticW = this.critics.params.unpack();
      let logProb!: tf.Tensor1D;
      let logStdMean!: tf.Scalar;
      const actorStep = tf.variableGrads(() => {
        const { mu, logStd } = this.actor.forward(t.obs);
        const cur = squashedSample(mu, logStd, tf.tensor2d(noiseCur, [B, this.actDim]));
        logProb = keep(cur.logProb);
        logStdMean = keep(tf.mean(logStd));
        const q = this.critics.minFrozen(criticW, tf.concat([t.obs, cur.action], 1) as tf.Tensor2D);
        return actorLoss(alpha, cur.logProb, q);
      }, [this.actor.params.variable]);
      this.actorOptim.apply(actorStep.grads[this.actor.params.variable.name]!);
      // 4. temperature (sac-auto), 5. Polyak
      const meanLogProb = tf.mean(logProb) as tf.Scalar;
      const alphaLoss = this.temperature.step(meanLogProb);
      polyakUpdate(this.critics.target, this.critics.params, this.cfg.tau);
      if (!withMetrics) return {};
      const v = tf.stack([qf1Loss, qf2Loss, actorStep.value, alpha, alphaLoss ?? tf.scalar(0), tf.neg(meanLogProb), logStdMean]).dataSync();
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
    });
    return withMetrics ? out : null;
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
