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
  /** Actions for n observations (n x obsDim, row-major). All sampling noise comes from `rng`. */
  act(obs: Float32Array, n: number, mode: ActMode, rng: Rng): ActResult;
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
  update(batch: Batch, rng: Rng, withMetrics: boolean): Record<string, number> | null;
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
  update(rng: Rng, withMetrics: boolean): Record<string, number> | null;
}

export type Agent = OffPolicyAgent | OnPolicyAgent;
