// SAC losses (spec/algorithms.md, "SAC"), written as the equations.
import * as tf from '@tensorflow/tfjs';

/** y = r + gamma (1 - terminated) [min Q'(s', a') - alpha log pi(a'|s')]; truncated transitions bootstrap. */
export function softTarget(rewards: tf.Tensor1D, terminated: tf.Tensor1D, gamma: number, minQNext: tf.Tensor1D, alpha: tf.Tensor, logProbNext: tf.Tensor1D): tf.Tensor1D {
  const soft = tf.sub(minQNext, tf.mul(alpha, logProbNext));
  return tf.add(rewards, tf.mul(tf.mul(tf.sub(1, terminated), gamma), soft)) as tf.Tensor1D;
}

/** Plain (entropy-free) target: y = r + gamma (1 - terminated) min P'(s', a'). */
export function plainTarget(rewards: tf.Tensor1D, terminated: tf.Tensor1D, gamma: number, minQNext: tf.Tensor1D): tf.Tensor1D {
  return tf.add(rewards, tf.mul(tf.mul(tf.sub(1, terminated), gamma), minQNext)) as tf.Tensor1D;
}

/** Mean squared error. */
export function mse(pred: tf.Tensor1D, target: tf.Tensor1D): tf.Scalar {
  return tf.mean(tf.squaredDifference(pred, target)) as tf.Scalar;
}

/** Actor loss: mean(alpha log pi(a|s) - q(s, a)), a reparameterised. */
export function actorLoss(alpha: tf.Tensor, logProb: tf.Tensor1D, q: tf.Tensor1D): tf.Scalar {
  return tf.mean(tf.sub(tf.mul(alpha, logProb), q)) as tf.Scalar;
}

/** Gradient of -mean(log alpha (log pi + H_target)) with respect to log alpha: -(mean log pi + H_target). */
export function alphaLossGrad(meanLogProb: tf.Scalar, targetEntropy: number): tf.Scalar {
  return tf.neg(tf.add(meanLogProb, targetEntropy)) as tf.Scalar;
}

/** Soft target on [B, 1] columns: y = r + discount [min Q'(s', a') - alpha log pi(a'|s')], discount = gamma (1 - terminated). */
export function softTargetColumn(rewards: tf.Tensor2D, discount: tf.Tensor2D, minQNext: tf.Tensor2D, alpha: tf.Tensor, logProbNext: tf.Tensor2D): tf.Tensor2D {
  return tf.add(rewards, tf.mul(discount, tf.sub(minQNext, tf.mul(alpha, logProbNext)))) as tf.Tensor2D;
}

/** Plain target on [B, 1] columns: y = r + discount min P'(s', a'). */
export function plainTargetColumn(rewards: tf.Tensor2D, discount: tf.Tensor2D, minQNext: tf.Tensor2D): tf.Tensor2D {
  return tf.add(rewards, tf.mul(discount, minQNext)) as tf.Tensor2D;
}

/**
 * Gradient of min(q1, q2) routed to its arguments, with dL/dmin = `dMin` (scalar or [B, 1]):
 * to q1 where q1 <= q2, else to q2 (tfjs' Minimum gradient, so ties go to q1).
 */
export function minGrad(q1: tf.Tensor2D, q2: tf.Tensor2D, dMin: tf.Tensor): { dq1: tf.Tensor2D; dq2: tf.Tensor2D } {
  const first = tf.cast(tf.lessEqual(q1, q2), 'float32');
  return { dq1: tf.mul(first, dMin) as tf.Tensor2D, dq2: tf.mul(tf.sub(1, first), dMin) as tf.Tensor2D };
}
