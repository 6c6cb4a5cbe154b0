// Multi-layer perceptrons whose weights live in a FlatParams: hidden layers with one activation,
// a linear output layer. Initial values come from the seeded generator (src-core/nn/init.ts).
import type * as tf from '@tensorflow/tfjs';
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
}
