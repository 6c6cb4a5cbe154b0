// Contract methods that read what runs recorded: metric series (down-sampled, extremes kept),
// evaluations, evaluation trajectories, and exports (CSV, SB3 layouts, JSON).
import { z } from 'zod';
import { defineMethod } from '../define.ts';
import { EvalMode, Id } from '../schemas.ts';

/** One metric of one run: parallel arrays, sorted by step. */
export const Series = z.object({
  runId: Id,
  key: z.string(),
  steps: z.array(z.number()),
  wallTimes: z.array(z.number()),
  /** null where the value was not finite (NaN). */
  values: z.array(z.number().nullable()),
  /** Points stored before down-sampling. */
  total: z.number().int(),
});
export type Series = z.infer<typeof Series>;

export const EvaluationRecord = z.object({
  step: z.number(),
  mode: EvalMode,
  returns: z.array(z.number()),
  lengths: z.array(z.number()),
  startSeeds: z.array(z.number()),
  /** Mean and (population) standard deviation of the episode returns; null if not finite. */
  mean: z.number().nullable(),
  std: z.number().nullable(),
  wallTime: z.number(),
});
export type EvaluationRecord = z.infer<typeof EvaluationRecord>;

export const TrajectoryMeta = z.object({
  id: Id,
  runId: Id,
  step: z.number(),
  mode: EvalMode,
  episode: z.number().int(),
  startSeed: z.number(),
  length: z.number().int(),
});

export const TrajectoryData = TrajectoryMeta.extend({
  obsDim: z.number().int(),
  actDim: z.number().int(),
  stateDim: z.number().int(),
  observations: z.array(z.number().nullable()),
  actions: z.array(z.number().nullable()),
  rewards: z.array(z.number().nullable()),
  rewardComponents: z.record(z.string(), z.array(z.number().nullable())),
  logProbs: z.array(z.number().nullable()),
  entropies: z.array(z.number().nullable()),
  states: z.array(z.number().nullable()),
});
export type TrajectoryData = z.infer<typeof TrajectoryData>;

export const metricMethods = {
  'metrics.keys': defineMethod({
    summary: 'The metric keys a run recorded.',
    args: z.object({ runId: Id }),
    result: z.array(z.string()),
  }),
  'metrics.series': defineMethod({
    summary: 'Series of several keys of several runs, each down-sampled to at most maxPoints (extremes kept).',
    args: z.object({
      runIds: z.array(Id).min(1).max(200),
      keys: z.array(z.string().min(1)).min(1).max(32),
      maxPoints: z.number().int().min(2).max(100000).default(1000),
    }),
    result: z.array(Series),
  }),
  'evaluations.list': defineMethod({
    summary: 'Every evaluation of a run (per-episode returns, both modes).',
    args: z.object({ runId: Id }),
    result: z.array(EvaluationRecord),
  }),
  'trajectories.list': defineMethod({
    summary: 'The recorded evaluation episodes of a run (metadata).',
    args: z.object({ runId: Id }),
    result: z.array(TrajectoryMeta),
  }),
  'trajectories.get': defineMethod({
    summary: 'One recorded evaluation episode with its per-step arrays.',
    args: z.object({ id: Id }),
    result: TrajectoryData,
  }),
  'exports.run': defineMethod({
    summary: 'Export a run or an experiment as files (csv: long format; sb3: monitor.csv and progress.csv; json: records).',
    args: z
      .object({ runId: Id.optional(), experimentId: Id.optional(), format: z.enum(['csv', 'sb3', 'json']) })
      .refine((a) => (a.runId === undefined) !== (a.experimentId === undefined), {
        message: 'give exactly one of runId and experimentId',
        path: ['runId'],
      }),
    result: z.object({ files: z.array(z.object({ name: z.string(), text: z.string() })) }),
  }),
  'exports.archive': defineMethod({
    summary: 'Export runs or an experiment in any format (csv, sb3, json, tensorboard) as one .tar.gz (base64 here), the files under a folder of its name.',
    args: z
      .object({ runIds: z.array(Id).min(1).max(1000).optional(), experimentId: Id.optional(), format: z.enum(['csv', 'sb3', 'json', 'tensorboard']) })
      .refine((a) => (a.runIds === undefined) !== (a.experimentId === undefined), {
        message: 'give exactly one of runIds and experimentId',
        path: ['runIds'],
      }),
    result: z.object({ fileName: z.string(), size: z.number().int(), base64: z.string() }),
  }),
};
