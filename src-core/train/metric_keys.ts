// Metric keys reported by the training loop (spec/algorithms.md, "What to log", CleanRL style).
// Evaluation keys carry the mode: eval/<mode>/return_mean, eval/<mode>/return_std,
// eval/<mode>/length_mean with <mode> deterministic or stochastic (the spec's eval/return_mean
// "with eval/mode" made explicit in the key, so both modes live side by side in one stream).
import type { EvalMode } from './types.ts';

export const METRIC = {
  episodicReturn: 'charts/episodic_return',
  episodicLength: 'charts/episodic_length',
  sps: 'charts/SPS',
  qf1Loss: 'losses/qf1_loss',
  qf2Loss: 'losses/qf2_loss',
  actorLoss: 'losses/actor_loss',
  alpha: 'losses/alpha',
  alphaLoss: 'losses/alpha_loss',
  /** SAC family: per-batch mean of -log pi(a|s) of the squashed action, a in [-1, 1] (the spec's policy/entropy). */
  entropy: 'policy/entropy',
  /**
   * PPO: mean analytic entropy of its diagonal Gaussian, raw (environment) action units. Another
   * quantity than policy/entropy (no tanh, other units), so another key; TD3 logs neither (issue 18).
   */
  gaussianEntropy: 'policy/gaussian_entropy',
  logStdMean: 'policy/log_std_mean',
  surrogateRate: 'adaent/surrogate_rate',
  cosineMean: 'adaent/cosine_mean',
  plainQf1Loss: 'losses/plain_qf1_loss',
  plainQf2Loss: 'losses/plain_qf2_loss',
  valueLoss: 'losses/value_loss',
  policyLoss: 'losses/policy_loss',
  approxKl: 'losses/approx_kl',
  clipfrac: 'losses/clipfrac',
  explainedVariance: 'losses/explained_variance',
} as const;

export function evalKey(mode: EvalMode, stat: 'return_mean' | 'return_std' | 'length_mean'): string {
  return `eval/${mode}/${stat}`;
}

/** Training-loss metrics are reported every this many environment steps (off-policy) or per rollout (PPO). */
export const LOSS_LOG_INTERVAL = 100;
