// SAC networks: a squashed-Gaussian actor (MLP trunk, one linear head giving mu and log sigma,
// log sigma clamped) and Q networks on concat(s, a). PyTorch default initialisation.
// Each group (actor; a critic pair) keeps its weights in one FlatParams. The SAC family trains
// them with hand-written backward passes (Mlp.backward, squashed_grad.ts); TD3 uses autodiff.
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../rng.ts';
import { Mlp, type MlpTrace } from '../../nn/mlp.ts';
import { FlatParams } from '../../nn/params.ts';

export class SquashedGaussianActor {
  readonly params = new FlatParams({ batchedMatrices: true });
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

  get logStdRange(): [number, number] {
    return [this.logStdMin, this.logStdMax];
  }

  /**
   * mu and clamped log sigma, each [B, actDim] (inference: no gradient). With `isOutput`, `obs` is
   * already the network's output [B, 2 actDim] (computed per seed by the caller).
   */
  forward(obs: tf.Tensor2D, w: tf.Tensor[] = this.params.values(), isOutput = false): { mu: tf.Tensor2D; logStd: tf.Tensor2D } {
    const out = isOutput ? obs : this.net.forward(w, obs);
    const [mu, ls] = tf.split(out, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
    return { mu, logStd: tf.clipByValue(ls, this.logStdMin, this.logStdMax) };
  }
}

/**
 * K Q networks Q_k(s, a) -> [B] sharing one FlatParams (one optimiser) and its Polyak target.
 * SAC and TD3 use a pair; SAC-AdaEnt uses two pairs (soft and plain).
 */
export class CriticPair {
  readonly params = new FlatParams({ batchedMatrices: true });
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

  /** min(Q1, Q2)(s, a) with weights `w` -> [B, 1] (no gradient). */
  minValue(w: tf.Tensor[], sa: tf.Tensor2D): tf.Tensor2D {
    return tf.minimum(this.nets[0].forward(w, sa), this.nets[1].forward(w, sa));
  }

  /** min(Q1, Q2) at (s_b, a_bj) for N actions per state (a [B N, actDim], row b N + j) -> [B N, 1], states not repeated (Mlp.forwardRepeated). */
  minValueRepeated(w: tf.Tensor[], s: tf.Tensor2D, a: tf.Tensor2D, n: number): tf.Tensor2D {
    return tf.minimum(this.nets[0].forwardRepeated(w, s, a, n), this.nets[1].forwardRepeated(w, s, a, n));
  }

  /** min(Q1', Q2')(s, a) with the target weights -> [B, 1] (no gradient). */
  targetMin(sa: tf.Tensor2D): tf.Tensor2D {
    return this.minValue(this.target.unpackCached(), sa);
  }

  /** Q1 and Q2 forward passes keeping what the backward passes need; outputs trace.out [B, 1]. */
  trace(w: tf.Tensor[], sa: tf.Tensor2D): [MlpTrace, MlpTrace] {
    return [this.nets[0].forwardTrace(w, sa), this.nets[1].forwardTrace(w, sa)];
  }

  /** dL/d(pair parameters) as one flat vector in FlatParams order, from dL/dQ1 and dL/dQ2 [B, 1]; `saT` is [sa 1]^T. */
  paramGrad(t: [MlpTrace, MlpTrace], dq1: tf.Tensor2D, dq2: tf.Tensor2D, saT: tf.Tensor3D): tf.Tensor1D {
    const opts = { paramGrad: true, inputGrad: false, inputT: saT };
    const g1 = this.nets[0].backward(t[0], dq1, opts).params;
    const g2 = this.nets[1].backward(t[1], dq2, opts).params;
    return tf.concat([...g1, ...g2]) as tf.Tensor1D;
  }

  /** dL/da [B, actDim] through both critics (weights frozen), a being columns obsDim.. of the input. */
  actionGrad(t: [MlpTrace, MlpTrace], dq1: tf.Tensor2D, dq2: tf.Tensor2D, obsDim: number, actDim: number): tf.Tensor2D {
    const opts = { paramGrad: false, inputGrad: true, inputCols: [obsDim, actDim] as [number, number] };
    return tf.add(this.nets[0].backward(t[0], dq1, opts).dx!, this.nets[1].backward(t[1], dq2, opts).dx!) as tf.Tensor2D;
  }

  dispose(): void {
    this.params.dispose();
    this.target.dispose();
  }
}
