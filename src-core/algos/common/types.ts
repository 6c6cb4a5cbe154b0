// The interface between the training loop and an algorithm. Agents act on batches of
// observations and keep their whole state (networks, optimisers, buffers) checkpointable.
import type { Rng } from '../../rng.ts';
import type { AlgoId } from '../../train/types.ts';

/** Named float32 arrays (network weights, optimiser moments, buffers) for checkpoints. */
export type TensorMap = Record<string, { shape: number[]; data: Float32Array }>;

export type ActMode = 'explore' | 'deterministic' | 'stochastic';

export interface ActResult {
  /** n x actDim actions in the agent's units ([-1, 1] for squashing agents, raw for PPO). */
  actions: Float32Array;
  /** log pi of each action (NaN where undefined, e.g. TD3). */
  logProbs: Float32Array;
  /** Per-state policy entropy estimate (NaN where undefined). */
  entropies: Float32Array;
}

export interface AgentState {
  tensors: TensorMap;
  json: Record<string, unknown>;
}

export interface AgentBase {
  readonly algo: AlgoId;
  /** 'squash': actions in [-1, 1] mapped linearly to the env bounds; 'raw': sent as they are. */
  readonly actionScaling: 'squash' | 'raw';
  /**
   * Actions for n observations (n x obsDim, row-major). All sampling noise comes from `rng`.
   * Acting and updating are asynchronous because they read tensors with awaited reads
   * (tfjs-backend-webgpu cannot read synchronously in Node); on cpu and wasm they resolve at once.
   */
  act(obs: Float32Array, n: number, mode: ActMode, rng: Rng): Promise<ActResult>;
  saveState(): AgentState;
  loadState(state: AgentState): void;
  dispose(): void;
}

/** One replay minibatch, row-major float32. `terminated` is 1 where the episode truly ended. */
export interface Batch {
  size: number;
  obs: Float32Array;
  actions: Float32Array;
  rewards: Float32Array;
  nextObs: Float32Array;
  terminated: Float32Array;
}

export interface OffPolicyAgent extends AgentBase {
  readonly kind: 'off-policy';
  /** One gradient step; returns the loss metrics (one data read) only when `withMetrics`. */
  update(batch: Batch, rng: Rng, withMetrics: boolean): Promise<Record<string, number> | null>;
}

/** On-policy agents (PPO) own their rollout storage; the loop fills it and calls update when full. */
export interface OnPolicyAgent extends AgentBase {
  readonly kind: 'on-policy';
  /** Parallel training environments. */
  readonly numEnvs: number;
  /** Vector steps per rollout (rolloutSteps / numEnvs). */
  readonly stepsPerEnv: number;
  /** Record one vector step: per env, the observation, action, log pi, reward, next observation, flags. */
  store(step: { obs: Float32Array; actions: Float32Array; logProbs: Float32Array; rewards: Float32Array; nextObs: Float32Array; terminated: Float32Array; done: Float32Array }): void;
  /**
   * Observations the training envs just returned (a step's n next observations, or reset
   * observations), for agents that keep running statistics of them (PPO's obsNorm); once each.
   */
  observe?(obs: Float32Array, n: number): void;
  /** True when the rollout holds stepsPerEnv vector steps. */
  readonly rolloutFull: boolean;
  /** Learn from the full rollout, then clear it; returns the loss metrics. */
  update(rng: Rng, withMetrics: boolean): Promise<Record<string, number> | null>;
}

export type Agent = OffPolicyAgent | OnPolicyAgent;

// ---------------------------------------------------------------------------------------------
// Seed-batched agents (issue 12): K runs that differ only in seed, trained as one computation.
// Parameters are stacked along a leading seed axis (a weight matrix is [K, rows, cols]); per seed
// stay separate: optimiser moments and step counts, alpha, rollout storage, and every random draw
// (each call takes one generator per seed, drawn from exactly as the single-seed agent draws).
// A seed's slice of every result equals what the single-seed agent computes from the same inputs
// (same backend; float rounding of batched kernels aside, see tests/core/train/group_equivalence).
// Entries that are null in a call's per-seed arrays mean "seed k takes no part": it draws nothing,
// its state is left exactly as it was, and its result entry is null. The group loop passes null
// for seeds that are finished, cancelled, or (in a group resumed from uneven checkpoints) not due.
// saveState(k) / loadState(k) use exactly the single-seed agent's format: a checkpoint of seed k
// of a group and one of the same run trained alone are interchangeable.
// ---------------------------------------------------------------------------------------------

export interface SeedBatchedAgentBase {
  readonly algo: AlgoId;
  readonly actionScaling: 'squash' | 'raw';
  /** K, the number of seeds stacked. */
  readonly numSeeds: number;
  /**
   * Per seed k, actions for n observations obs[k] (n x obsDim, row-major), all sampling noise
   * from rngs[k]. n is the same for every acting seed.
   */
  act(obs: readonly (Float32Array | null)[], n: number, mode: ActMode, rngs: readonly (Rng | null)[]): Promise<(ActResult | null)[]>;
  /** Seed k alone, as a single-seed agent (evaluation, previews); it shares seed k's weights. Its dispose() does nothing. */
  seedView(k: number): AgentBase;
  /** Seed k's full state in the single-seed agent's checkpoint format. */
  saveState(k: number): AgentState;
  loadState(k: number, state: AgentState): void;
  dispose(): void;
}

export interface SeedBatchedOffPolicyAgent extends SeedBatchedAgentBase {
  readonly kind: 'off-policy';
  /**
   * One gradient step for every seed k with a batch: batches[k] sampled from seed k's own replay
   * buffer, rngs[k] seed k's update generator. Per seed, the metrics when withMetrics[k].
   */
  update(batches: readonly (Batch | null)[], rngs: readonly (Rng | null)[], withMetrics: readonly boolean[]): Promise<(Record<string, number> | null)[]>;
}

/** One vector step of one seed's rollout (what OnPolicyAgent.store takes). */
export type RolloutStep = Parameters<OnPolicyAgent['store']>[0];

export interface SeedBatchedOnPolicyAgent extends SeedBatchedAgentBase {
  readonly kind: 'on-policy';
  readonly numEnvs: number;
  readonly stepsPerEnv: number;
  /** Record one vector step in seed k's own rollout storage. */
  store(k: number, step: RolloutStep): void;
  /** OnPolicyAgent.observe for seed k's running statistics (PPO's obsNorm); absent when the agent keeps none. */
  observe?(k: number, obs: Float32Array, n: number): void;
  /** True when seed k's rollout holds stepsPerEnv vector steps. */
  rolloutFull(k: number): boolean;
  /** Learn from the full rollout of every seed k with rngs[k] non-null, then clear those rollouts; per-seed metrics. */
  update(rngs: readonly (Rng | null)[], withMetrics: readonly boolean[]): Promise<(Record<string, number> | null)[]>;
}

export type SeedBatchedAgent = SeedBatchedOffPolicyAgent | SeedBatchedOnPolicyAgent;
