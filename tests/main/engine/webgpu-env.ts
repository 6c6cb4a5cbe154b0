// Test support: both the wasm and the webgpu backend in one process, webgpu on a software adapter
// where the machine has no GPU (SwiftShader's Vulkan driver from Debian's chromium, as .ci/run sets
// it up). Where LAB_EXPECT_WEBGPU=1 (CI) a missing adapter fails the tests instead of skipping them.
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type WebgpuHandle } from '../../../src-core/nn/backend.ts';
import { createWebgpuDevice } from '../../../src-main/engine/webgpu.ts';
import { probeWebgpu } from '../../../src-main/engine/webgpu-probe.ts';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Point Vulkan at SwiftShader when nothing else is configured (before Dawn loads). */
export function useSoftwareAdapterIfNoDriverSet(): void {
  if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  if (!process.env.XDG_RUNTIME_DIR) {
    const dir = path.join('/tmp', `xdg-runtime-${process.getuid?.() ?? 0}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    process.env.XDG_RUNTIME_DIR = dir;
  }
}

/** Why the webgpu tests cannot run here ('' when they can); throws where CI expects an adapter. */
export async function webgpuUnavailable(): Promise<string> {
  useSoftwareAdapterIfNoDriverSet();
  const { adapter, reason } = await probeWebgpu();
  if (adapter) return '';
  if (process.env.LAB_EXPECT_WEBGPU === '1') throw new Error(`LAB_EXPECT_WEBGPU=1 but ${reason}`);
  return reason;
}

let handle: WebgpuHandle | null = null;

/** The device the webgpu backend started by startWasmAndWebgpu runs on. */
export function gpuHandle(): WebgpuHandle {
  if (!handle) throw new Error('webgpu not started');
  return handle;
}

/** Start wasm and webgpu in this process (webgpu left active); switch with tf.setBackend. */
export async function startWasmAndWebgpu(): Promise<void> {
  const require = createRequire(import.meta.url);
  const wasmPaths = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + path.sep;
  await selectBackend('wasm', { wasmPaths });
  await selectBackend('webgpu', { loadWebgpu: async () => (handle = await createWebgpuDevice()) });
  if (tf.getBackend() !== 'webgpu') throw new Error('webgpu did not start');
}
