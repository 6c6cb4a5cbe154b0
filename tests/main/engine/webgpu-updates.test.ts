// The webgpu backend (Dawn; SwiftShader where there is no GPU, as in CI) against wasm: the
// SAC-family and TD3 hand-written updates give the same parameters (5 updates here, 50 in the
// learning suite: tests/learning/webgpu.test.ts), checkpoints move between the backends, the
// host fast paths are replaced on webgpu, and a lost device gives a clear error.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../src-core/rng.ts';
import { createAgent } from '../../../src-core/algos/index.ts';
import type { OffPolicyAgent } from '../../../src-core/algos/common/types.ts';
import { HostAdam, adamFor } from '../../../src-core/nn/host_adam.ts';
import { kernelFallbacks, prefetchVariables } from '../../../src-core/nn/kernel_paths.ts';
import type { AlgoId } from '../../../src-core/train/types.ts';
import { gpuHandle, startWasmAndWebgpu, webgpuUnavailable } from './webgpu-env.ts';
import { webgpuLostReason } from '../../../src-main/engine/webgpu.ts';
import { ACT, OBS, relativeErrors, smallConfig, startState, updatedState } from './webgpu-parity.ts';

const why = await webgpuUnavailable();

describe.skipIf(why !== '')(`webgpu against wasm${why ? ` (skipped: ${why})` : ''}`, () => {
  beforeAll(async () => {
    await startWasmAndWebgpu();
  });

  for (const algo of ['sac', 'sac-auto', 'sac-adaent', 'td3'] as AlgoId[]) {
    it(`${algo}: 5 updates from one checkpoint match to 1e-4 of each tensor's scale`, async () => {
      const start = await startState(algo);
      const wasm = await updatedState(algo, 'wasm', start, 5);
      const gpu = await updatedState(algo, 'webgpu', start, 5);
      const errs = relativeErrors(wasm, gpu);
      expect(Object.keys(errs).length).toBeGreaterThan(3);
      for (const [k, e] of Object.entries(errs)) expect(e, k).toBeLessThan(1e-4);
      // the updates moved the weights: the comparison is not of two untouched copies
      expect(relativeErrors(start, wasm)['actor']).toBeGreaterThan(1e-4);
    }, 600_000);
  }

  it('a checkpoint made on webgpu loads on wasm and back, value for value', async () => {
    await tf.setBackend('webgpu');
    const a = createAgent('sac', smallConfig('sac'), OBS, ACT, new Rng(5)) as OffPolicyAgent;
    await prefetchVariables();
    const onGpu = a.saveState();
    await tf.setBackend('wasm');
    const b = createAgent('sac', smallConfig('sac'), OBS, ACT, new Rng(6)) as OffPolicyAgent;
    b.loadState(onGpu);
    const onWasm = b.saveState();
    for (const [k, e] of Object.entries(relativeErrors(onGpu, onWasm))) expect(e, k).toBe(0);
    await tf.setBackend('webgpu');
    const c = createAgent('sac', smallConfig('sac'), OBS, ACT, new Rng(7)) as OffPolicyAgent;
    c.loadState(onWasm);
    await prefetchVariables();
    for (const [k, e] of Object.entries(relativeErrors(onWasm, c.saveState()))) expect(e, k).toBe(0);
    a.dispose();
    c.dispose();
    await tf.setBackend('wasm');
    b.dispose();
  }, 600_000);

  it('host fast paths are replaced on webgpu and kept on wasm', async () => {
    await tf.setBackend('webgpu');
    const v = tf.variable(tf.zeros([10]));
    expect(adamFor(v, { lr: 1e-3 })).not.toBeInstanceOf(HostAdam);
    v.dispose();
    expect(kernelFallbacks('webgpu').join('\n')).toMatch(/host Adam.*\n.*one host read.*\n.*wasm Slice/);
    await tf.setBackend('wasm');
    const w = tf.variable(tf.zeros([10]));
    expect(adamFor(w, { lr: 1e-3 })).toBeInstanceOf(HostAdam);
    w.dispose();
    expect(kernelFallbacks('wasm')).toEqual([]);
  });

  it('no tensor leaks: live tensors after 7 webgpu updates equal those after 2 (1,000 in the learning suite)', async () => {
    await tf.setBackend('webgpu');
    const agent = createAgent('sac-adaent', smallConfig('sac-adaent'), OBS, ACT, new Rng(8)) as OffPolicyAgent;
    const { filledBuffer } = await import('./webgpu-parity.ts');
    const buf = filledBuffer(4);
    const rng = new Rng(9);
    const run = (n: number) => {
      for (let i = 0; i < n; i++) agent.update(buf.sample(rng), rng, false);
    };
    run(2);
    const after2 = tf.memory().numTensors;
    run(5);
    expect(tf.memory().numTensors).toBe(after2);
    agent.dispose();
  }, 600_000);

  // last: it destroys the device the webgpu backend of this file runs on
  it('a lost device: the next read fails instead of returning stale values, and the reason is kept', async () => {
    await tf.setBackend('webgpu');
    const handle = gpuHandle();
    const x = tf.variable(tf.randomNormal([64, 64], 0, 1, 'float32', 1));
    const y = tf.matMul(x, x); // on the device: too large for tfjs-webgpu's CPU forwarding
    (handle.device as { destroy(): void }).destroy();
    await expect(y.data()).rejects.toThrow();
    await expect.poll(() => webgpuLostReason(), { timeout: 120_000, interval: 100 }).toMatch(/^WebGPU device lost \(destroyed\): /);
  }, 180_000);
});
