// Shared by the hand-written-gradient tests (manual_grads*.test.ts): random inputs and the
// reference MLP forward pass written with plain tfjs ops, which tfjs autodiff differentiates.
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../src-core/rng.ts';

export function normals(rng: Rng, n: number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => scale * rng.normal());
}

/** Reference MLP forward on autodiff-able weights: plain matMul + bias + activation. */
export function refMlp(w: tf.Tensor[], first: number, layers: number, x: tf.Tensor2D, act: 'relu' | 'tanh'): tf.Tensor2D {
  let h: tf.Tensor2D = x;
  for (let l = 0; l < layers; l++) {
    const z = tf.add(tf.matMul(h, w[first + 2 * l]! as tf.Tensor2D), w[first + 2 * l + 1]!) as tf.Tensor2D;
    h = l === layers - 1 ? z : act === 'relu' ? tf.relu(z) : tf.tanh(z);
  }
  return h;
}
