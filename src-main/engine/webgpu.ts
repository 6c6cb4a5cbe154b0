// The Node side of the webgpu backend: Dawn (the `webgpu` package) gives the adapter and device,
// which are handed to the core (src-core/nn/backend.ts never touches Dawn or navigator.gpu).
// Works the same in a forked Node worker and in Electron's utilityProcess (both are Node).
// No GPU driver -> no adapter -> a clear reason. A software adapter (SwiftShader, a fallback
// adapter) is described as such: 'auto' never picks it, only a request by name does.
// CI and development machines have no GPU: Debian's chromium ships SwiftShader's Vulkan driver;
// point VK_ICD_FILENAMES at /usr/lib/chromium/vk_swiftshader_icd.json (and set XDG_RUNTIME_DIR)
// with the Vulkan loader (libvulkan1) installed, as .ci/run does.
import type { AdapterDescription, WebgpuHandle } from '../../src-core/nn/backend.ts';

type Gpu = { requestAdapter(o?: { powerPreference?: string }): Promise<GpuAdapter | null> };
type GpuAdapter = {
  info?: { vendor?: string; architecture?: string; description?: string; device?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
  features: Set<string>;
  limits: Record<string, number>;
  requestDevice(d: unknown): Promise<GpuDevice>;
};
type GpuDevice = { lost: Promise<{ reason: string; message: string }>; destroy(): void };

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|software|warp|basic render/i;

let gpu: Gpu | null = null;

/** Dawn's GPU object, with the WebGPU constants (GPUBufferUsage, ...) that tfjs-backend-webgpu uses as globals. */
async function dawn(): Promise<Gpu> {
  if (gpu) return gpu;
  let mod: { create: (flags: string[]) => Gpu; globals: Record<string, unknown> };
  try {
    const name = 'webgpu'; // a variable specifier: bundlers leave the native module alone
    mod = (await import(name)) as typeof mod;
  } catch (err) {
    throw new Error(`the webgpu package (Dawn) could not be loaded: ${(err as Error).message.split('\n')[0]}`);
  }
  for (const [k, v] of Object.entries(mod.globals)) if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
  gpu = mod.create([]);
  // tfjs-backend-webgpu checks navigator.gpu before using a device it is given; navigator is read-only in Node 22
  if (!(globalThis.navigator as { gpu?: unknown } | undefined)?.gpu) Object.defineProperty(globalThis.navigator, 'gpu', { value: gpu, configurable: true });
  return gpu;
}

export function describeAdapter(a: Pick<GpuAdapter, 'info' | 'isFallbackAdapter'>): AdapterDescription {
  const i = a.info ?? {};
  const vendor = i.vendor ?? '';
  const architecture = i.architecture ?? '';
  const description = i.description || i.device || '';
  const software = Boolean(i.isFallbackAdapter ?? a.isFallbackAdapter) || SOFTWARE.test(`${vendor} ${architecture} ${description}`);
  return { vendor, architecture, description, software };
}

/** Why Dawn found no adapter, with what to check. */
export function noAdapterReason(): string {
  const icd = process.env.VK_ICD_FILENAMES;
  return `no WebGPU adapter: Dawn found no usable GPU driver (Vulkan on Linux, Metal on macOS, D3D12 on Windows)${icd ? `; VK_ICD_FILENAMES=${icd}` : ''}`;
}

/** Why a device was lost, once it is (null while it is fine). Read by the worker to fail a run clearly. */
let lostReason: string | null = null;
export function webgpuLostReason(): string | null {
  return lostReason;
}

/** Settles when the device created last reports its loss (never while it is fine). */
let lostSignal: Promise<void> | null = null;

/**
 * Why the device was lost, waiting up to `ms` for Dawn to say so: a read on a lost device can fail
 * before the device's `lost` promise has settled, and the run's record should name the loss.
 */
export async function webgpuLostReasonWithin(ms: number): Promise<string | null> {
  if (lostReason || !lostSignal) return lostReason;
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([lostSignal, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
  return lostReason;
}

/**
 * Create the device the webgpu backend runs on (the limits and features tfjs-backend-webgpu asks
 * for when it creates its own). `onLost` is told why if the device is lost later (driver reset,
 * GPU removed, destroy()).
 */
export async function createWebgpuDevice(onLost?: (reason: string) => void): Promise<WebgpuHandle> {
  const a = await (await dawn()).requestAdapter({ powerPreference: 'high-performance' });
  if (!a) throw new Error(noAdapterReason());
  const features = ['timestamp-query', 'bgra8unorm-storage'].filter((f) => a.features.has(f));
  const l = a.limits;
  const device = await a.requestDevice({
    requiredFeatures: features,
    requiredLimits: {
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    },
  });
  lostSignal = device.lost.then((info) => {
    lostReason = `WebGPU device lost (${info.reason || 'unknown'}): ${info.message || 'no message from the driver'}`;
    onLost?.(lostReason);
  });
  return { device, adapter: describeAdapter(a) };
}
