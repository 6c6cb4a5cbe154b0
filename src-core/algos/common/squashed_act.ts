// Acting with a squashed-Gaussian policy on the host side: one actor forward pass per seed and one
// (awaited) data read, then sampling in JavaScript from each run's seeded generator (noise never comes from tfjs).
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../rng.ts';
import { FLOAT32_EPS } from '../../nn/distributions.ts';
import { tidyRead } from '../../nn/read.ts';
import type { SquashedGaussianActor } from '../sac/networks.ts';
import type { ActMode, ActResult } from './types.ts';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** log pi(tanh(u)) for u = mu + std * z, with the tanh correction. */
function squashedLogProb(z: number[], logStd: ArrayLike<number>, off: number, a: number[]): number {
  let lp = 0;
  for (let k = 0; k < a.length; k++) {
    lp += -0.5 * z[k]! * z[k]! - logStd[off + k]! - HALF_LOG_2PI;
    lp -= Math.log(1 - a[k]! * a[k]! + FLOAT32_EPS);
  }
  return lp;
}

/**
 * Per seed k, actions for n observations obs[k] with seed k's actor weights weights[k], noise from
 * rngs[k] (null: seed k does not act). One forward pass per seed, one data read for all.
 */
export async function actSquashedSeeds(actor: SquashedGaussianActor, weights: (k: number) => tf.Tensor[], obs: readonly (Float32Array | null)[], n: number, mode: ActMode, rngs: readonly (Rng | null)[]): Promise<(ActResult | null)[]> {
  const d = actor.actDim;
  const seeds = obs.map((o, k) => (o && rngs[k] ? k : -1)).filter((k) => k >= 0);
  if (seeds.length === 0) return obs.map(() => null);
  const [mu, logStd] = await tidyRead(() => {
    const outs = seeds.map((k) => actor.net.forward(weights(k), tf.tensor2d(obs[k]!, [n, obs[k]!.length / n])));
    const out = actor.forward(outs.length === 1 ? outs[0]! : (tf.concat(outs, 0) as tf.Tensor2D), [], true);
    return [out.mu, out.logStd];
  });
  const results: (ActResult | null)[] = obs.map(() => null);
  seeds.forEach((k, j) => {
    results[k] = sampleSquashed(mu!.subarray(j * n * d, (j + 1) * n * d), logStd!.subarray(j * n * d, (j + 1) * n * d), n, d, mode, rngs[k]!);
  });
  return results;
}

/** Sampling on the host from n rows of mu and clamped log sigma (n x d each). */
function sampleSquashed(mu: ArrayLike<number>, logStd: ArrayLike<number>, n: number, d: number, mode: ActMode, rng: Rng): ActResult {
  const actions = new Float32Array(n * d);
  const logProbs = new Float32Array(n);
  const entropies = new Float32Array(n);
  const z = new Array<number>(d);
  const a = new Array<number>(d);
  for (let i = 0; i < n; i++) {
    const off = i * d;
    for (let k = 0; k < d; k++) {
      z[k] = rng.normal();
      a[k] = Math.tanh(mu[off + k]! + Math.exp(logStd[off + k]!) * z[k]!);
    }
    const sampledLogProb = squashedLogProb(z, logStd, off, a);
    entropies[i] = -sampledLogProb; // one-sample estimate of the policy's entropy at this state
    if (mode === 'deterministic') {
      for (let k = 0; k < d; k++) {
        z[k] = 0;
        a[k] = Math.tanh(mu[off + k]!);
      }
      logProbs[i] = squashedLogProb(z, logStd, off, a);
    } else {
      logProbs[i] = sampledLogProb;
    }
    for (let k = 0; k < d; k++) actions[off + k] = a[k]!;
  }
  return { actions, logProbs, entropies };
}

/** n x d standard normal deviates from the seeded generator, as float32. */
export function normals(rng: Rng, count: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = rng.normal();
  return out;
}
