// A stored policy from training-checkpoint bytes, for previews: decodes the checkpoint
// (src-core/train/codec.ts), rebuilds the run's agent with its own config and loads its state,
// then acts one observation at a time exactly as evaluation does (deterministic: tanh(mean), the
// deterministic actor or the PPO mean; stochastic: sampled), mapped to the environment's units.
// It loads tfjs: it runs in a worker process (src-main/preview/run-preview.ts), never in main.
import { createAgent } from '../../src-core/algos/index.ts';
import { makeEnv } from '../../src-core/envs/registry.ts';
import { Rng } from '../../src-core/rng.ts';
import { toEnvAction } from '../../src-core/train/action_map.ts';
import { decodeCheckpoint } from '../../src-core/train/codec.ts';
import type { RunConfig } from '../../src-core/train/types.ts';
import { initRequestedBackend } from '../engine/backend.ts';
import { ensurePhysicsFor } from '../engine/mujoco.ts';
import type { PolicyFn } from './rollout.ts';

interface CheckpointMeta {
  format: string;
  config: RunConfig;
  agent: Record<string, unknown>;
}

/** Checkpoint bytes + run config -> an acting policy, on the requested tensor backend (default auto). */
export type PolicyLoader = (
  bytes: Uint8Array,
  config: Record<string, unknown>,
  mode: 'deterministic' | 'stochastic',
  seed: number,
  backend?: string,
) => Promise<{ act: PolicyFn; dispose(): void; backend: string }>;

/**
 * Decode checkpoint bytes, check them against the run's stored config, start the tensor backend and
 * rebuild the agent with its stored state (construction seeded by stream 2 of `seed`).
 */
export async function loadStoredAgent(bytes: Uint8Array, runConfig: Record<string, unknown>, seed: number, backend?: string) {
  const { meta, arrays } = decodeCheckpoint(bytes); // a bad file fails here, before tfjs starts
  const m = meta as CheckpointMeta;
  if (m.format !== 'maxent-lab-checkpoint') throw new Error('checkpoint: not a MaxEnt Lab training checkpoint');
  const stored = runConfig as unknown as RunConfig;
  if (stored.env && (stored.env.id !== m.config.env.id || stored.algo !== m.config.algo)) {
    throw new Error(`checkpoint: it holds ${m.config.algo} on ${m.config.env.id}, the run is ${stored.algo} on ${stored.env.id}`);
  }
  const { info } = await initRequestedBackend(backend);
  await ensurePhysicsFor(m.config.env.id); // hopper, opencat: MuJoCo (previews and landscape jobs)
  const env = makeEnv(m.config.env.id, m.config.env.variant, m.config.env.params);
  const agent = createAgent(m.config.algo, m.config.algoConfig, env.observationSpace.dim, env.actionSpace.dim, new Rng(seed, 2));
  // a compact bundle's checkpoint holds the networks only (src-main/bundle/export.ts, networksOnly):
  // target networks and optimiser moments, which acting and landscapes never read, stay the fresh agent's
  const tensors: Record<string, { shape: number[]; data: Float32Array }> = { ...agent.saveState().tensors } as Record<string, { shape: number[]; data: Float32Array }>;
  for (const [k, v] of Object.entries(arrays)) if (k.startsWith('agent/')) tensors[k.slice(6)] = v as { shape: number[]; data: Float32Array };
  agent.loadState({ tensors, json: m.agent });
  return { agent, env, config: m.config, backend: info.backend };
}

/** A loaded agent acting one observation at a time in `mode`, sampling (stochastic mode) from `rng`, in the environment's units. */
export function storedAgentPolicy(stored: Awaited<ReturnType<typeof loadStoredAgent>>, mode: 'deterministic' | 'stochastic', rng: Rng): PolicyFn {
  const { agent, env } = stored;
  const obsDim = env.observationSpace.dim;
  const out = new Float64Array(env.actionSpace.dim);
  const batch = new Float32Array(obsDim);
  return async (observation) => {
    if (observation.length !== obsDim) throw new Error(`policy expects ${obsDim} observation values, the environment gives ${observation.length}`);
    batch.set(observation);
    const r = await agent.act(batch, 1, mode, rng);
    return toEnvAction(agent.actionScaling, r.actions, env.actionSpace, out);
  };
}

/** Seeds of the agent's construction and of its action sampling (stochastic mode): streams 2 and 3 of the preview seed. */
export const enginePolicyLoader: PolicyLoader = async (bytes, runConfig, mode, seed, backend) => {
  const stored = await loadStoredAgent(bytes, runConfig, seed, backend);
  return {
    act: storedAgentPolicy(stored, mode, new Rng(seed, 3)),
    dispose: () => {
      stored.agent.dispose();
      stored.env.close?.(); // MuJoCo data (hopper, opencat)
    },
    backend: stored.backend,
  };
};
