// Node side of backend selection: registers tfjs-node as the 'tensorflow' backend when it loads,
// points the wasm backend at its .wasm files in node_modules, creates the WebGPU device (Dawn,
// engine/webgpu.ts) when webgpu is asked for, and reports what was chosen and why faster backends
// were not. Used by the training worker, `lab train`, `lab doctor` and the benches.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { selectBackend, BACKEND_NAMES, type BackendHooks, type BackendInfo, type BackendName } from '../../src-core/nn/backend.ts';
import { createWebgpuDevice } from './webgpu.ts';
import { probeWebgpu } from './webgpu-probe.ts';
import { readSpeedFile, speedFilePath, webgpuAutoChoice, type RunShape } from './webgpu-speed.ts';

export type { BackendInfo, BackendName };
export const BACKEND_CHOICES: readonly (BackendName | 'auto')[] = ['auto', ...BACKEND_NAMES];

/** Why 'auto' does not pick webgpu where it is not choosing for one run (lab doctor, previews, benches). */
export const WEBGPU_NOT_AUTO = 'not picked by auto outside a run (auto picks it per run where a stored measurement shows it faster: docs/webgpu.md)';

/**
 * Whether auto tries webgpu first for a run of this shape (webgpu-speed.ts): only a hardware
 * adapter measured faster for it. Dawn is probed (in a child process) only where the stored
 * measurement has an entry saying so, so runs pay nothing without one.
 */
async function webgpuAuto(shape: RunShape | undefined): Promise<{ use: boolean; reason: string }> {
  if (!shape) return { use: false, reason: WEBGPU_NOT_AUTO };
  let file;
  try {
    file = readSpeedFile(speedFilePath());
  } catch (err) {
    return { use: false, reason: `not picked by auto: the stored measurement is unreadable (${(err as Error).message})` };
  }
  if (!file) return webgpuAutoChoice(null, null, shape);
  // the stored entry decides first (with the adapter it was measured on): Dawn is probed only where it says faster
  const asRecorded = webgpuAutoChoice(file, file.adapter, shape);
  if (!asRecorded.use) return asRecorded;
  return webgpuAutoChoice(file, (await probeWebgpu()).adapter, shape);
}

const require = createRequire(import.meta.url);

function appVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return 'unknown';
  }
}

async function loadTensorflow(): Promise<void> {
  try {
    require.resolve('@tensorflow/tfjs-node');
  } catch {
    throw new Error('@tensorflow/tfjs-node is not installed (its install downloads libtensorflow, which needs internet access)');
  }
  // A variable specifier keeps bundlers and the core purity check from following this import.
  const name = '@tensorflow/tfjs-node';
  await import(name);
}

let active: BackendInfo | null = null;

/**
 * Start a tensor backend for this process: 'auto' (tensorflow -> wasm -> cpu) or a named one
 * (which must work, else this throws saying why). Later calls return the first result.
 */
export async function initBackend(preferred: BackendName | 'auto' = 'auto', shape?: RunShape): Promise<BackendInfo> {
  if (active) {
    if (preferred !== 'auto' && preferred !== active.backend) {
      throw new Error(`backend '${active.backend}' is already active in this process; cannot switch to '${preferred}'`);
    }
    return active;
  }
  if (!BACKEND_CHOICES.includes(preferred)) {
    throw new Error(`unknown backend '${preferred}' (choose from ${BACKEND_CHOICES.join(', ')})`);
  }
  const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + path.sep;
  const hooks: BackendHooks = { loadTensorflow, wasmPaths: wasmDir, loadWebgpu: () => createWebgpuDevice() };
  if (preferred === 'auto') hooks.webgpuAuto = await webgpuAuto(shape);
  const info = await selectBackend(preferred, hooks);
  if (info.backend === 'webgpu' && preferred === 'auto') info.versions.webgpuAuto = hooks.webgpuAuto!.reason; // why auto picked it
  info.versions.node = process.versions.node;
  info.versions.app = appVersion();
  info.versions.cpus = String(availableParallelism());
  active = info;
  return info;
}

/** A backend requested for one run (or preview), what it got, and why it did not get what it asked for. */
export interface BackendChoice {
  requested: BackendName | 'auto';
  info: BackendInfo;
  /** Set when a named backend could not start and the automatic choice was used instead: why. */
  fallback: string | null;
}

/**
 * Start the requested backend; if a named one cannot start, fall back to the automatic choice
 * (tensorflow -> wasm -> cpu) and say why, so the caller records both (src-core/contract/README.md,
 * "Tensor backend of a run"). An unknown name is an error, not a fallback.
 */
export async function initRequestedBackend(requested: string | undefined, shape?: RunShape): Promise<BackendChoice> {
  const want = (requested ?? 'auto') as BackendName | 'auto';
  if (!BACKEND_CHOICES.includes(want)) throw new Error(`unknown backend '${requested}' (choose from ${BACKEND_CHOICES.join(', ')})`);
  if (want === 'auto') return { requested: want, info: await initBackend('auto', shape), fallback: null };
  try {
    return { requested: want, info: await initBackend(want), fallback: null };
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    const info = await initBackend('auto', shape);
    // the named backend's own reason (auto's note on webgpu says only that auto skips it)
    const own = (err as { unavailable?: Partial<Record<BackendName, string>> }).unavailable?.[want];
    return { requested: want, info, fallback: own ?? why };
  }
}
