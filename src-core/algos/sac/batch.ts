// A replay batch laid out on the host for the SAC family's hand-written update: concat(s, a) and
// the transposed, ones-augmented inputs [x 1]^T that the first layers' weight gradients multiply
// (built here in JavaScript, which is cheaper than transposing on the device), the per-row
// discount gamma (1 - terminated) (truncated transitions bootstrap) and the noise terms.
import * as tf from '@tensorflow/tfjs';
import { noiseLogDensity } from '../../nn/squashed_grad.ts';
import type { Batch } from '../common/types.ts';

/** [x 1]^T for row-major x [rows, cols] -> [1, cols + 1, rows] (Mlp.backward's inputT). */
export function transposeWithOnes(x: Float32Array, rows: number, cols: number): tf.Tensor3D {
  const out = new Float32Array((cols + 1) * rows);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = x[r * cols + c]!;
  out.fill(1, cols * rows);
  return tf.tensor3d(out, [1, cols + 1, rows]);
}

/** concat(a, b) along columns for row-major [rows, ca] and [rows, cb] (b may be null: zeros). */
export function concatColumns(a: Float32Array, ca: number, b: Float32Array | null, cb: number, rows: number): Float32Array {
  const w = ca + cb;
  const out = new Float32Array(rows * w);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < ca; c++) out[r * w + c] = a[r * ca + c]!;
    if (b) for (let c = 0; c < cb; c++) out[r * w + ca + c] = b[r * cb + c]!;
  }
  return out;
}

export interface HostBatch {
  obs: tf.Tensor2D;
  /** [obs 1]^T. */
  obsT: tf.Tensor3D;
  /** concat(obs, actions). */
  sa: tf.Tensor2D;
  /** [sa 1]^T. */
  saT: tf.Tensor3D;
  nextObs: tf.Tensor2D;
  /** concat(obs, 0) and concat(nextObs, 0) [B, obsDim + actDim], for withAction. */
  obsPad: tf.Tensor2D;
  nextObsPad: tf.Tensor2D;
  /** [B, 1]. */
  rewards: tf.Tensor2D;
  /** gamma (1 - terminated) [B, 1]. */
  discount: tf.Tensor2D;
}

export function hostBatch(b: Batch, obsDim: number, actDim: number, gamma: number): HostBatch {
  const B = b.size;
  const sa = concatColumns(b.obs, obsDim, b.actions, actDim, B);
  const discount = new Float32Array(B);
  for (let i = 0; i < B; i++) discount[i] = Math.fround(gamma) * (1 - b.terminated[i]!);
  return {
    obs: tf.tensor2d(b.obs, [B, obsDim]),
    obsT: transposeWithOnes(b.obs, B, obsDim),
    sa: tf.tensor2d(sa, [B, obsDim + actDim]),
    saT: transposeWithOnes(sa, B, obsDim + actDim),
    nextObs: tf.tensor2d(b.nextObs, [B, obsDim]),
    obsPad: tf.tensor2d(concatColumns(b.obs, obsDim, null, actDim, B), [B, obsDim + actDim]),
    nextObsPad: tf.tensor2d(concatColumns(b.nextObs, obsDim, null, actDim, B), [B, obsDim + actDim]),
    rewards: tf.tensor2d(b.rewards, [B, 1]),
    discount: tf.tensor2d(discount, [B, 1]),
  };
}

/** The noise of one squashed-Gaussian sample per row: eps [B, d] and its log-density part [B, 1]. */
export function noiseTensors(noise: Float32Array, rows: number, d: number): { noise: tf.Tensor2D; logNoise: tf.Tensor2D } {
  return { noise: tf.tensor2d(noise, [rows, d]), logNoise: tf.tensor2d(noiseLogDensity(noise, rows, d), [rows, 1]) };
}

/** Each row of row-major x [rows, cols] repeated n times (row b -> rows b * n .. b * n + n - 1), followed by `pad` zero columns. */
export function repeatRows(x: Float32Array, rows: number, cols: number, n: number, pad = 0): Float32Array {
  const w = cols + pad;
  const out = new Float32Array(rows * n * w);
  for (let r = 0; r < rows; r++) {
    const row = x.subarray(r * cols, r * cols + cols);
    for (let j = 0; j < n; j++) out.set(row, (r * n + j) * w);
  }
  return out;
}

/**
 * concat(s, a) on the device as sPad + pad(a) with sPad = concat(s, 0) from the host: tfjs-wasm
 * concatenates along columns in a JavaScript loop over rows, several times slower at 25,600 rows.
 */
export function withAction(sPad: tf.Tensor2D, a: tf.Tensor2D): tf.Tensor2D {
  const obsDim = sPad.shape[1] - a.shape[1];
  return tf.add(sPad, tf.pad(a, [[0, 0], [obsDim, 0]])) as tf.Tensor2D;
}

/** The replay batches of m seeds for one seed-batched update: per-seed inputs of the per-seed MLP passes, stacked columns for the rest. */
export interface SeedHostBatch {
  /** Per seed: obs [B, obsDim], nextObs, concat(obs, actions) and the transposed, ones-augmented inputs. */
  obs: tf.Tensor2D[];
  obsT: tf.Tensor3D[];
  sa: tf.Tensor2D[];
  saT: tf.Tensor3D[];
  nextObs: tf.Tensor2D[];
  /** Seeds stacked (seed j's rows at j * B): concat(obs, 0), concat(nextObs, 0) [mB, obsDim + actDim]. */
  obsPad: tf.Tensor2D;
  nextObsPad: tf.Tensor2D;
  /** [mB, 1]. */
  rewards: tf.Tensor2D;
  /** gamma (1 - terminated) [mB, 1]. */
  discount: tf.Tensor2D;
}

/** Concatenate several Float32Arrays (one per seed) into one. */
export function joinArrays(parts: Float32Array[]): Float32Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export function seedHostBatch(batches: Batch[], obsDim: number, actDim: number, gamma: number): SeedHostBatch {
  const B = batches[0]!.size;
  const m = batches.length;
  const w = obsDim + actDim;
  const g = Math.fround(gamma);
  const sa = batches.map((b) => concatColumns(b.obs, obsDim, b.actions, actDim, B));
  const discount = new Float32Array(m * B);
  batches.forEach((b, j) => {
    for (let i = 0; i < B; i++) discount[j * B + i] = g * (1 - b.terminated[i]!);
  });
  return {
    obs: batches.map((b) => tf.tensor2d(b.obs, [B, obsDim])),
    obsT: batches.map((b) => transposeWithOnes(b.obs, B, obsDim)),
    sa: sa.map((x) => tf.tensor2d(x, [B, w])),
    saT: sa.map((x) => transposeWithOnes(x, B, w)),
    nextObs: batches.map((b) => tf.tensor2d(b.nextObs, [B, obsDim])),
    obsPad: tf.tensor2d(joinArrays(batches.map((b) => concatColumns(b.obs, obsDim, null, actDim, B))), [m * B, w]),
    nextObsPad: tf.tensor2d(joinArrays(batches.map((b) => concatColumns(b.nextObs, obsDim, null, actDim, B))), [m * B, w]),
    rewards: tf.tensor2d(joinArrays(batches.map((b) => b.rewards)), [m * B, 1]),
    discount: tf.tensor2d(discount, [m * B, 1]),
  };
}

/** Per-seed [B, ...] tensors stacked along rows (no kernel for one seed). */
export function stack(parts: tf.Tensor2D[]): tf.Tensor2D {
  return parts.length === 1 ? parts[0]! : (tf.concat(parts, 0) as tf.Tensor2D);
}

/** A stacked [mB, ...] tensor split back into m per-seed parts (no kernel for one seed). */
export function unstack(x: tf.Tensor2D, m: number): tf.Tensor2D[] {
  return m === 1 ? [x] : (tf.split(x, m, 0) as tf.Tensor2D[]);
}

/** Per-row means of a stacked [mB, 1] column, one per seed -> [m]. */
export function seedMeans(x: tf.Tensor, m: number): tf.Tensor1D {
  return tf.mean(tf.reshape(x, [m, -1]), 1) as tf.Tensor1D;
}
