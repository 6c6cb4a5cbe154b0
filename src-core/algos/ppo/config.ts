// PPO configuration (non-MaxEnt baseline: entropy coefficient 0). Defaults are the spec's
// (spec/algorithms.md, "PPO"; Tianshou 0.5.0 settings); per-task values in src-core/presets.

export interface PpoConfig {
  /** Hidden layer sizes of the actor and of the critic (Tanh). */
  hidden: number[];
  /** Adam learning rate (one Adam over actor and critic; no decay). */
  lr: number;
  /** Number of parallel training environments. */
  numEnvs: number;
  /** Transitions collected (across all training envs) per rollout. */
  rolloutSteps: number;
  /** Passes over each rollout. */
  epochs: number;
  /** Minibatch size. */
  minibatchSize: number;
  /** Discount factor. */
  gamma: number;
  /** GAE lambda. */
  gaeLambda: number;
  /** Clipping epsilon of the surrogate objective. */
  clipEps: number;
  /** Weight of the value loss (MSE to the returns). */
  vfCoef: number;
  /** Weight of the entropy bonus (0: no entropy term, the paper's non-MaxEnt baseline). */
  entCoef: number;
  /** Clip of the global gradient norm. */
  maxGradNorm: number;
  /** Recompute advantages with the current critic before every pass (false: once per rollout). */
  recomputeAdvantage: boolean;
  /** Normalise advantages per minibatch (off in the reference). */
  normAdvantage: boolean;
  /** Initial value of the state-independent log sigma parameter (ignored when stateSigma). */
  initLogStd: number;
  /** State-conditioned sigma head clamped to [-20, 2] instead of a free parameter (toy). */
  stateSigma: boolean;
  /** Running mean/std observation normalisation, clipped at 10 (reference: OpenCat only; src-core/nn/running_norm.ts). */
  obsNorm: boolean;
}

export const PPO_DEFAULTS: Readonly<PpoConfig> = Object.freeze({
  hidden: [256, 256],
  lr: 3e-4,
  numEnvs: 1,
  rolloutSteps: 2048,
  epochs: 10,
  minibatchSize: 64,
  gamma: 0.99,
  gaeLambda: 0.95,
  clipEps: 0.2,
  vfCoef: 0.25,
  entCoef: 0,
  maxGradNorm: 0.5,
  recomputeAdvantage: true,
  normAdvantage: false,
  initLogStd: -0.5,
  stateSigma: false,
  obsNorm: false,
});
