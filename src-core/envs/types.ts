// The environment contract shared by every environment, the training loop and the tools.
// Gymnasium-shaped: reset -> observation; step -> observation, reward, terminated, truncated, info.
// Environments are plain objects with explicit parameters and a seeded generator passed in.
import type { Rng } from '../rng.ts';
import type { Box } from '../spaces/box.ts';

/** One scalar parameter of an environment, with its unit and a one-line description. */
export interface ParamSpec {
  name: string;
  default: number;
  unit: string; // 'm', 's', 'kg', 'rad', '' (dimensionless), ...
  min: number;
  max: number;
  description: string;
  integer?: boolean;
}

/** Extra information of a step. `rewardComponents` always sums to the reward. */
export interface StepInfo {
  rewardComponents: Record<string, number>;
  /** Set when the episode ended because the dynamics produced a non-finite value. */
  nonFinite?: boolean;
  [key: string]: unknown;
}

/**
 * The result of a step. For speed an environment may reuse the returned object and its
 * `observation` buffer between calls: callers that keep them past the next call must copy.
 */
export interface StepResult {
  observation: Float64Array;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: StepInfo;
}

export interface ResetResult {
  observation: Float64Array;
  info: Record<string, unknown>;
}

export interface Env {
  readonly id: string;
  readonly variant: string;
  /** Resolved parameters (defaults merged with overrides). */
  readonly params: Readonly<Record<string, number>>;
  readonly observationSpace: Box;
  /** Bounds of the action in the environment's own units. */
  readonly actionSpace: Box;
  /** Number of steps after which the episode ends (by `terminated` or `truncated`, as the spec says). */
  readonly maxEpisodeSteps: number;
  /** Names of the full-state components, in the order `getState` and `reset(rng, state)` use. */
  readonly stateNames: readonly string[];
  /** Start an episode, from a random start drawn from `rng` or from an explicit full state. */
  reset(rng: Rng, initialState?: ArrayLike<number>): ResetResult;
  /** Advance one step with an action in the environment's own units. */
  step(action: ArrayLike<number>): StepResult;
  /** The full state (not the observation), including the step counter where it matters. */
  getState(): Float64Array;
  /** Steps taken in the current episode. */
  readonly elapsedSteps: number;
  /** Frees what the environment holds outside the JS heap (MuJoCo model and data); absent when nothing. */
  close?(): void;
  /**
   * State that outlives episodes and that a reset keeps (OpenCat: the steps of completed episodes
   * that weight its penalties). Checkpoints save it; a resume restores it before replaying the
   * current episode. Absent where every episode starts afresh.
   */
  sessionState?(): number[];
  restoreSessionState?(values: readonly number[]): void;
}

/** One variant of an environment (for example the vehicle's dynamic and kinematic models). */
export interface VariantSpec {
  name: string;
  description: string;
  /** Length of the observation vector. */
  observationDim: number;
  /** Action bounds in the environment's own units (one entry per action component). */
  actionLow: readonly number[];
  actionHigh: readonly number[];
  /** Names (with units) of the action components, e.g. 'throttle [m/s^2]'. */
  actionNames: readonly string[];
}

/** Reference training budget and evaluation schedule (spec/environments.md, "Training budgets"). */
export interface TrainingBudget {
  totalSteps: number;
  /** Environment steps between evaluations. */
  evalInterval: number;
  /** Test episodes per evaluation (mean return reported). */
  evalEpisodes: number;
  /** Where the numbers come from. */
  source: string;
}

/** What the registry knows about an environment id. */
export interface EnvSpec {
  id: string;
  title: string;
  description: string;
  variants: readonly VariantSpec[];
  defaultVariant: string;
  params: readonly ParamSpec[];
  /** Names of the full state's components, per variant. */
  stateNames: (variant: string) => readonly string[];
  make: (variant?: string, params?: Record<string, number>) => Env;
  /**
   * The variant and full parameters a `make` with these arguments would use, checked the same way
   * (unknown or out-of-range values throw naming them), without building the environment, so a
   * config can be validated where no physics engine is loaded.
   */
  resolve: (variant?: string, params?: Record<string, number>) => { variant: string; params: Record<string, number> };
  /** Episode limit in steps (same for every variant). */
  maxEpisodeSteps: number;
  /**
   * How the episode limit is reported: 'terminated' (vehicle, quadrotor: the reference's quirk),
   * 'truncated' (acrobot, obstacle2d, pendulum), or 'none' (toy: episodes end by termination).
   * This is the default; a parameter may change it (vehicle and quadrotor `timeLimitTruncates`),
   * so a training loop reads the flags each step returns.
   */
  timeLimit: 'terminated' | 'truncated' | 'none';
  /** True when the environment clips actions into its action space itself (all but toy). */
  clipsActions: boolean;
  budget: TrainingBudget;
  /**
   * The physics engine the environment needs from its host process ('mujoco': the MuJoCo
   * WebAssembly module, handed to the registry with providePhysics); absent for pure-TS dynamics.
   */
  physics?: 'mujoco';
}
