// Tensor backend selection for the engine: [webgpu where the host says it is measured faster] ->
// tensorflow (tfjs-node) -> wasm -> cpu, overridable by name.
// The core stays pure: it knows tfjs, the wasm and the webgpu backends; a host (src-main/engine/ in
// Node, the renderer in a browser) registers a loader for tfjs-node, tells where the wasm files are
// and hands in a WebGPU device it created (this file never touches navigator.gpu or Dawn).
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { installFastMatMulGradient } from './fast_matmul_grad.ts';
import { installFastWasmSlice } from './wasm_slice.ts';
import { kernelFallbacks } from './kernel_paths.ts';

export type BackendName = 'webgpu' | 'tensorflow' | 'wasm' | 'cpu';
/** Every backend by name, fastest kind first. */
export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'tensorflow', 'wasm', 'cpu'];
/** The automatic order without a GPU: webgpu is put first only when the host's `webgpuAuto` says so. */
export const BACKEND_ORDER: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

/** The adapter behind a webgpu backend, as recorded with a run (versions.adapter*). */
export interface AdapterDescription {
  vendor: string;
  architecture: string;
  /** The adapter's own name where the driver gives one ('' otherwise). */
  description: string;
  /** True for a CPU implementation of the GPU API (SwiftShader, a fallback adapter). */
  software: boolean;
}

/** A WebGPU device created by the host, with what it knows of its adapter. */
export interface WebgpuHandle {
  /** A GPUDevice (typed loosely: the core does not depend on the WebGPU type declarations). */
  device: unknown;
  adapter: AdapterDescription;
}

export interface BackendInfo {
  /** The backend in use. */
  backend: BackendName;
  /** For each faster backend that was not used: why. */
  unavailable: Partial<Record<BackendName, string>>;
  /** Versions: tfjs and whatever the host adds (node, app, ...). */
  versions: Record<string, string>;
  /** wasm only: SIMD in use and the XNNPACK thread count. */
  wasm?: { simd: boolean; threads: number };
  /** webgpu only: the adapter. */
  adapter?: AdapterDescription;
  /** Fused kernels or host paths this backend cannot use, each replaced by the generic path (said once in a run's log). */
  fallbacks: string[];
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
  /** Creates the WebGPU device (host side: Dawn in Node, navigator.gpu in a browser); throws saying why not. */
  loadWebgpu?: () => Promise<WebgpuHandle>;
  /** For 'auto': whether to try webgpu first, and why (not). Absent: never tried by 'auto'. */
  webgpuAuto?: { use: boolean; reason: string };
}

let webgpuAdapter: AdapterDescription | null = null;

async function startWebgpu(hooks: BackendHooks): Promise<void> {
  if (!hooks.loadWebgpu) throw new Error('no WebGPU device loader in this host');
  const handle = await hooks.loadWebgpu();
  // imported here, not at the top: the renderer and wasm-only processes never load it
  const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
  // the package registers its own factory (one that makes its own device) when navigator.gpu exists
  if ('webgpu' in (tf.engine() as unknown as { registryFactory: object }).registryFactory) tf.removeBackend('webgpu');
  const backend = new WebGPUBackend(handle.device as never, handle.adapter as never); // here, so its error is not swallowed
  tf.registerBackend('webgpu', () => backend);
  webgpuAdapter = handle.adapter;
}

async function tryBackend(name: BackendName, hooks: BackendHooks): Promise<void> {
  if (name === 'tensorflow') {
    if (!hooks.loadTensorflow) throw new Error('no tfjs-node loader in this host');
    await hooks.loadTensorflow();
  }
  if (name === 'webgpu') await startWebgpu(hooks);
  if (name === 'wasm') {
    if (hooks.wasmPaths) setWasmPaths(hooks.wasmPaths);
    if (hooks.wasmThreads) setThreadsCount(hooks.wasmThreads);
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
}

/**
 * Select a backend: `preferred` 'auto' tries tensorflow, wasm, cpu in order (webgpu first only where
 * `hooks.webgpuAuto.use`); a named backend is used or the call throws saying why. Installs the fast
 * matmul gradient on wasm, cpu and webgpu, and the faster Slice / SplitV kernels on wasm (wasm_slice.ts).
 */
export async function selectBackend(preferred: BackendName | 'auto', hooks: BackendHooks = {}): Promise<BackendInfo> {
  const unavailable: Partial<Record<BackendName, string>> = {};
  let order: readonly BackendName[] = [preferred as BackendName];
  if (preferred === 'auto') {
    order = hooks.webgpuAuto?.use ? ['webgpu', ...BACKEND_ORDER] : BACKEND_ORDER;
    if (hooks.webgpuAuto && !hooks.webgpuAuto.use) unavailable.webgpu = hooks.webgpuAuto.reason;
  }
  for (const name of order) {
    try {
      await tryBackend(name, hooks);
      if (name !== 'tensorflow') installFastMatMulGradient();
      if (name === 'wasm') installFastWasmSlice();
      tf.env().set('IS_TEST', false);
      const info: BackendInfo = { backend: name, unavailable, versions: { tfjs: tf.version.tfjs }, fallbacks: kernelFallbacks(name) };
      if (name === 'webgpu' && webgpuAdapter) {
        info.adapter = { ...webgpuAdapter };
        info.versions.adapterVendor = webgpuAdapter.vendor;
        info.versions.adapterArchitecture = webgpuAdapter.architecture;
        if (webgpuAdapter.description) info.versions.adapterDescription = webgpuAdapter.description;
        info.versions.adapterSoftware = String(webgpuAdapter.software);
      }
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
  // `unavailable` keeps each backend's own reason for callers that report one (initRequestedBackend)
  throw Object.assign(new Error(`no tensor backend could be started (${why})`), { unavailable });
}

/** The backend currently active in tfjs. */
export function currentBackend(): string {
  return tf.getBackend();
}
