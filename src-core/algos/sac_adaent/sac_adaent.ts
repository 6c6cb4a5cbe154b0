// SAC-AdaEnt (the paper's mitigation; spec/algorithms.md "SAC-AdaEnt"): SAC's actor, a soft critic
// pair Q (entropy in the target) and a plain pair P (no entropy), each with its own Adam and
// Polyak target. The actor follows plain Q on the states where the min-shifted cosine of the two
// landscapes over N = 100 sampled actions falls below the threshold. The N x batch comparison is
// one batched pass per critic pair.
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../rng.ts';
import { Adam } from '../../nn/adam.ts';
import { polyakUpdate } from '../../nn/params.ts';
import { squashedSample } from '../../nn/distributions.ts';
import { actSquashed, normals } from '../common/squashed_act.ts';
import type { ActMode, ActResult, AgentState, Batch, OffPolicyAgent, TensorMap } from '../common/types.ts';
import { actorLoss, mse, plainTarget, softTarget } from '../sac/losses.ts';
import { CriticPair, SquashedGaussianActor } from '../sac/networks.ts';
import { Temperature, batchTensors } from '../sac/sac.ts';
import type { SacAdaEntConfig } from './config.ts';
import { minShiftedCosine, switchedQ } from './losses.ts';

export class SacAdaEntAgent implements OffPolicyAgent {
  readonly kind = 'off-policy';
  readonly algo = 'sac-adaent';
  readonly actionScaling = 'squash';
  readonly cfg: SacAdaEntConfig;
  readonly actor: SquashedGaussianActor;
  readonly soft: CriticPair;
  readonly plain: CriticPair;
  readonly temperature: Temperature;
  private readonly actorOptim: Adam;
  private readonly softOptim: Adam;
  private readonly plainOptim: Adam;
  private readonly obsDim: number;
  private readonly actDim: number;

  constructor(cfg: SacAdaEntConfig, obsDim: number, actDim: number, rng: Rng) {
    this.cfg = cfg;
    this.obsDim = obsDim;
    this.actDim = actDim;
    this.actor = new SquashedGaussianActor(rng, obsDim, actDim, cfg.hidden, [cfg.logStdMin, cfg.logStdMax], cfg.sigmaHeadInitScale);
    this.soft = new CriticPair(rng, 'qf', obsDim, actDim, cfg.hidden);
    this.plain = new CriticPair(rng, 'pf', obsDim, actDim, cfg.hidden);
    this.temperature = new Temperature(cfg, actDim);
    this.actorOptim = new Adam(this.actor.params.variable, { lr: cfg.actorLr });
    // Adam is elementwise: one Adam per pair equals one per critic at the same learning rate.
    this.softOptim = new Adam(this.soft.params.variable, { lr: cfg.criticLr });
    this.plainOptim = new Adam(this.plain.params.variable, { lr: cfg.criticLr });
  }

  act(obs: Float32Array, n: number, mode: ActMode, rng: Rng): ActResult {
    return actSquashed(this.actor, obs, n, mode, rng);
  }

  private criticStep(pair: CriticPair, optim: Adam, sa: tf.Tensor2D, y: tf.Tensor1D): tf.Tensor {
    const losses: tf.Tensor[] = [];
    const g = tf.variableGrads(() => {
      const [q1, q2] = pair.both(pair.params.unpack(), sa);
      const l1 = mse(q1, y);
      const l2 = mse(q2, y);
      losses.push(tf.keep(tf.stack([l1, l2])));
      return tf.add(l1, l2) as tf.Scalar;
    }, [pair.params.variable]);
    optim.apply(g.grads[pair.params.variable.name]!);
    return losses[0]!;
  }

  /** Per-state switch mask (1 = use plain Q) and cosine, from N actions per state (no gradient). */
  private switchMask(obs: tf.Tensor2D, noise: Float32Array, B: number): { mask: tf.Tensor1D; cosine: tf.Tensor1D } {
    const N = this.cfg.numSamples;
    const d = this.actDim;
    return tf.tidy(() => {
      const { mu, logStd } = this.actor.forward(obs, this.actor.params.unpackCached());
      // rows b * N + j: state b, sample j
      const tile = (x: tf.Tensor2D) => tf.reshape(tf.tile(tf.reshape(x, [B, 1, -1]), [1, N, 1]), [B * N, -1]) as tf.Tensor2D;
      const a = tf.tanh(tf.add(tile(mu), tf.mul(tile(tf.exp(logStd)), tf.tensor2d(noise, [B * N, d]))));
      const sa = tf.concat([tile(obs), a], 1) as tf.Tensor2D;
      const sw = this.soft.params.unpack();
      const pw = this.plain.params.unpack();
      const u = tf.reshape(this.soft.minFrozen(sw, sa), [B, N]) as tf.Tensor2D;
      const v = tf.reshape(this.plain.minFrozen(pw, sa), [B, N]) as tf.Tensor2D;
      const cosine = minShiftedCosine(u, v);
      const mask = tf.cast(tf.less(cosine, this.cfg.threshold), 'float32') as tf.Tensor1D;
      return { mask, cosine };
    });
  }

  update(batch: Batch, rng: Rng, withMetrics: boolean): Record<string, number> | null {
    const B = batch.size;
    const d = this.actDim;
    const noiseNext = normals(rng, B * d);
    const noiseCur = normals(rng, B * d);
    const noiseSwitch = normals(rng, B * this.cfg.numSamples * d);
    const kept: tf.Tensor[] = [];
    const out = tf.tidy(() => {
      const t = batchTensors(batch, this.obsDim, d);
      const alpha = this.temperature.value();
      // 1-2. one a' ~ pi(.|s') for both targets
      const [ySoft, yPlain] = tf.tidy(() => {
        const { mu, logStd } = this.actor.forward(t.nextObs, this.actor.params.unpackCached());
        const next = squashedSample(mu, logStd, tf.tensor2d(noiseNext, [B, d]));
        const sa = tf.concat([t.nextObs, next.action], 1) as tf.Tensor2D;
        return [
          softTarget(t.rewards, t.terminated, this.cfg.gamma, this.soft.targetMin(sa), alpha, next.logProb),
          plainTarget(t.rewards, t.terminated, this.cfg.gamma, this.plain.targetMin(sa)),
        ];
      });
      // 3. Q_i -> y_soft, P_i -> y_plain
      const sa = tf.concat([t.obs, t.actions], 1) as tf.Tensor2D;
      const softLoss = this.criticStep(this.soft, this.softOptim, sa, ySoft);
      const plainLoss = this.criticStep(this.plain, this.plainOptim, sa, yPlain);
      kept.push(softLoss, plainLoss);
      // 4. the switch, then the actor on q_hat
      const { mask, cosine } = this.switchMask(t.obs, noiseSwitch, B);
      const sw = this.soft.params.unpack();
      const pw = this.plain.params.unpack();
      let logProb!: tf.Tensor1D;
      let logStdMean!: tf.Scalar;
      const step = tf.variableGrads(() => {
        const { mu, logStd } = this.actor.forward(t.obs);
        const cur = squashedSample(mu, logStd, tf.tensor2d(noiseCur, [B, d]));
        logProb = cur.logProb;
        kept.push(tf.keep(logProb));
        logStdMean = tf.mean(logStd);
        kept.push(tf.keep(logStdMean));
        const saCur = tf.concat([t.obs, cur.action], 1) as tf.Tensor2D;
        const qHat = switchedQ(mask, this.soft.minFrozen(sw, saCur), this.plain.minFrozen(pw, saCur));
        return actorLoss(alpha, cur.logProb, qHat);
      }, [this.actor.params.variable]);
      this.actorOptim.apply(step.grads[this.actor.params.variable.name]!);
      // 5. temperature (optional), 6. Polyak on all four targets
      const meanLogProb = tf.mean(logProb) as tf.Scalar;
      const alphaLoss = this.temperature.step(meanLogProb);
      polyakUpdate(this.soft.target, this.soft.params, this.cfg.tau);
      polyakUpdate(this.plain.target, this.plain.params, this.cfg.tau);
      if (!withMetrics) return tf.zeros([1]);
      return tf.concat([
        softLoss as tf.Tensor1D,
        plainLoss as tf.Tensor1D,
        tf.stack([step.value, alpha, alphaLoss ?? tf.scalar(0), tf.neg(meanLogProb), logStdMean, tf.mean(mask), tf.mean(cosine)]),
      ]);
    });
    for (const k of kept) k.dispose();
    if (!withMetrics) {
      out.dispose();
      return null;
    }
    const v = out.dataSync();
    out.dispose();
    const m: Record<string, number> = {
      'losses/qf1_loss': v[0]!,
      'losses/qf2_loss': v[1]!,
      'losses/plain_qf1_loss': v[2]!,
      'losses/plain_qf2_loss': v[3]!,
      'losses/actor_loss': v[4]!,
      'losses/alpha': v[5]!,
      'policy/entropy': v[7]!,
      'policy/log_std_mean': v[8]!,
      'adaent/surrogate_rate': v[9]!,
      'adaent/cosine_mean': v[10]!,
    };
    if (this.temperature.adam) m['losses/alpha_loss'] = v[6]!;
    return m;
  }

  saveState(): AgentState {
    const tensors: TensorMap = {
      ...this.actor.params.read('actor'),
      ...this.soft.params.read('critic'),
      ...this.soft.target.read('critic_target'),
      ...this.plain.params.read('plain_critic'),
      ...this.plain.target.read('plain_critic_target'),
      ...this.actorOptim.read('actor_optim'),
      ...this.softOptim.read('critic_optim'),
      ...this.plainOptim.read('plain_critic_optim'),
    };
    this.temperature.save(tensors);
    return { tensors, json: {} };
  }

  loadState(state: AgentState): void {
    const t = state.tensors;
    this.actor.params.write('actor', t);
    this.soft.params.write('critic', t);
    this.soft.target.write('critic_target', t);
    this.plain.params.write('plain_critic', t);
    this.plain.target.write('plain_critic_target', t);
    this.actorOptim.write('actor_optim', t);
    this.softOptim.write('critic_optim', t);
    this.plainOptim.write('plain_critic_optim', t);
    this.temperature.load(t);
  }

  dispose(): void {
    this.actor.params.dispose();
    this.soft.dispose();
    this.plain.dispose();
    this.temperature.dispose();
    this.actorOptim.dispose();
    this.softOptim.dispose();
    this.plainOptim.dispose();
  }
}
