// SAC networks: a squashed-Gaussian actor (MLP trunk, one linear head giving mu and log sigma,
// log sigma clamped) and Q networks on concat(s, a). PyTorch default initialisation.
// Each group (actor; a critic pair) keeps its weights in one FlatParams.
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../rng.ts';
import { Mlp } from '../../nn/mlp.ts';
import { FlatParams } from '../../nn/params.ts';

export class SquashedGaussianActor {
  readonly params = new FlatParams();
  readonly net: Mlp;
  readonly actDim: number;
  private readonly logStdMin: number;
  private readonly logStdMax: number;

  constructor(rng: Rng, obsDim: number, actDim: number, hidden: number[], logStdRange: [number, number], sigmaHeadInitScale: number | null) {
    this.actDim = actDim;
    [this.logStdMin, this.logStdMax] = logStdRange;
    this.net = new Mlp(this.params, 'actor', rng, {
      sizes: [obsDim, ...hidden, 2 * actDim],
      activation: 'relu',
      init: { kind: 'torch' },
      adjustOutput: sigmaHeadInitScale === null ? undefined : (w, b, fanIn, fanOut) => {
        // columns actDim..2actDim are the log sigma head (spec: toy sigma head x0.01, bias 0)
        for (let i = 0; i < fanIn; i++) for (let o = actDim; o < fanOut; o++) w[i * fanOut + o]! *= sigmaHeadInitScale;
        for (let o = actDim; o < fanOut; o++) b[o] = 0;
      },
    });
    this.params.finalize();
  }

  /** mu and clamped log sigma, each [B, actDim]. */
  forward(obs: tf.Tensor2D, w: tf.Tensor[] = this.params.unpack()): { mu: tf.Tensor2D; logStd: tf.Tensor2D } {
    const out = this.net.apply(w, obs);
    const [mu, ls] = tf.split(out, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
    return { mu, logStd: tf.clipByValue(ls, this.logStdMin, this.logStdMax) };
  }
}

/**
 * K Q networks Q_k(s, a) -> [B] sharing one FlatParams (one optimiser) and its Polyak target.
 * SAC and TD3 use a pair; SAC-AdaEnt uses two pairs (soft and plain).
 */
export class CriticPair {
  readonly params = new FlatParams();
  readonly nets: [Mlp, Mlp];
  readonly target: FlatParams;

  constructor(rng: Rng, prefix: string, obsDim: number, actDim: number, hidden: number[]) {
    const make = (name: string) => new Mlp(this.params, name, rng, { sizes: [obsDim + actDim, ...hidden, 1], activation: 'relu', init: { kind: 'torch' } });
    this.nets = [make(`${prefix}1`), make(`${prefix}2`)];
    this.params.finalize();
    this.target = this.params.clone(false);
  }

  /** [Q1, Q2](s, a) with weights `w` (online, trained). */
  both(w: tf.Tensor[], sa: tf.Tensor2D): [tf.Tensor1D, tf.Tensor1D] {
    return [tf.reshape(this.nets[0].apply(w, sa), [-1]) as tf.Tensor1D, tf.reshape(this.nets[1].apply(w, sa), [-1]) as tf.Tensor1D];
  }

  /** min(Q1, Q2)(s, a) with weights `w` as a frozen function of a differentiable input (actor loss). */
  minFrozen(w: tf.Tensor[], sa: tf.Tensor2D): tf.Tensor1D {
    return tf.reshape(tf.minimum(this.nets[0].apply(w, sa, true, false), this.nets[1].apply(w, sa, true, false)), [-1]) as tf.Tensor1D;
  }

  /** min(Q1', Q2')(s, a) with the target weights (no gradient). */
  targetMin(sa: tf.Tensor2D): tf.Tensor1D {
    const w = this.target.unpackCached();
    return tf.reshape(tf.minimum(this.nets[0].apply(w, sa, false, false), this.nets[1].apply(w, sa, false, false)), [-1]) as tf.Tensor1D;
  }

  dispose(): void {
    this.params.dispose();
    this.target.dispose();
  }
}
