// Gaussian policies. Squashed Gaussian (SAC family): u ~ N(mu, sigma), a = tanh(u),
// log pi(a) = log N(u; mu, sigma) - sum log(1 - a^2 + eps), eps = float32 machine epsilon
// (spec/algorithms.md, SAC actor). Diagonal Gaussian (PPO): raw samples, no squashing.
import * as tf from '@tensorflow/tfjs';

/** float32 machine epsilon (torch.finfo(torch.float32).eps). */
export const FLOAT32_EPS = 1.1920928955078125e-7;
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** log N(u; mu, exp(logStd)) summed over the last axis -> [B]. With u = mu + std * eps: -0.5 eps^2 - logStd - 0.5 log 2pi. */
export function gaussianLogProbFromNoise(noise: tf.Tensor2D, logStd: tf.Tensor2D): tf.Tensor1D {
  const d = logStd.shape[1];
  return tf.sub(tf.sum(tf.add(tf.mul(tf.square(noise), -0.5), tf.neg(logStd)), 1), d * HALF_LOG_2PI) as tf.Tensor1D;
}

/** log N(x; mu, exp(logStd)) summed over the last axis -> [B]. */
export function gaussianLogProb(x: tf.Tensor2D, mu: tf.Tensor2D, logStd: tf.Tensor2D): tf.Tensor1D {
  const z = tf.div(tf.sub(x, mu), tf.exp(logStd));
  return gaussianLogProbFromNoise(z as tf.Tensor2D, logStd);
}

/** Entropy of a diagonal Gaussian, summed over the last axis -> [B]. */
export function gaussianEntropy(logStd: tf.Tensor2D): tf.Tensor1D {
  const d = logStd.shape[1];
  return tf.add(tf.sum(logStd, 1), d * (0.5 + HALF_LOG_2PI)) as tf.Tensor1D;
}

/**
 * Reparameterised squashed-Gaussian sample: returns a = tanh(mu + std * noise) and log pi(a) [B].
 */
export function squashedSample(mu: tf.Tensor2D, logStd: tf.Tensor2D, noise: tf.Tensor2D): { action: tf.Tensor2D; logProb: tf.Tensor1D } {
  const u = tf.add(mu, tf.mul(tf.exp(logStd), noise));
  const action = tf.tanh(u) as tf.Tensor2D;
  const base = gaussianLogProbFromNoise(noise, logStd);
  const correction = tf.sum(tf.log(tf.add(tf.sub(1, tf.square(action)), FLOAT32_EPS)), 1);
  return { action, logProb: tf.sub(base, correction) as tf.Tensor1D };
}
