// SAC configuration (fixed alpha: 'sac'; automatic alpha: 'sac-auto'). Defaults are the spec's
// (spec/algorithms.md, "SAC"): Tianshou 0.5.0's effective settings; per-task values in src-core/presets.

export interface SacConfig {
  /** Hidden layer sizes of the actor and of each critic (ReLU). */
  hidden: number[];
  /** Actor Adam learning rate. */
  actorLr: number;
  /** Critic Adam learning rate (one Adam over both critics). */
  criticLr: number;
  /** Entropy temperature when fixed; ignored when autoAlpha (log alpha then starts at 0). */
  alpha: number;
  /** Learn alpha by gradient descent on -mean(log alpha (log pi + H_target)). */
  autoAlpha: boolean;
  /** Adam learning rate of log alpha. */
  alphaLr: number;
  /** Target entropy H_target; null means -dim(A). */
  targetEntropy: number | null;
  /** Discount factor. */
  gamma: number;
  /** Polyak coefficient for the target critics, applied after every update. */
  tau: number;
  /** Minibatch size. */
  batchSize: number;
  /** Replay buffer capacity (transitions). */
  bufferSize: number;
  /** Environment steps with uniform random actions before learning starts. */
  warmupSteps: number;
  /** Gradient steps per environment step after warm-up (the spec's 1 : 1). */
  updatesPerStep: number;
  /** Lower clamp of the actor's log sigma head. */
  logStdMin: number;
  /** Upper clamp of the actor's log sigma head. */
  logStdMax: number;
  /** Toy only: scale of the log sigma head's initial weights (bias zeroed); null keeps the default init. */
  sigmaHeadInitScale: number | null;
}

export const SAC_DEFAULTS: Readonly<SacConfig> = Object.freeze({
  hidden: [256, 256],
  actorLr: 1e-3,
  criticLr: 1e-3,
  alpha: 0.2,
  autoAlpha: false,
  alphaLr: 1e-3,
  targetEntropy: null,
  gamma: 0.99,
  tau: 0.005,
  batchSize: 256,
  bufferSize: 1_000_000,
  warmupSteps: 10_000,
  updatesPerStep: 1,
  logStdMin: -20,
  logStdMax: 2,
  sigmaHeadInitScale: null,
});

/**
 * sac keeps alpha fixed and sac-auto learns it: an autoAlpha saying otherwise would be stored but
 * not run, so it is refused, naming the field (issue 18, point 2). sac-adaent honours either value.
 */
export function checkAutoAlpha(algo: string, autoAlpha: unknown): void {
  if (algo === 'sac' && autoAlpha !== false) throw new Error('autoAlpha: sac keeps alpha fixed; choose the algorithm sac-auto to learn alpha');
  if (algo === 'sac-auto' && autoAlpha !== true) throw new Error('autoAlpha: sac-auto learns alpha; choose the algorithm sac for a fixed alpha');
}
