// Shared by the webgpu tests (Node suite: a few updates; learning suite: the 50 and 1,000):
// the same agent, from the same checkpoint, updated on the same batches with the same noise on wasm
// and on webgpu, then compared tensor by tensor (weights, targets, optimiser moments, temperature).
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../src-core/rng.ts';
import { createAgent } from '../../../src-core/algos/index.ts';
import { ReplayBuffer } from '../../../src-core/algos/common/replay_buffer.ts';
import type { AgentState, OffPolicyAgent } from '../../../src-core/algos/common/types.ts';
import { resolvePreset } from '../../../src-core/presets/index.ts';
import { prefetchVariables } from '../../../src-core/nn/kernel_paths.ts';
import type { AlgoId } from '../../../src-core/train/types.ts';

export const OBS = 5;
export const ACT = 2;

/** Small networks and batches: SwiftShader runs each kernel on the CPU, slowly. */
export function smallConfig(algo: AlgoId): Record<string, unknown> {
  return { ...resolvePreset('pendulum', algo, 'quick').algoConfig, hidden: [16, 16], batchSize: 16, numSamples: 8 };
}

export function filledBuffer(seed: number): ReplayBuffer {
  const rng = new Rng(seed);
  const b = new ReplayBuffer(500, OBS, ACT, 16);
  const v = (n: number) => Array.from({ length: n }, () => rng.normal());
  for (let i = 0; i < 200; i++) b.add(v(OBS), v(ACT).map(Math.tanh), rng.normal(), v(OBS), rng.uniform() < 0.05);
  return b;
}

/** A fresh agent's checkpoint (made on wasm), the common start of both backends. */
export async function startState(algo: AlgoId): Promise<AgentState> {
  await tf.setBackend('wasm');
  const agent = createAgent(algo, smallConfig(algo), OBS, ACT, new Rng(2)) as OffPolicyAgent;
  const s = agent.saveState();
  agent.dispose();
  return s;
}

/** `updates` updates on `backend` from `start`; the state after them (read with awaited reads). */
export async function updatedState(algo: AlgoId, backend: 'wasm' | 'webgpu', start: AgentState, updates: number): Promise<AgentState> {
  await tf.setBackend(backend);
  const agent = createAgent(algo, smallConfig(algo), OBS, ACT, new Rng(99)) as OffPolicyAgent;
  agent.loadState(start);
  const buf = filledBuffer(1);
  const rng = new Rng(3);
  for (let i = 0; i < updates; i++) await agent.update(buf.sample(rng), rng, false);
  await prefetchVariables();
  const s = agent.saveState();
  agent.dispose();
  return s;
}

/** Per tensor: max |a - b| over max |a| (the error relative to the tensor's scale). */
export function relativeErrors(a: AgentState, b: AgentState): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, x] of Object.entries(a.tensors)) {
    const y = b.tensors[k];
    if (!y || y.data.length !== x.data.length) throw new Error(`tensor ${k} missing or resized on the other backend`);
    let diff = 0;
    let scale = 0;
    for (let i = 0; i < x.data.length; i++) {
      diff = Math.max(diff, Math.abs(x.data[i]! - y.data[i]!));
      scale = Math.max(scale, Math.abs(x.data[i]!));
    }
    out[k] = scale === 0 ? diff : diff / scale;
  }
  return out;
}
