// Tensor backend selection for the engine: tensorflow (tfjs-node) -> wasm -> cpu, overridable.
// The core stays pure: it knows tfjs and the wasm backend; a host (src-main/engine/backend.ts in
// Node, the renderer in a browser) registers a loader for tfjs-node and tells where the wasm files are.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { installFastMatMulGradient } from './fast_matmul_grad.ts';
import { installFastWasmSlice } from './wasm_slice.ts';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_ORDER: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

export interface BackendInfo {
  /** The backend in use. */
  backend: BackendName;
  /** For each faster backend that was not used: why. */
  unavailable: Partial<Record<BackendName, string>>;
  /** Versions: tfjs and whatever the host adds (node, app, ...). */
  versions: Record<string, string>;
  /** wasm only: SIMD in use and the XNNPACK thread count. */
  wasm?: { simd: boolean; threads: number };
}

export interface BackendHooks {
  /** Registers the 'tensorflow' backend (imports tfjs-node); throws with the reason when it cannot. */
  loadTensorflow?: () => Promise<void>;
  /** Folder (with trailing slash) or URL prefix holding tfjs-backend-wasm's .wasm files. */
  wasmPaths?: string;
  /**
   * XNNPACK threads for wasm (only used where the runtime supports wasm threads). Not in Node:
   * tfjs reports no thread support there (tensorflow/tfjs#3830), and forcing the threaded-simd
   * build fails because Emscripten starts its pthread workers from a blob: URL, which Node's
   * worker_threads reject (ERR_WORKER_PATH; checked with tfjs 4.22, Node 22).
   */
  wasmThreads?: number;
}

async function tryBackend(name: BackendName, hooks: BackendHooks): Promise<void> {
  if (name === 'tensorflow') {
    if (!hooks.loadTensorflow) throw new Error('no tfjs-node loader in this host');
    await hooks.loadTensorflow();
  }
  if (name === 'wasm') {
    if (hooks.wasmPaths) setWasmPaths(hooks.wasmPaths);
    if (hooks.wasmThreads) setThreadsCount(hooks.wasmThreads);
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
}

/**
 * Select a backend: `preferred` 'auto' tries tensorflow, wasm, cpu in order; a named backend is
 * used or the call throws saying why. Installs the fast matmul gradient on wasm and cpu, and the
 * faster Slice / SplitV kernels on wasm (wasm_slice.ts).
 */
export async function selectBackend(preferred: BackendName | 'auto', hooks: BackendHooks = {}): Promise<BackendInfo> {
  const order = preferred === 'auto' ? BACKEND_ORDER : [preferred];
  const unavailable: Partial<Record<BackendName, string>> = {};
  for (const name of order) {
    try {
      await tryBackend(name, hooks);
      if (name !== 'tensorflow') installFastMatMulGradient();
      if (name === 'wasm') installFastWasmSlice();
      tf.env().set('IS_TEST', false);
      const info: BackendInfo = { backend: name, unavailable, versions: { tfjs: tf.version.tfjs } };
      if (name === 'wasm') {
        const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
        const threads = (tf.backend() as unknown as { wasm?: { tfjs?: { getThreadsCount?: () => number } } }).wasm?.tfjs?.getThreadsCount?.() ?? 1;
        info.wasm = { simd, threads };
      }
      return info;
    } catch (err) {
      unavailable[name] = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    }
  }
  const why = Object.entries(unavailable).map(([k, v]) => `${k}: ${v}`).join('; ');
  throw new Error(`no tensor backend could be started (${why})`);
}

/** The backend currently active in tfjs. */
export function currentBackend(): string {
  return tf.getBackend();
}
