// Shared zod schemas of the app contract: ids, run statuses, evaluation modes, algorithms,
// and the run/experiment records the views show. Method files under ./methods build on these.
import { z } from 'zod';

export const RUN_STATUSES = ['queued', 'running', 'paused', 'completed', 'failed', 'cancelled', 'interrupted'] as const;
export const RunStatus = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatus>;

export const AlgoId = z.enum(['sac', 'sac-auto', 'sac-adaent', 'ppo', 'td3']);
export const EvalMode = z.enum(['deterministic', 'stochastic']);
export const PresetName = z.enum(['paper', 'quick']);

/** Positive integer ids (SQLite rowids). */
export const Id = z.number().int().positive();
export const IdArgs = z.object({ id: Id });

/** The last evaluation of a run: mean return and the mode it was evaluated in. */
export const LastEval = z.object({ step: z.number(), mode: EvalMode, mean: z.number() });

/** One row of the runs table. */
export const RunRow = z.object({
  id: Id,
  experimentId: Id.nullable(),
  experimentName: z.string().nullable(),
  envId: z.string(),
  variant: z.string(),
  algo: z.string(),
  preset: z.string(),
  seed: z.number().int(),
  status: RunStatus,
  reason: z.string().nullable(),
  globalStep: z.number(),
  totalSteps: z.number(),
  /** Key hyperparameters shown as columns (gamma, learning rate, alpha, ...). */
  hyper: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
  lastEval: z.array(LastEval),
  tags: z.array(z.string()),
  notes: z.string(),
  backend: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
});
export type RunRow = z.infer<typeof RunRow>;

/** A run with its full resolved config and reproducibility record. */
export const RunDetail = RunRow.extend({
  params: z.record(z.string(), z.number()),
  config: z.record(z.string(), z.unknown()),
  versions: z.record(z.string(), z.string()),
});
export type RunDetail = z.infer<typeof RunDetail>;

export const SortDir = z.enum(['asc', 'desc']);
