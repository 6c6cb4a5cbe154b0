// TD3 configuration (Fujimoto et al. 2018; deterministic off-policy baseline, no entropy).
// Standard settings from spec/algorithms.md, "TD3"; per-task values in src-core/presets.

export interface Td3Config {
  /** Hidden layer sizes of the actor and of each critic (ReLU). */
  hidden: number[];
  /** Actor Adam learning rate. */
  actorLr: number;
  /** Critic Adam learning rate. */
  criticLr: number;
  /** Discount factor. */
  gamma: number;
  /** Polyak coefficient for actor and critic targets. */
  tau: number;
  /** Minibatch size. */
  batchSize: number;
  /** Replay buffer capacity. */
  bufferSize: number;
  /** Uniform random actions for this many environment steps before learning. */
  warmupSteps: number;
  /** Gradient steps per environment step after warm-up. */
  updatesPerStep: number;
  /** Std of the Gaussian exploration noise, in [-1, 1] action units. */
  explorationNoise: number;
  /** Std of the target policy smoothing noise. */
  policyNoise: number;
  /** Clip of the target policy smoothing noise. */
  noiseClip: number;
  /** Actor and target updates happen every this many critic updates. */
  policyDelay: number;
}

export const TD3_DEFAULTS: Readonly<Td3Config> = Object.freeze({
  hidden: [256, 256],
  actorLr: 3e-4,
  criticLr: 3e-4,
  gamma: 0.99,
  tau: 0.005,
  batchSize: 256,
  bufferSize: 1_000_000,
  warmupSteps: 10_000,
  updatesPerStep: 1,
  explorationNoise: 0.1,
  policyNoise: 0.2,
  noiseClip: 0.5,
  policyDelay: 2,
});
