// The squashed-Gaussian policy head with a hand-written backward pass (SAC family).
// From the actor output [mu | log sigma raw] and standard-normal noise eps (drawn on the host):
//   log sigma = clip(raw, lo, hi), u = mu + exp(log sigma) eps, a = tanh(u),
//   log pi = sum_k [-eps_k^2 / 2 - log sigma_k - log(2 pi) / 2 - log(1 - a_k^2 + eps32)]
// (spec/algorithms.md, SAC actor; eps32 = float32 machine epsilon). The eps-only part is a constant
// per row, computed on the host. `squashedBackward` returns dL/d(actor output) for
// L = sum_b [dLogPi * log pi_b] + sum_bk dA_bk a_bk, the form every SAC-family actor loss takes.
import * as tf from '@tensorflow/tfjs';
import { FLOAT32_EPS } from './distributions.ts';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** Per row: sum_k (-eps_k^2 / 2) - d log(2 pi) / 2, the part of log pi that depends on the noise only. */
export function noiseLogDensity(noise: Float32Array, rows: number, d: number): Float32Array {
  const out = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += noise[i * d + k]! * noise[i * d + k]!;
    out[i] = -0.5 * s - d * HALF_LOG_2PI;
  }
  return out;
}

export interface SquashedTrace {
  mu: tf.Tensor2D;
  /** exp(log sigma) [B, d]. */
  std: tf.Tensor2D;
  action: tf.Tensor2D;
  /** log pi(a) [B, 1]. */
  logProb: tf.Tensor2D;
  /** Clamped log sigma [B, d]. */
  logStd: tf.Tensor2D;
  rawLogStd: tf.Tensor2D;
  /** exp(log sigma) eps [B, d]. */
  stdNoise: tf.Tensor2D;
  /** a^2 [B, d]. */
  actionSq: tf.Tensor2D;
  /** 1 - a^2 + eps32 [B, d]. */
  oneMinusA2: tf.Tensor2D;
}

/** Sample a = tanh(mu + sigma eps) and log pi(a) from the actor output [B, 2d]; `logNoise` [B, 1] from noiseLogDensity. */
export function squashedForward(out: tf.Tensor2D, noise: tf.Tensor2D, logNoise: tf.Tensor2D, lo: number, hi: number): SquashedTrace {
  const [mu, rawLogStd] = tf.split(out, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
  const logStd = tf.clipByValue(rawLogStd, lo, hi) as tf.Tensor2D;
  const std = tf.exp(logStd) as tf.Tensor2D;
  const stdNoise = tf.mul(std, noise) as tf.Tensor2D;
  const action = tf.tanh(tf.add(mu, stdNoise)) as tf.Tensor2D;
  const actionSq = tf.square(action) as tf.Tensor2D;
  const oneMinusA2 = tf.sub(1 + FLOAT32_EPS, actionSq) as tf.Tensor2D;
  const logProb = tf.sub(logNoise, tf.sum(tf.add(logStd, tf.log(oneMinusA2)), 1, true)) as tf.Tensor2D;
  return { mu, std, action, logProb, logStd, rawLogStd, stdNoise, actionSq, oneMinusA2 };
}

/**
 * dL/d(actor output) [B, 2d] given dL/da `dA` [B, d] and dL/d(log pi) `dLogProb` (a scalar or [B, 1]).
 * tfjs conventions at the edges: clip passes the gradient where lo <= raw <= hi, tanh' = 1 - a^2.
 */
export function squashedBackward(t: SquashedTrace, dA: tf.Tensor2D, dLogProb: tf.Tensor): tf.Tensor2D {
  // d log pi / da_k = 2 a_k / (1 - a_k^2 + eps32); d log pi / d log sigma_k = -1 (direct term)
  const dAct = tf.add(dA, tf.mul(tf.div(t.action, t.oneMinusA2), tf.mul(dLogProb, 2)));
  const du = tf.mul(dAct, tf.sub(1, t.actionSq));
  const dLogStd = tf.sub(tf.mul(du, t.stdNoise), dLogProb);
  const inRange = tf.cast(tf.equal(t.rawLogStd, t.logStd), 'float32');
  return tf.concat([du, tf.mul(dLogStd, inRange)], 1) as tf.Tensor2D;
}
