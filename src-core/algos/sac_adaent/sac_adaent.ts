// SAC-AdaEnt (the paper's mitigation; spec/algorithms.md "SAC-AdaEnt"): SAC's actor, a soft critic
// pair Q (entropy in the target) and a plain pair P (no entropy), each with its own Adam and
// Polyak target. The actor follows plain Q on the states where the min-shifted cosine of the two
// landscapes over N = 100 sampled actions falls below the threshold. The N x batch comparison is
// one batched pass per critic pair. Gradients are written by hand, as in SAC (sac/sac.ts).
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../rng.ts';
import { adamFor, type AdamLike } from '../../nn/host_adam.ts';
import { polyakUpdate } from '../../nn/params.ts';
import { squashedBackward, squashedForward, type SquashedTrace } from '../../nn/squashed_grad.ts';
import { actSquashed, normals } from '../common/squashed_act.ts';
import type { ActMode, ActResult, AgentState, Batch, OffPolicyAgent, TensorMap } from '../common/types.ts';
import { hostBatch, noiseTensors, repeatRows, withAction, type HostBatch } from '../sac/batch.ts';
import { minGrad, plainTargetColumn, softTargetColumn } from '../sac/losses.ts';
import { CriticPair, SquashedGaussianActor } from '../sac/networks.ts';
import { Temperature } from '../sac/sac.ts';
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
  private readonly actorOptim: AdamLike;
  private readonly softOptim: AdamLike;
  private readonly plainOptim: AdamLike;
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
    this.actorOptim = adamFor(this.actor.params.variable, { lr: cfg.actorLr });
    // Adam is elementwise: one Adam per pair equals one per critic at the same learning rate.
    this.softOptim = adamFor(this.soft.params.variable, { lr: cfg.criticLr });
    this.plainOptim = adamFor(this.plain.params.variable, { lr: cfg.criticLr });
  }

  act(obs: Float32Array, n: number, mode: ActMode, rng: Rng): ActResult {
    return actSquashed(this.actor, obs, n, mode, rng);
  }

  private criticStep(pair: CriticPair, optim: AdamLike, t: HostBatch, y: tf.Tensor2D): tf.Tensor1D {
    const B = y.shape[0];
    const w = pair.params.values();
    const tr = pair.trace(w, t.sa);
    const e1 = tf.sub(tr[0].out, y) as tf.Tensor2D;
    const e2 = tf.sub(tr[1].out, y) as tf.Tensor2D;
    optim.apply(pair.paramGrad(tr, tf.mul(e1, 2 / B), tf.mul(e2, 2 / B), t.saT));
    return tf.stack([tf.mean(tf.square(e1)), tf.mean(tf.square(e2))]) as tf.Tensor1D;
  }

  /**
   * Per-state switch mask [B, 1] (1 = use plain Q) and cosine [B], from N actions per state drawn
   * from the policy head `head` (mu, sigma at s), with the updated critics (no gradient).
   * Rows b * N + j: state b, sample j; states are repeated on the host (`obsTiledPad`, zero action
   * columns), mu and sigma by broadcasting.
   */
  private switchMask(head: SquashedTrace, obsTiledPad: tf.Tensor2D, noise: tf.Tensor3D, sw: tf.Tensor[], pw: tf.Tensor[]): { mask: tf.Tensor2D; cosine: tf.Tensor1D } {
    const [B, d] = head.mu.shape;
    const N = this.cfg.numSamples;
    const u3 = tf.add(tf.reshape(head.mu, [B, 1, d]), tf.mul(tf.reshape(head.std, [B, 1, d]), noise));
    const a = tf.reshape(tf.tanh(u3), [B * N, d]) as tf.Tensor2D;
    const sa = withAction(obsTiledPad, a);
    const u = tf.reshape(this.soft.minValue(sw, sa), [B, N]) as tf.Tensor2D;
    const v = tf.reshape(this.plain.minValue(pw, sa), [B, N]) as tf.Tensor2D;
    const cosine = minShiftedCosine(u, v);
    const mask = tf.reshape(tf.cast(tf.less(cosine, this.cfg.threshold), 'float32'), [B, 1]) as tf.Tensor2D;
    return { mask, cosine };
  }

  update(batch: Batch, rng: Rng, withMetrics: boolean): Record<string, number> | null {
    const B = batch.size;
    const d = this.actDim;
    const N = this.cfg.numSamples;
    const noiseNext = normals(rng, B * d);
    const noiseCur = normals(rng, B * d);
    const noiseSwitch = normals(rng, B * N * d);
    const [lo, hi] = this.actor.logStdRange;
    let v: Float32Array | null = null;
    tf.tidy(() => {
      const t = hostBatch(batch, this.obsDim, d, this.cfg.gamma);
      const alpha = this.temperature.value();
      const actorW = this.actor.params.unpackCached();
      // 1-2. one a' ~ pi(.|s') for both targets
      const nn = noiseTensors(noiseNext, B, d);
      const next = squashedForward(this.actor.net.forward(actorW, t.nextObs), nn.noise, nn.logNoise, lo, hi);
      const saNext = withAction(t.nextObsPad, next.action);
      const ySoft = softTargetColumn(t.rewards, t.discount, this.soft.targetMin(saNext), alpha, next.logProb);
      const yPlain = plainTargetColumn(t.rewards, t.discount, this.plain.targetMin(saNext));
      // 3. Q_i -> y_soft, P_i -> y_plain
      const softLoss = this.criticStep(this.soft, this.softOptim, t, ySoft);
      const plainLoss = this.criticStep(this.plain, this.plainOptim, t, yPlain);
      // 4. the actor's head at s (shared by the switch and the actor step), the switch, the actor on q_hat
      const sw = this.soft.params.values();
      const pw = this.plain.params.values();
      const nc = noiseTensors(noiseCur, B, d);
      const at = this.actor.net.forwardTrace(actorW, t.obs);
      const cur = squashedForward(at.out, nc.noise, nc.logNoise, lo, hi);
      const obsTiledPad = tf.tensor2d(repeatRows(batch.obs, B, this.obsDim, N, d), [B * N, this.obsDim + d]);
      const { mask, cosine } = this.switchMask(cur, obsTiledPad, tf.tensor3d(noiseSwitch, [B, N, d]), sw, pw);
      const saCur = withAction(t.obsPad, cur.action);
      const qs = this.soft.trace(sw, saCur);
      const qp = this.plain.trace(pw, saCur);
      // L = mean(alpha log pi - q_hat), q_hat = mask min(P1, P2) + (1 - mask) min(Q1, Q2)
      const dPlain = tf.mul(mask, -1 / B);
      const dSoft = tf.mul(tf.sub(1, mask), -1 / B);
      const gs = minGrad(qs[0].out, qs[1].out, dSoft);
      const gp = minGrad(qp[0].out, qp[1].out, dPlain);
      const dA = tf.add(this.soft.actionGrad(qs, gs.dq1, gs.dq2, this.obsDim, d), this.plain.actionGrad(qp, gp.dq1, gp.dq2, this.obsDim, d)) as tf.Tensor2D;
      const dOut = squashedBackward(cur, dA, tf.mul(alpha, 1 / B));
      const g = this.actor.net.backward(at, dOut, { paramGrad: true, inputGrad: false, inputT: t.obsT }).params;
      this.actorOptim.apply(tf.concat(g) as tf.Tensor1D);
      // 5. temperature (optional), 6. Polyak on all four targets
      const meanLogProb = tf.mean(cur.logProb) as tf.Scalar;
      const alphaLoss = this.temperature.step(meanLogProb);
      polyakUpdate(this.soft.target, this.soft.params, this.cfg.tau);
      polyakUpdate(this.plain.target, this.plain.params, this.cfg.tau);
      if (!withMetrics) return;
      const qHat = switchedQ(mask as tf.Tensor, tf.minimum(qs[0].out, qs[1].out), tf.minimum(qp[0].out, qp[1].out));
      const actorLossValue = tf.mean(tf.sub(tf.mul(alpha, cur.logProb), qHat));
      v = tf.concat([
        softLoss,
        plainLoss,
        tf.stack([actorLossValue, alpha, alphaLoss ?? tf.scalar(0), tf.neg(meanLogProb), tf.mean(cur.logStd), tf.mean(mask), tf.mean(cosine)]),
      ]).dataSync() as Float32Array;
    });
    if (!v) return null;
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
