// Contract methods about runs: the table, one run, and its control (start, pause, resume,
// cancel, delete), tags and notes, the in-memory log tail, and each run's evaluation curve summarised
// (last, best, mean of the last K, area per step: src-core/stats/eval-summary.ts).
import { z } from 'zod';
import { defineMethod } from '../define.ts';
import { EVAL_SUMMARY_KINDS } from '../../stats/eval-summary.ts';
import { EvalMode, Id, IdArgs, RunDetail, RunRow, RunStatus, SortDir } from '../schemas.ts';

export const RunsQuery = z.object({
  experimentId: Id.optional(),
  envId: z.string().optional(),
  algo: z.string().optional(),
  status: RunStatus.optional(),
  tag: z.string().optional(),
  /** `config.<path> = value` conditions, e.g. { path: 'algoConfig.alpha', value: 1 }. */
  config: z
    .array(z.object({ path: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*$/, 'a key path like algoConfig.gamma'), value: z.union([z.string(), z.number(), z.boolean()]) }))
    .max(16)
    .optional(),
  sort: z.enum(['id', 'envId', 'algo', 'seed', 'status', 'progress', 'createdAt']).default('id'),
  dir: SortDir.default('desc'),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(20000).default(1000),
});
export type RunsQuery = z.input<typeof RunsQuery>;

const Ack = z.object({ id: Id, status: RunStatus });

export const EvalSummarySpec = z.object({
  kind: z.enum(EVAL_SUMMARY_KINDS as ['last', 'best', 'mean-last', 'auc']),
  /** mean-last: how many of the last evaluations. */
  k: z.number().int().min(1).max(1000).optional(),
});

export const EvalSummaryRow = z.object({
  runId: Id,
  /** The mode summarised: deterministic where the run has deterministic evaluations, else stochastic. */
  mode: EvalMode,
  /** null: a non-finite evaluation in what the summary reads. */
  value: z.number().nullable(),
  fromStep: z.number().int(),
  toStep: z.number().int(),
  evaluations: z.number().int(),
});
export type EvalSummaryRow = z.infer<typeof EvalSummaryRow>;

export const runMethods = {
  'runs.list': defineMethod({
    summary: 'Runs filtered, sorted and paged, with the total count.',
    args: RunsQuery,
    result: z.object({ total: z.number().int(), rows: z.array(RunRow) }),
  }),
  'runs.get': defineMethod({ summary: 'One run with its full config.', args: IdArgs, result: RunDetail }),
  'runs.start': defineMethod({ summary: 'Queue a run that is not running.', args: IdArgs, result: Ack }),
  'runs.pause': defineMethod({ summary: 'Checkpoint and stop a running run; status paused.', args: IdArgs, result: Ack }),
  'runs.resume': defineMethod({ summary: 'Continue a paused or interrupted run from its checkpoint.', args: IdArgs, result: Ack }),
  'runs.cancel': defineMethod({ summary: 'Stop a run for good; status cancelled.', args: IdArgs, result: Ack }),
  'runs.delete': defineMethod({
    summary: 'Delete a run with its metrics, trajectories and checkpoint files.',
    args: IdArgs,
    result: z.object({ id: Id, deleted: z.literal(true) }),
  }),
  'runs.tag': defineMethod({
    summary: 'Replace the tags of a run.',
    args: z.object({ id: Id, tags: z.array(z.string().trim().min(1).max(64)).max(32) }),
    result: z.object({ id: Id, tags: z.array(z.string()) }),
  }),
  'runs.note': defineMethod({
    summary: 'Replace the notes of a run.',
    args: z.object({ id: Id, notes: z.string().max(10000) }),
    result: z.object({ id: Id, notes: z.string() }),
  }),
  'runs.log': defineMethod({
    summary: 'The last log lines of a run (time in seconds since the epoch).',
    args: z.object({ id: Id, tail: z.number().int().min(1).max(1000).default(100) }),
    result: z.array(z.object({ time: z.number(), level: z.string(), message: z.string() })),
  }),
  'runs.evalSummaries': defineMethod({
    summary: "Each run's evaluation return summarised (last, best, mean of the last K, area under the curve per step); runs without evaluations are left out.",
    args: z.object({ summary: EvalSummarySpec, runIds: z.array(Id).max(20000).optional() }),
    result: z.object({ label: z.string(), rows: z.array(EvalSummaryRow) }),
  }),
};
