// PPO losses and advantages (spec/algorithms.md, "PPO"; Tianshou 0.5.0 PPOPolicy.learn).
import * as tf from '@tensorflow/tfjs';

/** Clipped surrogate: -mean(min(ratio A, clip(ratio, 1 - eps, 1 + eps) A)). */
export function clippedSurrogate(ratio: tf.Tensor1D, adv: tf.Tensor1D, eps: number): tf.Scalar {
  const s1 = tf.mul(ratio, adv);
  const s2 = tf.mul(tf.clipByValue(ratio, 1 - eps, 1 + eps), adv);
  return tf.neg(tf.mean(tf.minimum(s1, s2))) as tf.Scalar;
}

/**
 * GAE (Schulman et al. 2016) over a [T, N] rollout stored row-major (index t * N + i):
 * delta = r + gamma V(s') (1 - terminated) - V(s); A = delta + gamma lambda (1 - done) A_next.
 * Truncated steps (done, not terminated) bootstrap from V of their final observation.
 */
export function gae(args: {
  rewards: Float32Array; values: Float32Array; nextValues: Float32Array; terminated: Float32Array; done: Float32Array;
  T: number; N: number; gamma: number; lambda: number;
}): { advantages: Float32Array; returns: Float32Array } {
  const { rewards, values, nextValues, terminated, done, T, N, gamma, lambda } = args;
  const advantages = new Float32Array(T * N);
  const returns = new Float32Array(T * N);
  for (let i = 0; i < N; i++) {
    let next = 0;
    for (let t = T - 1; t >= 0; t--) {
      const k = t * N + i;
      const delta = rewards[k]! + gamma * nextValues[k]! * (1 - terminated[k]!) - values[k]!;
      next = delta + gamma * lambda * (1 - done[k]!) * next;
      advantages[k] = next;
      returns[k] = next + values[k]!;
    }
  }
  return { advantages, returns };
}
