// PPO networks (spec/algorithms.md, "PPO"): separate actor and critic MLPs with Tanh, orthogonal
// init (gain sqrt 2, zero bias), the mu head's weights then scaled by 0.01; a state-independent
// log sigma parameter, or (toy) a state-conditioned log sigma head clamped to [-20, 2].
// Actor and critic share one FlatParams so one Adam (with one gradient-norm clip) covers both.
// Trained with hand-written backward passes (Mlp.forwardTrace / backward; the loss in ppo.ts).
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../rng.ts';
import { Mlp, type MlpTrace } from '../../nn/mlp.ts';
import { FlatParams } from '../../nn/params.ts';
import type { PpoConfig } from './config.ts';

const SQRT2 = Math.SQRT2;

export class PpoNetworks {
  readonly params = new FlatParams({ batchedMatrices: true });
  readonly actor: Mlp;
  readonly critic: Mlp;
  readonly actDim: number;
  readonly stateSigma: boolean;
  private readonly logStdIndex: number;

  constructor(rng: Rng, obsDim: number, actDim: number, cfg: PpoConfig) {
    this.actDim = actDim;
    this.stateSigma = cfg.stateSigma;
    const out = cfg.stateSigma ? 2 * actDim : actDim;
    this.actor = new Mlp(this.params, 'actor', rng, {
      sizes: [obsDim, ...cfg.hidden, out],
      activation: 'tanh',
      init: { kind: 'orthogonal', gain: SQRT2, outputGain: SQRT2 },
      adjustOutput: (w, b, fanIn, fanOut) => {
        // the mu columns (the first actDim) x 0.01, zero bias
        for (let i = 0; i < fanIn; i++) for (let o = 0; o < actDim; o++) w[i * fanOut + o]! *= 0.01;
        b.fill(0);
      },
    });
    this.critic = new Mlp(this.params, 'critic', rng, {
      sizes: [obsDim, ...cfg.hidden, 1],
      activation: 'tanh',
      init: { kind: 'orthogonal', gain: SQRT2, outputGain: SQRT2 },
    });
    this.logStdIndex = cfg.stateSigma ? -1 : this.params.add('actor.log_std', new Float32Array(actDim).fill(cfg.initLogStd), [actDim]);
    this.params.finalize();
  }

  /** mu and log sigma [B, actDim] from unpacked weights `w` (no gradient). */
  policy(w: tf.Tensor[], obs: tf.Tensor2D): { mu: tf.Tensor2D; logStd: tf.Tensor2D } {
    return this.policyFromOutput(w, this.actor.forward(w, obs));
  }

  /** mu and log sigma from the actor MLP's output [B, out]. */
  policyFromOutput(w: tf.Tensor[], out: tf.Tensor2D): { mu: tf.Tensor2D; logStd: tf.Tensor2D; rawLogStd?: tf.Tensor2D } {
    if (this.stateSigma) {
      const [mu, raw] = tf.split(out, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
      return { mu, logStd: tf.clipByValue(raw, -20, 2), rawLogStd: raw };
    }
    const logStd = tf.mul(tf.onesLike(out), w[this.logStdIndex]!) as tf.Tensor2D;
    return { mu: out, logStd };
  }

  /** V(s) [B] (no gradient). */
  value(w: tf.Tensor[], obs: tf.Tensor2D): tf.Tensor1D {
    return tf.reshape(this.critic.forward(w, obs), [-1]) as tf.Tensor1D;
  }

  /**
   * dL/d(all parameters) as one flat vector in FlatParams order (actor layers, critic layers, then
   * the state-independent log sigma) from dL/dmu and dL/d(log sigma) [B, actDim] and dL/dV [B, 1].
   * tfjs conventions: the clamp of a state-conditioned log sigma passes the gradient where
   * -20 <= raw <= 2. `obsT` is [obs 1]^T.
   */
  paramGrad(actor: MlpTrace, critic: MlpTrace, p: { logStd: tf.Tensor2D; rawLogStd?: tf.Tensor2D }, dMu: tf.Tensor2D, dLogStd: tf.Tensor2D, dV: tf.Tensor2D, obsT: tf.Tensor3D): tf.Tensor1D {
    const opts = { paramGrad: true, inputGrad: false, inputT: obsT };
    const dOut = this.stateSigma
      ? tf.concat([dMu, tf.mul(dLogStd, tf.cast(tf.equal(p.rawLogStd!, p.logStd), 'float32'))], 1) as tf.Tensor2D
      : dMu;
    const parts = [...this.actor.backward(actor, dOut, opts).params, ...this.critic.backward(critic, dV, opts).params];
    if (!this.stateSigma) parts.push(tf.sum(dLogStd, 0) as tf.Tensor1D);
    return tf.concat(parts) as tf.Tensor1D;
  }
}
