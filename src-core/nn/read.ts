// Reading tensors back to the host in the training loop. Always awaited (`data()`): tfjs-backend-webgpu
// cannot read synchronously in Node (its readSync needs a browser's OffscreenCanvas), and on cpu and
// wasm an awaited read costs one microtask more than dataSync.
import * as tf from '@tensorflow/tfjs';

/** The tensors `fn` returns (computed in a tidy), read to the host and disposed. */
export async function tidyRead(fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  const ts = tf.tidy(fn);
  try {
    return (await Promise.all(ts.map((t) => t.data()))) as Float32Array[];
  } finally {
    ts.forEach((t) => t.dispose());
  }
}

/** `t` (or nothing) read to the host and disposed. */
export async function readAndDispose(t: tf.Tensor | null): Promise<Float32Array | null> {
  if (!t) return null;
  try {
    return (await t.data()) as Float32Array;
  } finally {
    t.dispose();
  }
}

/** tf.tidy for a step that returns a tensor to read later, or null (nothing to read). */
export function tidyOrNull<T extends tf.Tensor>(fn: () => T | null): T | null {
  return (tf.tidy(() => fn() ?? undefined) as T | undefined) ?? null;
}
