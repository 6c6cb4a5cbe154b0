// Multi-layer perceptrons whose weights live in a FlatParams: hidden layers with one activation,
// a linear output layer. Initial values come from the seeded generator (src-core/nn/init.ts).
// Three ways to run one: `apply` (differentiable by tfjs autodiff through dense.ts), `forward`
// (inference, one fused kernel per layer), and `forwardTrace` + `backward`, a hand-written
// backward pass that the SAC family uses instead of autodiff (see backward's comment).
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng.ts';
import { dense, type Activation } from './dense.ts';
import { orthogonalInit, torchLinearInit } from './init.ts';
import type { FlatParams } from './params.ts';

export type InitScheme = { kind: 'torch' } | { kind: 'orthogonal'; gain: number; outputGain: number };

export interface MlpOptions {
  /** Layer sizes including input and output, e.g. [obsDim, 256, 256, 2 * actDim]. */
  sizes: number[];
  activation: Activation;
  init: InitScheme;
  /** Adjust the last layer's initial weights (fanIn x fanOut, row-major) and bias in place. */
  adjustOutput?: (w: Float32Array, b: Float32Array, fanIn: number, fanOut: number) => void;
}

/**
 * What `backward` needs from a forward pass. Internally a batch is [1, B, n] and a weight matrix
 * [1, in, out]: the shapes the fused matmul kernel takes, so no reshapes around every layer.
 */
export interface MlpTrace {
  /** Input of every layer, [1, B, in]. */
  inputs: tf.Tensor3D[];
  /** Weights of every layer, [1, in, out]. */
  weights: tf.Tensor3D[];
  /** Network output [B, out]. */
  out: tf.Tensor2D;
}

export interface MlpGrads {
  /** dL/dx [B, in] (or only the columns asked for), null when not asked for. */
  dx: tf.Tensor2D | null;
  /** Per layer, dL/d[W; b] flattened: [in * out + out], exactly the layer's span of the FlatParams. */
  params: tf.Tensor1D[];
}

/** [1, r, c] -> [1, c, r]; a one-row or one-column matrix by a reshape (no data movement). */
function transpose3(w: tf.Tensor3D): tf.Tensor3D {
  const [, r, c] = w.shape;
  return r === 1 || c === 1 ? tf.reshape(w, [1, c, r]) : tf.transpose(w, [0, 2, 1]);
}

/**
 * act(x W + b) by the backend's fused kernel called directly (tf.fused.matMul adds reshapes and a
 * custom-gradient scope around it, which cost more than the product itself at 64 units on wasm).
 * Not differentiable by autodiff: used only where gradients are written by hand or not needed.
 */
function fusedDense(x: tf.Tensor3D, w: tf.Tensor3D, b: tf.Tensor, activation: 'relu' | 'linear'): tf.Tensor3D {
  return tf.engine().runKernel('_FusedMatMul', { a: x, b: w, bias: b }, { transposeA: false, transposeB: false, activation, leakyreluAlpha: 0 }) as tf.Tensor3D;
}

export class Mlp {
  /** Indices of [w0, b0, w1, b1, ...] in the owning FlatParams' unpack() list. */
  private readonly idx: number[] = [];
  readonly activation: Activation;
  readonly sizes: number[];

  constructor(params: FlatParams, prefix: string, rng: Rng, opts: MlpOptions) {
    this.activation = opts.activation;
    this.sizes = opts.sizes.slice();
    const n = opts.sizes.length - 1;
    for (let l = 0; l < n; l++) {
      const fanIn = opts.sizes[l]!;
      const fanOut = opts.sizes[l + 1]!;
      const last = l === n - 1;
      const init = opts.init.kind === 'torch'
        ? torchLinearInit(rng, fanIn, fanOut)
        : orthogonalInit(rng, fanIn, fanOut, last ? opts.init.outputGain : opts.init.gain);
      if (last && opts.adjustOutput) opts.adjustOutput(init.w, init.b, fanIn, fanOut);
      this.idx.push(params.add(`${prefix}.${l}.weight`, init.w, [fanIn, fanOut]));
      this.idx.push(params.add(`${prefix}.${l}.bias`, init.b, [fanOut]));
    }
  }

  /**
   * Forward pass with the unpacked weights `w` of the owning FlatParams (online or target copy).
   * `inputGrad` false when nothing needs dL/dx; `paramGrad` false when the network is frozen
   * inside another network's loss (skips the weight-gradient products).
   */
  apply(w: tf.Tensor[], x: tf.Tensor, inputGrad = false, paramGrad = true): tf.Tensor2D {
    let h: tf.Tensor = x;
    const n = this.idx.length / 2;
    for (let l = 0; l < n; l++) {
      const last = l === n - 1;
      h = dense(h, w[this.idx[2 * l]!]!, w[this.idx[2 * l + 1]!]!, last ? 'linear' : this.activation, l === 0 ? inputGrad : true, paramGrad);
    }
    return h as tf.Tensor2D;
  }

  /** Inference: act(x W + b) per layer as one fused kernel each (no gradient bookkeeping). */
  forward(w: tf.Tensor[], x: tf.Tensor2D): tf.Tensor2D {
    return this.forwardTrace(w, x).out;
  }

  /**
   * Inference on the rows concat(x_b, y_bj), j < n (y [B n, q], row b n + j), without building them:
   * the first layer's x part, x W_x + b, is computed once per row of x [B, p] and broadcast over
   * the n rows of y, whose part is y W_y. Equal to `forward` on the concatenation up to float
   * rounding (the first layer's sum is split in two). SAC-AdaEnt's N sampled actions per state.
   */
  forwardRepeated(w: tf.Tensor[], x: tf.Tensor2D, y: tf.Tensor2D, n: number): tf.Tensor2D {
    const [B, p] = x.shape;
    const q = y.shape[1];
    const w0 = w[this.idx[0]!]!;
    const w3 = (w0.rank === 3 ? w0 : tf.reshape(w0, [1, w0.shape[0]!, w0.shape[1]!])) as tf.Tensor3D;
    const H = w3.shape[2];
    const hx = fusedDense(tf.reshape(x, [1, B, p]), tf.slice(w3, [0, 0, 0], [1, p, H]), w[this.idx[1]!]!, 'linear');
    const hy = tf.matMul(tf.reshape(y, [1, B * n, q]), tf.slice(w3, [0, p, 0], [1, q, H]));
    const z = tf.add(tf.reshape(hy, [B, n, H]), tf.reshape(hx, [B, 1, H]));
    const layers = this.idx.length / 2;
    const act0 = layers === 1 ? 'linear' : this.activation;
    let h = tf.reshape(act0 === 'relu' ? tf.relu(z) : act0 === 'tanh' ? tf.tanh(z) : z, [1, B * n, H]) as tf.Tensor3D;
    for (let l = 1; l < layers; l++) {
      const wl = w[this.idx[2 * l]!]!;
      const wl3 = (wl.rank === 3 ? wl : tf.reshape(wl, [1, wl.shape[0]!, wl.shape[1]!])) as tf.Tensor3D;
      const act = l === layers - 1 ? 'linear' : this.activation;
      h = act === 'tanh' ? tf.tanh(fusedDense(h, wl3, w[this.idx[2 * l + 1]!]!, 'linear')) : fusedDense(h, wl3, w[this.idx[2 * l + 1]!]!, act);
    }
    return tf.reshape(h, [B * n, h.shape[2]]) as tf.Tensor2D;
  }

  /** Forward pass keeping each layer's input and weights for `backward`. */
  forwardTrace(w: tf.Tensor[], x: tf.Tensor2D): MlpTrace {
    const inputs: tf.Tensor3D[] = [];
    const weights: tf.Tensor3D[] = [];
    const B = x.shape[0];
    let h = tf.reshape(x, [1, B, x.shape[1]]) as tf.Tensor3D;
    const n = this.idx.length / 2;
    for (let l = 0; l < n; l++) {
      inputs.push(h);
      const wl = w[this.idx[2 * l]!]!;
      const w3 = (wl.rank === 3 ? wl : tf.reshape(wl, [1, wl.shape[0]!, wl.shape[1]!])) as tf.Tensor3D;
      weights.push(w3);
      const b = w[this.idx[2 * l + 1]!]!;
      const act = l === n - 1 ? 'linear' : this.activation;
      h = act === 'tanh' ? tf.tanh(fusedDense(h, w3, b, 'linear')) : fusedDense(h, w3, b, act);
    }
    return { inputs, weights, out: tf.reshape(h, [B, h.shape[2]]) as tf.Tensor2D };
  }

  /**
   * Hand-written backward pass from dL/d(output) `dOut` [B, out] (no autodiff tape).
   * The weight gradient of a layer is [x 1]^T g = [dW; db], which is the layer's contiguous span
   * of the FlatParams (W row-major, then b): one product gives both, with no reduction over the
   * batch (a reduction over axis 0 costs a transpose on tfjs-wasm). `inputT` is [x 1]^T of the
   * first layer, [1, in + 1, B], when the caller already has it (built on the host from the batch).
   * `inputCols` [from, count]: only these columns of dL/dx (e.g. the action part of concat(s, a)).
   * Non-differentiable points follow tfjs: relu'(0) = 0.
   */
  backward(trace: MlpTrace, dOut: tf.Tensor2D, opts: { paramGrad: boolean; inputGrad: boolean; inputT?: tf.Tensor3D; inputCols?: [number, number] }): MlpGrads {
    const n = this.idx.length / 2;
    const params: tf.Tensor1D[] = new Array(n);
    const B = dOut.shape[0];
    let g = tf.reshape(dOut, [1, B, dOut.shape[1]]) as tf.Tensor3D;
    let dx: tf.Tensor2D | null = null;
    for (let l = n - 1; l >= 0; l--) {
      const x = trace.inputs[l]!;
      const wl = trace.weights[l]!;
      if (opts.paramGrad) {
        const xt = l === 0 && opts.inputT ? opts.inputT : tf.concat([tf.transpose(x, [0, 2, 1]), tf.ones([1, 1, B])], 1) as tf.Tensor3D;
        params[l] = tf.reshape(tf.matMul(xt, g), [-1]) as tf.Tensor1D;
      }
      if (l === 0) {
        if (opts.inputGrad) {
          const cols = opts.inputCols;
          const wIn = cols ? tf.slice(wl, [0, cols[0], 0], [1, cols[1], wl.shape[2]]) as tf.Tensor3D : wl;
          const d = tf.matMul(g, transpose3(wIn)) as tf.Tensor3D;
          dx = tf.reshape(d, [B, d.shape[2]]) as tf.Tensor2D;
        }
        break;
      }
      const dh = tf.matMul(g, transpose3(wl)) as tf.Tensor3D;
      // x = act(z) of the previous layer: relu' = step(x), tanh' = 1 - x^2
      g = (this.activation === 'relu' ? tf.mul(dh, tf.step(x)) : this.activation === 'tanh' ? tf.mul(dh, tf.sub(1, tf.square(x))) : dh) as tf.Tensor3D;
    }
    return { dx, params: opts.paramGrad ? params : [] };
  }
}
