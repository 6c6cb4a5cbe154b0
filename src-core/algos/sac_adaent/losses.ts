// SAC-AdaEnt's switch (spec/algorithms.md, "SAC-AdaEnt", step 4): per state, the cosine of the
// min-shifted soft and plain Q values over N sampled actions; below the threshold the actor
// follows plain Q for that state.
import * as tf from '@tensorflow/tfjs';

/**
 * c(s) = u.v / max(|u| |v|, 1e-8) with u, v the [B, N] soft and plain values, each row shifted by
 * its own minimum. Returns [B].
 */
export function minShiftedCosine(u: tf.Tensor2D, v: tf.Tensor2D): tf.Tensor1D {
  const us = tf.sub(u, tf.min(u, 1, true));
  const vs = tf.sub(v, tf.min(v, 1, true));
  const dot = tf.sum(tf.mul(us, vs), 1);
  const norms = tf.mul(tf.norm(us, 'euclidean', 1), tf.norm(vs, 'euclidean', 1));
  return tf.div(dot, tf.maximum(norms, 1e-8)) as tf.Tensor1D;
}

/** q_hat(s) = q_plain(s) where the switch fired (mask 1), else q_soft(s). */
export function switchedQ<T extends tf.Tensor>(mask: tf.Tensor, qSoft: T, qPlain: T): T {
  return tf.add(tf.mul(mask, qPlain), tf.mul(tf.sub(1, mask), qSoft)) as T;
}
