// Which WebGPU adapter a worker would find here (status line, Design form, `lab doctor`, and the
// reason a run asking for webgpu falls back), probed once per process in a short child process:
// main never loads Dawn itself, so a GPU driver that crashes on probing cannot take the app or
// `lab serve` down, and Dawn's own driver warnings (printed by native code) stay out of the
// caller's output. Electron's binary acts as Node for the child (ELECTRON_RUN_AS_NODE).
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { AdapterDescription } from '../../src-core/nn/backend.ts';
import { describeAdapter, noAdapterReason } from './webgpu.ts';

export interface WebgpuProbe {
  adapter: AdapterDescription | null;
  /** Why there is no adapter ('' when there is one). */
  reason: string;
}

/** 'vendor architecture (description)'. */
export function adapterName(a: AdapterDescription): string {
  return `${a.vendor} ${a.architecture}${a.description ? ` (${a.description})` : ''}`.trim();
}

const PROBE_MS = 15_000;

function childScript(webgpuUrl: string): string {
  return `const { create } = await import(${JSON.stringify(webgpuUrl)});
const a = await create([]).requestAdapter({ powerPreference: 'high-performance' });
const i = a ? a.info : null;
process.stdout.write(JSON.stringify(i ? { vendor: i.vendor, architecture: i.architecture, description: i.description, device: i.device, isFallbackAdapter: i.isFallbackAdapter } : null));
process.exit(0);`;
}

function probe(): Promise<WebgpuProbe> {
  let url: string;
  try {
    url = pathToFileURL(createRequire(import.meta.url).resolve('webgpu')).href;
  } catch {
    return Promise.resolve({ adapter: null, reason: 'the webgpu package (Dawn) is not installed' });
  }
  return new Promise((resolve) => {
    const env = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
    execFile(process.execPath, ['--input-type=module', '-e', childScript(url)], { env, timeout: PROBE_MS }, (err, stdout) => {
      if (err) return resolve({ adapter: null, reason: `the WebGPU probe failed: ${err.message.split('\n')[0]}` });
      try {
        const info = JSON.parse(stdout) as Record<string, string | boolean> | null;
        if (!info) return resolve({ adapter: null, reason: noAdapterReason() });
        resolve({ adapter: describeAdapter({ info: info as { vendor?: string; architecture?: string; description?: string; device?: string; isFallbackAdapter?: boolean } }), reason: '' });
      } catch {
        resolve({ adapter: null, reason: `the WebGPU probe answered something unreadable: ${stdout.slice(0, 80)}` });
      }
    });
  });
}

let cached: Promise<WebgpuProbe> | null = null;

/** The adapter, probed on the first call and remembered for this process. */
export function probeWebgpu(): Promise<WebgpuProbe> {
  cached ??= probe();
  return cached;
}
