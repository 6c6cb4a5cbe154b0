// The issue's full webgpu checks, too slow for `npm test` on SwiftShader (seconds per update on 2
// loaded cores): 50 updates of SAC, SAC-auto, SAC-AdaEnt, TD3 and of a seed group on webgpu match
// wasm from the same checkpoint to 1e-4 of each tensor's scale, PPO's update too, and 1,000 webgpu
// updates leak no tensor. The Node suite runs the same comparisons over 2 updates
// (tests/main/engine/webgpu-updates.test.ts).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src-core/rng.ts';
import { createAgent } from '../../src-core/algos/index.ts';
import type { OffPolicyAgent } from '../../src-core/algos/common/types.ts';
import type { AlgoId } from '../../src-core/train/types.ts';
import { startWasmAndWebgpu, webgpuUnavailable } from '../main/engine/webgpu-env.ts';
import { ACT, OBS, filledBuffer, groupUpdatedStates, metricErrors, ppoStartState, ppoUpdatedState, relativeErrors, smallConfig, startState, updatedState } from '../main/engine/webgpu-parity.ts';

const why = await webgpuUnavailable();

describe.skipIf(why !== '')(`webgpu against wasm, full length${why ? ` (skipped: ${why})` : ''}`, () => {
  beforeAll(async () => {
    await startWasmAndWebgpu();
  });

  for (const algo of ['sac', 'sac-auto', 'sac-adaent', 'td3'] as AlgoId[]) {
    it(`${algo}: 50 updates from one checkpoint match to 1e-4 of each tensor's scale`, async () => {
      const start = await startState(algo);
      const wasm = await updatedState(algo, 'wasm', start, 50);
      const gpu = await updatedState(algo, 'webgpu', start, 50);
      for (const [k, e] of Object.entries(relativeErrors(wasm, gpu))) expect(e, k).toBeLessThan(1e-4);
      for (const [k, e] of Object.entries(metricErrors(wasm.metrics, gpu.metrics))) expect(e, k).toBeLessThan(1e-4);
    });
  }

  it('ppo: one update (2 epochs over a rollout of 2 envs x 4 steps) matches wasm', async () => {
    const start = await ppoStartState();
    const wasm = await ppoUpdatedState('wasm', start);
    const gpu = await ppoUpdatedState('webgpu', start);
    for (const [k, e] of Object.entries(relativeErrors(wasm, gpu))) expect(e, k).toBeLessThan(1e-4);
    for (const [k, e] of Object.entries(metricErrors(wasm.metrics, gpu.metrics))) expect(e, k).toBeLessThan(1e-4);
  });

  it('a seed group of two (SAC-AdaEnt): 50 updates match wasm for both seeds', async () => {
    const wasm = await groupUpdatedStates('sac-adaent', 'wasm', 50);
    const gpu = await groupUpdatedStates('sac-adaent', 'webgpu', 50);
    for (const k of [0, 1]) for (const [key, e] of Object.entries(relativeErrors(wasm[k]!, gpu[k]!))) expect(e, `seed ${k} ${key}`).toBeLessThan(1e-4);
  });

  it('no tensor leaks: live tensors after 1,000 webgpu updates (SAC-AdaEnt) equal those after 10', async () => {
    await tf.setBackend('webgpu');
    const agent = createAgent('sac-adaent', smallConfig('sac-adaent'), OBS, ACT, new Rng(8)) as OffPolicyAgent;
    const buf = filledBuffer(4);
    const rng = new Rng(9);
    const run = async (n: number) => {
      for (let i = 0; i < n; i++) await agent.update(buf.sample(rng), rng, false);
    };
    await run(10);
    const after10 = tf.memory().numTensors;
    await run(990);
    expect(tf.memory().numTensors).toBe(after10);
    agent.dispose();
  });
});
