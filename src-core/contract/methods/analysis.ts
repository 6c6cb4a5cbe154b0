// Contract methods of the landscape analysis (issue 15; spec/paper.md "Analysis the paper uses"):
// the soft and plain Q landscapes, the policy's and the Boltzmann densities at one state of a stored
// checkpoint, and per-step critical-state scores along a recorded evaluation episode. Main finds the
// checkpoint files and the observation; a short-lived worker process evaluates the networks. The
// rollout fan of a stored policy from one start state is one of these analyses too.
import { z } from 'zod';
import { defineMethod } from '../define.ts';
import { Id } from '../schemas.ts';

/** A stored checkpoint: a run and the global step of one of its checkpoints. */
export const NetworkSource = z.object({ runId: Id, step: z.number().int().min(0) });
export type NetworkSource = z.infer<typeof NetworkSource>;

export const LANDSCAPE_CASE_IDS = ['toy-s0', 'toy-s1', 'vehicle-start'] as const;

/** Where the state comes from: a ready-made case, a full environment state, an observation, or a step of a recorded episode. */
export const LandscapeState = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('case'), case: z.enum(LANDSCAPE_CASE_IDS) }),
  // a full state in the spec's order (`lab envs`): up to 318 values (OpenCat's, with its joint history)
  z.object({ kind: z.literal('state'), state: z.array(z.number()).min(1).max(512) }),
  z.object({ kind: z.literal('observation'), observation: z.array(z.number()).min(1).max(512) }),
  z.object({ kind: z.literal('trajectory'), trajectoryId: Id, t: z.number().int().min(0) }),
]);
export type LandscapeState = z.infer<typeof LandscapeState>;

export const LandscapeArgs = z.object({
  run: NetworkSource,
  /** For runs without a plain Q (SAC): the plain Q of a SAC-AdaEnt or TD3 run of the same task. */
  plainFrom: NetworkSource.optional(),
  state: LandscapeState,
  /** One axis: curves; two: a heatmap. */
  axes: z.array(z.number().int().min(0)).min(1).max(2).default([0]),
  /** Values of the other action components (agent units); default: the policy's mean action. */
  held: z.array(z.number()).max(64).optional(),
  /** Points per shown axis (default 201 for curves, 64 for heatmaps). */
  points: z.number().int().min(2).max(401).optional(),
  /** Seed of AdaEnt's sampled actions (and of Monte Carlo integrals above two action dimensions). */
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
});
export type LandscapeArgs = z.input<typeof LandscapeArgs>;

/** Which network a layer or number comes from. */
export const SourceInfo = z.object({ runId: z.number().int(), step: z.number().int(), algo: z.string(), label: z.string() });

export const LandscapeLayer = z.object({
  key: z.enum(['q_soft', 'q_plain', 'policy_density', 'boltzmann']),
  /** What it is, with its network and run: 'Q_soft = min(Q1, Q2), run 3 (sac) at step 20000'. */
  label: z.string(),
  runId: z.number().int(),
  /** One value per grid point, row = iy * x.length + ix. */
  values: z.array(z.number()),
});
export type LandscapeLayer = z.infer<typeof LandscapeLayer>;

export const AdaEntDecision = z.object({
  /** The N actions AdaEnt would draw from the policy here (agent units), N x actDim row-major. */
  samples: z.array(z.number()),
  soft: z.array(z.number()),
  plain: z.array(z.number()),
  cosine: z.number(),
  threshold: z.number(),
  thresholdFrom: z.string(),
  followsPlain: z.boolean(),
  /** Where the policy samples, the soft and the plain values come from. */
  sources: z.string(),
});

export const LandscapeResult = z.object({
  title: z.string(),
  envId: z.string(),
  variant: z.string(),
  /** The state as named: 'toy s1', 'trajectory 4 step 1', 'observation [...]'. */
  stateLabel: z.string(),
  stateNames: z.array(z.string()),
  state: z.array(z.number()).nullable(),
  observation: z.array(z.number()),
  actionNames: z.array(z.string()),
  /** The box the landscape spans, in the units the networks take. */
  box: z.object({ low: z.array(z.number()), high: z.array(z.number()) }),
  units: z.string(),
  axes: z.array(z.number().int()),
  held: z.array(z.number()),
  heldFrom: z.string(),
  x: z.array(z.number()),
  y: z.array(z.number()).nullable(),
  alpha: z.number().nullable(),
  layers: z.array(LandscapeLayer),
  /** Layers the run does not have, and why (said, not drawn empty). */
  missing: z.array(z.object({ key: z.string(), reason: z.string() })),
  vSoft: z.object({ value: z.number(), method: z.string() }).nullable(),
  /** PPO's V(s). */
  stateValue: z.number().nullable(),
  policy: z.object({ kind: z.enum(['squashed-gaussian', 'gaussian', 'deterministic']), mean: z.array(z.number()), logStd: z.array(z.number()).nullable() }).nullable(),
  adaent: AdaEntDecision.nullable(),
  peak: z.object({ share: z.number(), peakedness: z.number(), definition: z.string(), runId: z.number().int() }).nullable(),
  sources: z.array(SourceInfo),
});
export type LandscapeResult = z.infer<typeof LandscapeResult>;

export const CriticalArgs = z.object({
  run: NetworkSource,
  plainFrom: NetworkSource.optional(),
  trajectoryId: Id,
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
});
export type CriticalArgs = z.input<typeof CriticalArgs>;

export const CriticalResult = z.object({
  title: z.string(),
  definition: z.string(),
  threshold: z.number().nullable(),
  /** Per step t = 0..T-1 (the state the t-th action was taken in); null where not computable. */
  peakedness: z.array(z.number().nullable()),
  cosine: z.array(z.number().nullable()),
  critical: z.array(z.boolean()),
  /** Why peakedness or cosine is missing for this run (empty when both are there). */
  missing: z.array(z.string()),
  sources: z.array(SourceInfo),
});
export type CriticalResult = z.infer<typeof CriticalResult>;

/**
 * The rollout fan (spec/paper.md, "Analysis the paper uses"; design/product.md): from one start
 * state, the stored policy's deterministic episode and K stochastic ones, each sampling its actions
 * from its own seed, so the spread a policy's randomness makes is seen against the path its mean
 * takes. Main finds the checkpoint; a short-lived worker process rolls the episodes out.
 */
export const FAN_MAX_EPISODES = 64;

export const FanArgs = z.object({
  run: NetworkSource,
  /** The start state: the environment's own reset from a seed (an evaluation's start seed gives its start), or a full state. */
  start: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('seed'), seed: z.number().int().min(0).max(2 ** 31 - 1) }),
    z.object({ kind: z.literal('state'), state: z.array(z.number()).min(1).max(512) }),
  ]),
  /** K: how many stochastic episodes. */
  count: z.number().int().min(1).max(FAN_MAX_EPISODES).default(16),
  /** Stochastic episode k (0..K-1) samples its actions with the seed samplingSeed + k. */
  samplingSeed: z.number().int().min(0).max(2 ** 31 - 1 - FAN_MAX_EPISODES).default(0),
  /** At most this many steps per episode (default and cap: the environment's episode limit). */
  steps: z.number().int().min(1).max(5000).optional(),
});
export type FanArgs = z.input<typeof FanArgs>;

export const FanEpisode = z.object({
  /** null: the deterministic episode. */
  samplingSeed: z.number().int().nullable(),
  length: z.number().int(),
  /** (length + 1) x stateDim, row-major. */
  states: z.array(z.number()),
  rewards: z.array(z.number()),
  return: z.number(),
  terminated: z.boolean(),
  truncated: z.boolean(),
  /** The dynamics produced a non-finite value: the episode stops before that step. */
  nonFinite: z.boolean(),
});
export type FanEpisode = z.infer<typeof FanEpisode>;

export const FanResult = z.object({
  runId: z.number().int(),
  step: z.number().int(),
  algo: z.string(),
  envId: z.string(),
  variant: z.string(),
  /** What acted: 'run 3 (sac, seed 0) at step 20000'. */
  label: z.string(),
  /** Where the episodes start: 'reset from seed 11' or 'the given state'. */
  startLabel: z.string(),
  stateNames: z.array(z.string()),
  stateDim: z.number().int(),
  deterministic: FanEpisode,
  stochastic: z.array(FanEpisode),
});
export type FanResult = z.infer<typeof FanResult>;

export const analysisMethods = {
  'analysis.landscape': defineMethod({
    summary: 'Soft and plain Q landscapes, the policy and Boltzmann densities and AdaEnt\'s switch at one state of a stored checkpoint.',
    args: LandscapeArgs,
    result: LandscapeResult,
  }),
  'analysis.critical': defineMethod({
    summary: 'Per-step plain-Q peakedness, soft/plain cosine and critical steps along a recorded evaluation episode.',
    args: CriticalArgs,
    result: CriticalResult,
  }),
  'analysis.fan': defineMethod({
    summary: "A rollout fan of a stored checkpoint: from one start state, the policy's deterministic episode and K stochastic ones.",
    args: FanArgs,
    result: FanResult,
  }),
};
