// When auto trains a run on webgpu (src-main/engine/webgpu-speed.ts): a hardware adapter, the one
// measured, with a stored entry for the run's algorithm and sizes at a seed batch not above its K
// that says webgpu is faster. Every other case keeps the CPU backend and says why. A malformed
// measurement file is refused with what is wrong.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SPEED_FORMAT, readSpeedFile, speedFilePath, webgpuAutoChoice, type SpeedFile } from '../../../src-main/engine/webgpu-speed.ts';

const gpu = { vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200', software: false };
const file: SpeedFile = {
  format: SPEED_FORMAT,
  version: 1,
  adapter: gpu,
  measuredAt: '2026-12-04T22:00:00Z',
  entries: [
    { algo: 'sac', hidden: [256, 256], K: 1, webgpuMs: 9, cpuBackend: 'wasm', cpuMs: 6 },
    { algo: 'sac', hidden: [256, 256], K: 8, webgpuMs: 2, cpuBackend: 'wasm', cpuMs: 5 },
    { algo: 'sac', hidden: [64, 64], K: 8, webgpuMs: 3, cpuBackend: 'wasm', cpuMs: 1 },
  ],
};
const sac256 = (K: number) => ({ algo: 'sac', hidden: [256, 256], K });

describe('auto and webgpu', () => {
  it('picks webgpu only where the measured entry (largest K not above the run) is faster on this hardware adapter', () => {
    expect(webgpuAutoChoice(file, gpu, sac256(8))).toMatchObject({ use: true, reason: expect.stringMatching(/^picked by auto: measured faster here \(sac 256x256, K = 8: webgpu 2\.00 ms, wasm 5\.00 ms/) });
    expect(webgpuAutoChoice(file, gpu, sac256(32)).use).toBe(true); // K = 8 is the largest measured below 32
    expect(webgpuAutoChoice(file, gpu, sac256(5)).reason).toMatch(/measured slower here \(sac 256x256, K = 1:/);
    expect(webgpuAutoChoice(file, gpu, { algo: 'sac', hidden: [64, 64], K: 8 }).reason).toMatch(/measured slower here \(sac 64x64, K = 8/);
    expect(webgpuAutoChoice(file, gpu, { algo: 'sac', hidden: [64, 64], K: 4 }).reason).toMatch(/no stored measurement for sac 64x64 at K <= 4/);
    expect(webgpuAutoChoice(file, gpu, { algo: 'td3', hidden: [256, 256], K: 8 }).reason).toMatch(/no stored measurement for td3 256x256/);
  });

  it('never for a software adapter, another adapter, no adapter or no measurement', () => {
    expect(webgpuAutoChoice(file, { ...gpu, software: true }, sac256(8)).reason).toMatch(/is a software adapter \(used only when asked for by name\)/);
    expect(webgpuAutoChoice(file, { ...gpu, description: 'NVIDIA A100' }, sac256(8)).reason).toMatch(/the stored measurement is of nvidia hopper \(NVIDIA H200\), not of nvidia hopper \(NVIDIA A100\)/);
    expect(webgpuAutoChoice(file, null, sac256(8)).reason).toMatch(/no WebGPU adapter here/);
    expect(webgpuAutoChoice(null, gpu, sac256(8)).reason).toMatch(/no stored measurement of webgpu here \(npm run bench -- webgpu --record\)/);
    for (const c of [webgpuAutoChoice(file, { ...gpu, software: true }, sac256(8)), webgpuAutoChoice(null, gpu, sac256(8))]) expect(c.use).toBe(false);
  });

  const dir = join(tmpdir(), `webgpu-speed-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the stored file; a missing one is null, a malformed one an error naming what is wrong', () => {
    const path = join(dir, 'speed.json');
    expect(readSpeedFile(path)).toBeNull();
    writeFileSync(path, JSON.stringify(file));
    expect(readSpeedFile(path)).toEqual(file);
    writeFileSync(path, '{ not json');
    expect(() => readSpeedFile(path)).toThrow(/speed\.json: not JSON/);
    writeFileSync(path, JSON.stringify({ ...file, version: 2 }));
    expect(() => readSpeedFile(path)).toThrow(/not a maxent-lab-webgpu-speed file of version 1/);
    writeFileSync(path, JSON.stringify({ ...file, entries: [{ ...file.entries[0], cpuMs: 'fast' }] }));
    expect(() => readSpeedFile(path)).toThrow(/entries\[0\] must have algo, hidden, K, webgpuMs, cpuBackend and cpuMs/);
    expect(speedFilePath({ LAB_WEBGPU_SPEED: path })).toBe(path);
    expect(speedFilePath({ XDG_DATA_HOME: '/data' })).toBe('/data/maxent-lab/webgpu-speed.json');
  });
});
