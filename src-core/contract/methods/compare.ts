// Contract methods of the Compare and Analysis views and of reproduction bundles: the runs of a
// selection, aggregated curves with bands on a common grid (with member runs, raw and smoothed),
// final-performance tables with stratified-bootstrap intervals and the P(improvement) matrix,
// performance profiles, evaluation mode comparisons, config diffs, bundle export and import.
// Numbers travel as JSON: a statistic that is undefined (NaN, e.g. no run at a grid step) is null.
import { z } from 'zod';
import { defineMethod } from '../define.ts';
import { EvalMode, Id } from '../schemas.ts';

const Num = z.number().nullable();

/** Which runs: a whole experiment, or an explicit list of run ids (exactly one of them). */
export const Selection = z
  .object({ experimentId: Id.optional(), runIds: z.array(Id).min(1).max(1000).optional() })
  .refine((s) => (s.experimentId === undefined) !== (s.runIds === undefined), {
    message: 'give exactly one of experimentId and runIds',
    path: ['experimentId'],
  });
export type Selection = z.input<typeof Selection>;

/** algo | label (algorithm entry label of the experiment) | env | config:<dotted key of the resolved run config> */
export const GroupBy = z
  .string()
  .regex(/^(algo|label|env|config:[A-Za-z0-9_.\-]+)$/, 'group by algo, label, env or config:<key>')
  .default('algo');

export const BootstrapArgs = z.object({
  resamples: z.number().int().min(50).max(20000).default(2000),
  confidence: z.number().min(0.5).max(0.999).default(0.95),
  seed: z.number().int().default(0),
});

/** A step window of a metric, from < step <= to; to null: to the end (JSON has no Infinity). */
export const MetricWindowArgs = z
  .object({ from: z.number().int().min(0), to: z.number().int().positive().nullable() })
  .refine((w) => w.to === null || w.to > w.from, { message: 'to must be greater than from', path: ['to'] });

/** What a panel plots: a metric key, or the evaluation return in one mode (from the evaluations). */
export const PanelSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('metric'), key: z.string().min(1) }),
  z.object({ kind: z.literal('eval'), mode: EvalMode }),
]);
export type PanelSource = z.infer<typeof PanelSource>;

export const CompareRun = z.object({
  id: Id,
  experimentId: Id.nullable(),
  envId: z.string(),
  variant: z.string(),
  env: z.string(),
  algo: z.string(),
  seed: z.number().int(),
  status: z.string(),
  globalStep: z.number(),
  group: z.string(),
  /** SAC's entropy target when alpha is learned (config value, or -dim(A)); null otherwise. */
  targetEntropy: z.number().nullable(),
});
export type CompareRun = z.infer<typeof CompareRun>;

export const Curve = z.object({
  group: z.string(),
  runIds: z.array(Id),
  x: z.array(z.number()),
  center: z.array(Num),
  lower: z.array(Num),
  upper: z.array(Num),
  n: z.array(z.number().int()),
  /** "IQM, band: 95% bootstrap CI (500 resamples), N = 5" */
  legend: z.string(),
});
export type Curve = z.infer<typeof Curve>;

export const MemberSeries = z.object({
  runId: Id,
  group: z.string(),
  x: z.array(z.number()),
  raw: z.array(z.number()),
  /** The smoothed series (empty when smoothing is 0); down-sampled on its own x positions. */
  smoothedX: z.array(z.number()),
  smoothed: z.array(z.number()),
});
export type MemberSeries = z.infer<typeof MemberSeries>;

export const Panel = z.object({
  source: PanelSource,
  /** e.g. "evaluation return (deterministic)" or "policy/entropy" */
  title: z.string(),
  curves: z.array(Curve),
  members: z.array(MemberSeries),
  /** Runs with no data for this panel. */
  missing: z.array(Id),
});
export type Panel = z.infer<typeof Panel>;

const IntervalJson = z.object({ point: Num, lower: Num, upper: Num });

export const FinalRowJson = z.object({
  env: z.string(),
  group: z.string(),
  n: z.number().int(),
  iqm: Num,
  iqmCI: IntervalJson,
  mean: Num,
  median: Num,
  std: Num,
  stderr: Num,
  min: Num,
  max: Num,
  /** Steps of the scored records: one step unless unfinished runs were included (null: unknown). */
  stepMin: Num,
  stepMax: Num,
  runIds: z.array(z.string()),
  /** Each run's score, in runIds order. */
  scores: z.array(z.number()),
});

export const FinalTableJson = z.object({
  scoreLabel: z.string(),
  envs: z.array(z.string()),
  groups: z.array(z.string()),
  rows: z.array(FinalRowJson),
  improvement: z.array(z.array(z.object({ x: z.string(), y: z.string(), envs: z.array(z.string()), probability: IntervalJson }).nullable())),
  resamples: z.number().int(),
  confidence: z.number(),
  seed: z.number().int(),
});
export type FinalTableJson = z.infer<typeof FinalTableJson>;

export const ProfileJson = z.object({
  /** 'raw' for one environment; 'normalised' (min-max per environment) when pooling several. */
  scale: z.enum(['raw', 'normalised']),
  ranges: z.record(z.string(), z.object({ min: z.number(), max: z.number(), source: z.string() })),
  taus: z.array(z.number()),
  groups: z.array(z.object({ group: z.string(), n: z.number().int(), fraction: z.array(Num), lower: z.array(Num), upper: z.array(Num) })),
});

/** rliable's aggregates over the environments every group ran, on the profile's normalised scores (null: fewer than two). */
export const AcrossTasksJson = z.object({
  envs: z.array(z.string()),
  left: z.array(z.object({ env: z.string(), missing: z.array(z.string()) })),
  groups: z.array(z.object({ group: z.string(), runs: z.number().int(), mean: IntervalJson, median: IntervalJson, iqm: IntervalJson, optimalityGap: IntervalJson })),
});

export const FinalReport = z.object({
  mode: EvalMode.nullable(),
  metric: z.string(),
  table: FinalTableJson,
  excluded: z.array(z.object({ runId: Id, group: z.string(), env: z.string(), reason: z.string() })),
  profile: ProfileJson,
  acrossTasks: AcrossTasksJson.nullable(),
});
export type FinalReport = z.infer<typeof FinalReport>;

/** Toy runs with their alpha and the branch their last evaluation in one mode ends on (the Analysis view's toy solver). */
export const ToyRunList = z.array(
  z.object({
    runId: Id,
    algo: z.string(),
    seed: z.number().int(),
    /** The fixed entropy coefficient (null for PPO / automatic alpha without a logged value). */
    alpha: Num,
    alphaSource: z.string(),
    mode: EvalMode,
    /** null: a non-finite return (NaN or infinite). */
    finalReturn: Num,
    /** 'good' (+1), 'safe' (-1), 'fail' (-20), 'mixed' (episodes ended on different branches) or 'non-finite' (a NaN or infinite return). */
    branch: z.enum(['good', 'safe', 'fail', 'mixed', 'non-finite']),
    step: z.number(),
  }),
);

/** The x-axis of the curves. */
export const CurveX = z.enum(['step', 'learning', 'wall']);
export type CurveX = z.infer<typeof CurveX>;

export const compareMethods = {
  'compare.runs': defineMethod({
    summary: 'The runs of a selection with their group label, and the config keys that differ between them (for grouping).',
    args: z.object({ selection: Selection, groupBy: GroupBy }),
    result: z.object({ runs: z.array(CompareRun), groupKeys: z.array(z.string()), metricKeys: z.array(z.string()) }),
  }),
  'compare.curves': defineMethod({
    summary: 'Per panel and group: the aggregate line and band on a common grid (N per step), and member runs raw and smoothed.',
    args: z.object({
      selection: Selection,
      groupBy: GroupBy,
      panels: z.array(PanelSource).min(1).max(12),
      /** step: global_step (warm-up included); learning: steps after the off-policy warm-up (as the reference's curves); wall: seconds. */
      x: CurveX.default('step'),
      /** TensorBoard smoothing weight, applied to each run at full resolution before anything else. */
      smoothing: z.number().min(0).max(0.999).default(0),
      statistic: z.enum(['mean', 'median', 'iqm']).default('iqm'),
      band: z.enum(['bootstrap', 'std', 'stderr', 'minmax', 'iqr', 'none']).default('bootstrap'),
      gridPoints: z.number().int().min(10).max(5000).default(400),
      members: z.boolean().default(false),
      maxPoints: z.number().int().min(50).max(20000).default(1000),
      bootstrap: BootstrapArgs.default({ resamples: 500, confidence: 0.95, seed: 0 }),
    }),
    result: z.object({ panels: z.array(Panel), x: CurveX, smoothing: z.number() }),
  }),
  'compare.final': defineMethod({
    summary: 'Final-performance table (IQM with stratified-bootstrap CI, mean, std, N), P(improvement) matrix and performance profiles.',
    args: z.object({
      selection: Selection,
      groupBy: GroupBy,
      mode: EvalMode.default('deterministic'),
      /** A metric key instead of the evaluation return (then mode is not used). */
      metric: z.string().min(1).optional(),
      /** Score runs of any status, each at its last record; default: completed runs at the group's final step (issue 18). */
      includeUnfinished: z.boolean().default(false),
      /** Evaluation return only: each run's score is the mean over its last K evaluations (1: the last alone). */
      lastEvals: z.number().int().min(1).max(100).default(1),
      /** With `metric`: each run's score is the mean of the key's values logged at from < step <= to (to null: no end), not its last value. */
      metricWindow: MetricWindowArgs.optional(),
      bootstrap: BootstrapArgs.default({ resamples: 2000, confidence: 0.95, seed: 0 }),
      profilePoints: z.number().int().min(5).max(500).default(60),
      ranges: z.record(z.string(), z.object({ min: z.number(), max: z.number() }).refine((r) => r.max > r.min, { message: 'max must be greater than min', path: ['max'] })).default({}),
    }),
    result: FinalReport,
  }),
  'compare.configDiff': defineMethod({
    summary: 'The resolved configs of several runs side by side, optionally only the keys that differ.',
    args: z.object({ runIds: z.array(Id).min(1).max(50), differencesOnly: z.boolean().default(true) }),
    result: z.object({ runIds: z.array(Id), rows: z.array(z.object({ key: z.string(), values: z.array(z.string()), differs: z.boolean() })) }),
  }),
  'compare.toyRuns': defineMethod({
    summary: 'Toy-environment runs with their alpha and the branch their last evaluation in one mode ends on (for the Analysis view).',
    /** mode: only runs evaluated in this mode are listed; never a fallback to the other mode (issue 18). */
    args: z.object({ experimentId: Id.optional(), mode: EvalMode.default('deterministic') }),
    result: ToyRunList,
  }),
  'bundle.export': defineMethod({
    summary: 'The reproduction bundle of an experiment (one gzip file, base64 here).',
    args: z.object({ experimentId: Id }),
    result: z.object({ fileName: z.string(), size: z.number().int(), sha256: z.string(), base64: z.string() }),
  }),
  'bundle.import': defineMethod({
    summary: 'Load a reproduction bundle into this store; a corrupt or newer bundle is refused and nothing changes.',
    args: z.object({ base64: z.string().min(1), fileName: z.string().optional() }),
    result: z.object({ experimentId: Id, name: z.string(), runIds: z.array(Id) }),
  }),
};
