// The status line's WebGPU probe (a child process per main process): the software adapter where
// SwiftShader is configured (as in CI), and a clear reason where no driver is found.
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useSoftwareAdapterIfNoDriverSet } from './webgpu-env.ts';

const saved = process.env.VK_ICD_FILENAMES;
afterEach(() => {
  if (saved === undefined) delete process.env.VK_ICD_FILENAMES;
  else process.env.VK_ICD_FILENAMES = saved;
  vi.resetModules();
});

async function freshProbe() {
  const { probeWebgpu } = await import('../../../src-main/engine/webgpu-probe.ts');
  return probeWebgpu();
}

describe('WebGPU probe for the status line and the Design form', () => {
  it('no Vulkan driver: no adapter, and why', async () => {
    process.env.VK_ICD_FILENAMES = '/nonexistent/no_icd.json';
    const p = await freshProbe();
    expect(p).toEqual({ adapter: null, reason: expect.stringMatching(/^no WebGPU adapter: Dawn found no usable GPU driver/) });
  });

  it.skipIf(!existsSync('/usr/lib/chromium/vk_swiftshader_icd.json'))('SwiftShader: named and marked software', async () => {
    delete process.env.VK_ICD_FILENAMES;
    useSoftwareAdapterIfNoDriverSet();
    const p = await freshProbe();
    expect(p).toEqual({ adapter: { vendor: 'google', architecture: 'swiftshader', description: expect.stringMatching(/^SwiftShader driver [\d.]+$/), software: true }, reason: '' });
    // remembered for the process: a second call does not probe again
    const { probeWebgpu } = await import('../../../src-main/engine/webgpu-probe.ts');
    expect(probeWebgpu()).toBe(probeWebgpu());
  });
});
