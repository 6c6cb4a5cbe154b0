// Which of the engine's fast paths the active backend can take. They were built for tfjs-wasm:
// reading values to the host there is a memory copy, on a GPU it is a transfer that stalls the
// queue, and in Node it cannot even be done synchronously (tfjs-backend-webgpu's dataSync needs a
// browser's OffscreenCanvas). So on webgpu each host path is replaced by the generic tensor path
// (same arithmetic: the host Adam is bit-identical to the tensor Adam, unpacking by split gives
// the same values; the seed-batched agents keep their parameters on the device), and the wasm-only
// kernels are not installed. `kernelFallbacks` lists what was replaced, for the run's log (said once).
import * as tf from '@tensorflow/tfjs';

/** True where the fast paths that read tensors back to the host (host Adam, one-read unpack) pay off. */
export function hostReadsAllowed(): boolean {
  return tf.getBackend() !== 'webgpu';
}

/** The fast paths `backend` cannot take, each with the generic path used instead. */
export function kernelFallbacks(backend: string): string[] {
  if (backend !== 'webgpu') return [];
  return [
    'host Adam (nn/host_adam.ts) -> tensor Adam (nn/adam.ts): no readback per update',
    'parameters unpacked by one host read (FlatParams.values) -> tf.split on the device',
    "wasm Slice/SplitV kernels (nn/wasm_slice.ts) -> the webgpu backend's own (they are wasm only)",
    'seed-batched weights, Adam and temperature on the host (nn/seed_params.ts) -> kept on the device (nn/device_seed_params.ts)',
  ];
}

/**
 * Read every variable (weights, optimiser moments) to the host and keep the values with it, so a
 * following synchronous read (saveState, for a checkpoint) finds them there: on webgpu in Node a
 * synchronous read is impossible, an awaited one works. A no-op cost elsewhere (one copy each).
 */
export async function prefetchVariables(): Promise<void> {
  const vars = Object.values(tf.engine().state.registeredVariables);
  await Promise.all(vars.map((v) => v.data()));
}
