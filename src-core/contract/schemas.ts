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

/** Mean return of a run's latest evaluation in each mode it was evaluated in (null: not finite). */
export const LastEval = z.partialRecord(EvalMode, z.number().nullable());

/** Seconds since the Unix epoch. */
export const Timestamp = z.number();

/** Where a run placed on a Slurm cluster is (src-main/cluster): its job array task and Slurm's state. */
export const SlurmPlacement = z.object({
  engine: z.literal('slurm'),
  jobId: z.string().nullable(),
  taskId: z.number().int().nullable(),
  /** Submissions of this run (1, then +1 per resume). */
  attempt: z.number().int(),
  /** Slurm's state as last seen (PENDING, RUNNING, COMPLETED, TIMEOUT, ...), with its reason or exit code. */
  state: z.string().nullable(),
  stateReason: z.string().nullable(),
  stateAt: Timestamp.nullable(),
  /** The run folder the task writes, in the cluster's shared folder. */
  folder: z.string(),
  /** Time of the task's last heartbeat in that folder, for a running run (null: none yet); see cluster-heartbeat.ts. */
  heartbeatAt: Timestamp.nullable().optional(),
});
export type SlurmPlacement = z.infer<typeof SlurmPlacement>;

/** One row of the runs table. */
export const RunRow = z.object({
  id: Id,
  experimentId: Id.nullable(),
  label: z.string(),
  envId: z.string(),
  variant: z.string(),
  algo: z.string(),
  preset: z.string(),
  seed: z.number().int(),
  status: RunStatus,
  reason: z.string().nullable(),
  globalStep: z.number(),
  totalSteps: z.number(),
  /** Key hyperparameters shown as columns (alpha, gamma, learning rate, batch size, hidden sizes). */
  hyper: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
  lastEval: LastEval,
  tags: z.array(z.string()),
  notes: z.string(),
  /** Tensor backend used (null until a worker started). */
  backend: z.string().nullable(),
  /** Tensor backend the run asked for (auto, tensorflow, wasm, cpu). */
  backendRequested: z.string().optional(),
  /** Set when the requested backend could not start and `backend` is the fallback: why. */
  backendFallback: z.string().nullable().optional(),
  /** Set when the run was resumed on another backend: the one its earlier steps ran on. */
  backendEarlier: z.string().nullable().optional(),
  createdAt: Timestamp,
  startedAt: Timestamp.nullable(),
  endedAt: Timestamp.nullable(),
  /** Set for a run placed on a Slurm cluster (absent: a local run). */
  slurm: SlurmPlacement.optional(),
});
export type RunRow = z.infer<typeof RunRow>;

/** A run with its full resolved config and reproducibility record. */
export const RunDetail = RunRow.extend({
  params: z.record(z.string(), z.number()),
  config: z.record(z.string(), z.unknown()),
  versions: z.record(z.string(), z.string().optional()),
});
export type RunDetail = z.infer<typeof RunDetail>;

export const SortDir = z.enum(['asc', 'desc']);
