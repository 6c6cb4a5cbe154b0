// What the training loop reports and what a checkpoint holds: the seam between the engine
// (src-core/train, src-core/algos) and whoever listens (the worker, the CLI, tests).
// The loop does no I/O; it calls these callbacks and returns checkpoint bytes.

export type EvalMode = 'deterministic' | 'stochastic';
export const EVAL_MODES: readonly EvalMode[] = ['deterministic', 'stochastic'];

export type AlgoId = 'sac' | 'sac-auto' | 'sac-adaent' | 'ppo' | 'td3';
export const ALGO_IDS: readonly AlgoId[] = ['sac', 'sac-auto', 'sac-adaent', 'ppo', 'td3'];

/** One scalar metric at one global step (keys from the spec's canonical catalogue). */
export interface MetricPoint {
  key: string;
  step: number;
  /** Seconds since the run first started, excluding paused time. */
  wallTime: number;
  value: number;
}

/** A finished training episode. */
export interface TrainingEpisode {
  step: number; // global step at which the episode ended
  return: number;
  length: number;
  wallTime: number;
}

/** One evaluation: `episodes` episodes in one mode from seeded start states. */
export interface Evaluation {
  step: number;
  mode: EvalMode;
  returns: number[];
  lengths: number[];
  /** Seeds of the start states (the same for every algorithm and both modes at a given evaluation index). */
  startSeeds: number[];
  wallTime: number;
}

/** One recorded evaluation episode, per step, as flat typed arrays (row-major, T rows). */
export interface Trajectory {
  step: number; // global step of the evaluation
  mode: EvalMode;
  episode: number; // index within the evaluation
  startSeed: number;
  length: number; // T
  obsDim: number;
  actDim: number;
  stateDim: number;
  observations: Float32Array; // (T + 1) x obsDim, including the reset observation
  actions: Float32Array; // T x actDim, in the environment's units
  rewards: Float32Array; // T
  /** Reward components, one array of length T per name. */
  rewardComponents: Record<string, Float32Array>;
  /** Per-step log-probability of the action taken (NaN where undefined, e.g. TD3). */
  logProbs: Float32Array; // T
  /** Per-step policy entropy estimate (NaN where undefined). */
  entropies: Float32Array; // T
  states: Float64Array; // (T + 1) x stateDim, full environment state
}

export interface Progress {
  globalStep: number;
  totalSteps: number;
  /** Environment steps per second, moving average. */
  sps: number;
  episodes: number;
  lastEval: Partial<Record<EvalMode, number>>; // mean return of the latest evaluation per mode
}

/** Everything the loop reports. Metrics arrive in batches. All optional. */
export interface TrainCallbacks {
  onMetrics?(batch: MetricPoint[]): void;
  onEpisode?(episode: TrainingEpisode): void;
  onEvaluation?(evaluation: Evaluation): void;
  onTrajectory?(trajectory: Trajectory): void;
  onProgress?(progress: Progress): void;
  /** Called with a full checkpoint (see checkpoint encoding) when the schedule asks for one. */
  onCheckpoint?(checkpoint: { step: number; bytes: Uint8Array }): void | Promise<void>;
  onLog?(level: 'info' | 'warn' | 'error', message: string): void;
}

/** A fully resolved run configuration: everything needed to reproduce a run, stored with it. */
export interface RunConfig {
  env: { id: string; variant: string; params: Record<string, number> };
  algo: AlgoId;
  preset: 'paper' | 'quick' | 'custom';
  seed: number;
  totalSteps: number;
  /** Evaluate every this many environment steps (and once at the end). */
  evalInterval: number;
  evalEpisodes: number;
  evalModes: EvalMode[];
  /** Record full trajectories for the first this many episodes of each mode at every evaluation (all at the final one). */
  recordEpisodes: number;
  /** Seed of the evaluation start states, independent of the training seed (same for every algorithm). */
  evalSeed: number;
  /** The algorithm's own resolved config (fields documented in src-core/algos/<algo>/config.ts). */
  algoConfig: Record<string, unknown>;
  /** Tensor backend requested for this run (absent: auto); the one used is recorded with the run. */
  backend?: 'auto' | 'webgpu' | 'tensorflow' | 'wasm' | 'cpu';
  /**
   * Seed groups this run may train in (issue 12; absent: auto): up to K runs identical but for seed
   * in one worker, one batched computation; 'off' or 1: alone. See src-main/runs/grouping.ts.
   */
  seedBatch?: 'auto' | 'off' | number;
}

/** Why `Trainer.run` returned. */
export type RunOutcome = 'completed' | 'stopped';

/** A training run in progress. Created by `createTrainer` in src-core/train/index.ts. */
export interface Trainer {
  readonly config: RunConfig;
  readonly globalStep: number;
  /**
   * Train until totalSteps or until `shouldStop()` returns true (checked between steps).
   * On a stop, the trainer emits a checkpoint through onCheckpoint before returning 'stopped'.
   */
  run(shouldStop?: () => boolean): Promise<RunOutcome>;
  /** Encode the full state (networks, targets, optimiser moments, alpha, buffer, RNGs, counters). */
  checkpoint(): Uint8Array;
  /** Free tensors. */
  dispose(): void;
}

/**
 * K runs that differ only in seed (see canShareGroup), trained in lockstep by one seed-batched
 * agent. Created by `createGroupTrainer` (src-core/train/group_trainer.ts). Each seed keeps its
 * own callbacks, metrics, evaluations and checkpoints, exactly as if trained alone.
 */
export interface GroupTrainer {
  readonly configs: readonly RunConfig[];
  /** K. */
  readonly size: number;
  /** Seed k's global step. */
  globalStep(k: number): number;
  /**
   * Train every seed until its totalSteps, until it is cancelled, or until `shouldStop()` returns
   * true (checked between steps; stops all seeds). Every seed that stops emits a checkpoint
   * through its onCheckpoint first. Returns each seed's outcome ('stopped' for a cancelled seed).
   */
  run(shouldStop?: () => boolean): Promise<RunOutcome[]>;
  /** Stop seed k at the next step boundary (checkpointed); the other seeds go on. */
  cancel(k: number): void;
  /** Seed k's full state, in the same format as a run trained alone. */
  checkpoint(k: number): Uint8Array;
  dispose(): void;
}
