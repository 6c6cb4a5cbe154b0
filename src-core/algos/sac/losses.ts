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
