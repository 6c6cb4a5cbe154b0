// TD3 losses (Fujimoto et al. 2018): clipped double-Q target with target policy smoothing.
import * as tf from '@tensorflow/tfjs';

/** a' = clip(mu'(s') + clip(noise, -c, c), -1, 1). `noise` is already scaled by the policy noise std. */
export function smoothedTargetAction(muNext: tf.Tensor2D, noise: tf.Tensor2D, noiseClip: number): tf.Tensor2D {
  return tf.clipByValue(tf.add(muNext, tf.clipByValue(noise, -noiseClip, noiseClip)), -1, 1) as tf.Tensor2D;
}

/** y = r + gamma (1 - terminated) min(Q1', Q2')(s', a'); truncated transitions bootstrap. */
export function td3Target(rewards: tf.Tensor1D, terminated: tf.Tensor1D, gamma: number, minQNext: tf.Tensor1D): tf.Tensor1D {
  return tf.add(rewards, tf.mul(tf.mul(tf.sub(1, terminated), gamma), minQNext)) as tf.Tensor1D;
}

/** Actor loss: -mean Q1(s, mu(s)). */
export function td3ActorLoss(q1: tf.Tensor1D): tf.Scalar {
  return tf.neg(tf.mean(q1)) as tf.Scalar;
}
