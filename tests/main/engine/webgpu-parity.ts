// Shared by the webgpu tests (Node suite: a few updates; learning suite: the 50 and 1,000):
// the same agent, from the same checkpoint, updated on the same batches with the same noise on wasm
// and on webgpu, then compared tensor by tensor (weights, targets, optimiser moments, temperature)
// and metric by metric. Off-policy agents alone and as a seed group of two, and PPO.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../src-core/rng.ts';
import { createAgent, createSeedBatchedAgent } from '../../../src-core/algos/index.ts';
import { ReplayBuffer } from '../../../src-core/algos/common/replay_buffer.ts';
import type { AgentState, OffPolicyAgent, OnPolicyAgent, SeedBatchedOffPolicyAgent } from '../../../src-core/algos/common/types.ts';
import { resolvePreset } from '../../../src-core/presets/index.ts';
import { prefetchVariables } from '../../../src-core/nn/kernel_paths.ts';
import type { AlgoId } from '../../../src-core/train/types.ts';

// the toy's sizes, so the run test (on the toy) reuses the kernels the update tests compiled
export const OBS = 6;
export const ACT = 1;

/** Small networks and batches: SwiftShader runs each kernel on the CPU, slowly. */
export function smallConfig(algo: AlgoId): Record<string, unknown> {
  if (algo === 'ppo') return { ...resolvePreset('pendulum', 'ppo', 'quick').algoConfig, hidden: [16, 16], numEnvs: 2, rolloutSteps: 8, minibatchSize: 8, epochs: 2, obsNorm: false };
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

/** `updates` updates on `backend` from `start`; the state after them (read with awaited reads) and the last update's metrics. */
export async function updatedState(algo: AlgoId, backend: 'wasm' | 'webgpu', start: AgentState, updates: number): Promise<AgentState & { metrics: Record<string, number> }> {
  await tf.setBackend(backend);
  const agent = createAgent(algo, smallConfig(algo), OBS, ACT, new Rng(99)) as OffPolicyAgent;
  agent.loadState(start);
  const buf = filledBuffer(1);
  const rng = new Rng(3);
  let metrics: Record<string, number> | null = null;
  for (let i = 0; i < updates; i++) metrics = await agent.update(buf.sample(rng), rng, i === updates - 1);
  await prefetchVariables();
  const s = agent.saveState();
  agent.dispose();
  return { ...s, metrics: metrics! };
}

/** A PPO checkpoint (made on wasm) with a full rollout of seeded data: the common start of one update on both backends. */
export async function ppoStartState(): Promise<AgentState> {
  await tf.setBackend('wasm');
  const agent = createAgent('ppo', smallConfig('ppo'), OBS, ACT, new Rng(2)) as OnPolicyAgent;
  const rng = new Rng(4);
  const n = agent.numEnvs;
  const v = (k: number) => Float32Array.from({ length: k }, () => rng.normal());
  while (!agent.rolloutFull) {
    const obs = v(n * OBS);
    const a = await agent.act(obs, n, 'explore', rng);
    agent.store({ obs, actions: a.actions, logProbs: a.logProbs, rewards: v(n), nextObs: v(n * OBS), terminated: Float32Array.from({ length: n }, () => (rng.uniform() < 0.1 ? 1 : 0)), done: new Float32Array(n) });
  }
  const s = agent.saveState();
  agent.dispose();
  return s;
}

/** One PPO update (epochs x minibatches) on `backend` from `start`: the state after it and its metrics. */
export async function ppoUpdatedState(backend: 'wasm' | 'webgpu', start: AgentState): Promise<AgentState & { metrics: Record<string, number> }> {
  await tf.setBackend(backend);
  const agent = createAgent('ppo', smallConfig('ppo'), OBS, ACT, new Rng(99)) as OnPolicyAgent;
  agent.loadState(start);
  const metrics = (await agent.update(new Rng(5), true))!;
  await prefetchVariables();
  const s = agent.saveState();
  agent.dispose();
  return { ...s, metrics };
}

/** Seeds 0 and 1 of a seed-batched group of `algo` after `updates` updates on `backend` from their fresh (wasm) states. */
export async function groupUpdatedStates(algo: AlgoId, backend: 'wasm' | 'webgpu', updates: number): Promise<AgentState[]> {
  await tf.setBackend('wasm');
  const init = () => [new Rng(2), new Rng(4)];
  const fresh = createSeedBatchedAgent(algo, smallConfig(algo), OBS, ACT, init()) as SeedBatchedOffPolicyAgent;
  const starts = [fresh.saveState(0), fresh.saveState(1)];
  fresh.dispose();
  await tf.setBackend(backend);
  const agent = createSeedBatchedAgent(algo, smallConfig(algo), OBS, ACT, [new Rng(98), new Rng(99)]) as SeedBatchedOffPolicyAgent;
  starts.forEach((s, k) => agent.loadState(k, s));
  const bufs = [filledBuffer(1), filledBuffer(7)];
  const rngs = [new Rng(3), new Rng(8)];
  for (let i = 0; i < updates; i++) await agent.update(bufs.map((b, k) => b.sample(rngs[k]!)), rngs, [false, false]);
  await prefetchVariables();
  const out = [agent.saveState(0), agent.saveState(1)];
  agent.dispose();
  return out;
}

/** Per metric: |a - b| over max(1, |a|). */
export function metricErrors(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, x] of Object.entries(a)) {
    const y = b[k];
    if (y === undefined) throw new Error(`metric ${k} missing on the other backend`);
    out[k] = Number.isNaN(x) && Number.isNaN(y) ? 0 : Math.abs(x - y) / Math.max(1, Math.abs(x));
  }
  return out;
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
