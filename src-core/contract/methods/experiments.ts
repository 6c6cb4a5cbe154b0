// Contract methods about experiments: a grid of environments x algorithms x seeds with a budget
// and an evaluation schedule (schema: ./experiment.ts). Validate as the form changes, create
// (optionally launch), list, get, import and export YAML, and the bundled paper presets.
import { z } from 'zod';
import { defineMethod } from '../define.ts';
import { Id, RunStatus } from '../schemas.ts';

/** One problem of a spec, named by its field path, so the form shows it beside the field. */
export const SpecIssue = z.object({ path: z.string(), message: z.string() });

/** What an experiment expands to, and how long it should take here. */
export const Expansion = z.object({
  runs: z.number().int(),
  algorithms: z.number().int(),
  environments: z.number().int(),
  seeds: z.number().int(),
  totalSteps: z.number(),
  /** Seconds at the speed measured on this machine (null when nothing was measured yet). */
  estimatedSeconds: z.number().nullable(),
  /** Where the speed came from: 'measured' (finished runs here) or 'none'. */
  speedSource: z.enum(['measured', 'none']),
});
export type Expansion = z.infer<typeof Expansion>;

export const ExperimentRow = z.object({
  id: Id,
  name: z.string(),
  description: z.string(),
  createdAt: z.number(),
  notes: z.string(),
  runCount: z.number().int(),
  statusCounts: z.partialRecord(RunStatus, z.number().int()),
  tags: z.array(z.string()),
});

/** A Slurm time limit: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS. */
export const SLURM_TIME = /^(\d+-)?\d+(:\d{1,2}){0,2}$/;
/** A Slurm memory size: a number, megabytes unless K, M, G or T follows. */
export const SLURM_MEM = /^\d+[KMGT]?$/i;

/**
 * Send a launched experiment to a Slurm cluster instead of this machine (docs/cluster.md): the
 * shared folder DIR and the job options of `lab experiment run --on slurm`. Seed groups follow the
 * spec's seed_batch. Main checks the cluster (sbatch, partition, DIR shared and writable) before
 * anything is stored.
 */
export const SlurmTarget = z.object({
  workdir: z.string().trim().min(1, { message: 'the shared folder (DIR) the cluster nodes see is required' }),
  partition: z.string().trim().min(1).optional(),
  time: z.string().trim().regex(SLURM_TIME, { message: 'a Slurm time limit like 12:00:00 or 1-00:00:00' }).optional(),
  cpusPerTask: z.number().int().min(1).max(1024).optional(),
  mem: z.string().trim().regex(SLURM_MEM, { message: 'a Slurm memory size like 4G or 4000M' }).optional(),
  requeue: z.boolean().default(false),
});
export type SlurmTarget = z.infer<typeof SlurmTarget>;

/** The spec travels as plain JSON; main validates it with the experiment schema. */
const SpecJson = z.record(z.string(), z.unknown());

export const experimentMethods = {
  'experiments.validate': defineMethod({
    summary: 'Check a spec: every problem with its field path, and the expanded grid when valid.',
    args: z.object({ spec: z.unknown() }),
    result: z.object({ issues: z.array(SpecIssue), expansion: Expansion.nullable(), normalized: SpecJson.nullable() }),
  }),
  'experiments.create': defineMethod({
    summary: 'Store an experiment and its runs; with launch, queue every run here, or with slurm submit them to a Slurm cluster.',
    args: z
      .object({ spec: z.unknown(), launch: z.boolean().default(false), slurm: SlurmTarget.optional() })
      .refine((a) => a.slurm === undefined || a.launch, { message: 'sending to Slurm launches the runs: set launch', path: ['launch'] }),
    result: z.object({
      id: Id,
      runIds: z.array(Id),
      /** The job array the runs went to (with slurm): its id and the runs of each array task. */
      slurm: z.object({ jobId: z.string(), tasks: z.array(z.array(Id)) }).optional(),
    }),
  }),
  'experiments.list': defineMethod({
    summary: 'Every experiment with run counts per status.',
    args: z.object({}),
    result: z.array(ExperimentRow),
  }),
  'experiments.get': defineMethod({
    summary: 'One experiment with its spec.',
    args: z.object({ id: Id }),
    result: ExperimentRow.extend({ spec: SpecJson }),
  }),
  'experiments.importYaml': defineMethod({
    summary: 'Parse YAML (or JSON) text into a validated spec; nothing is stored.',
    args: z.object({ text: z.string().max(1_000_000) }),
    result: z.object({ spec: SpecJson }),
  }),
  'experiments.exportYaml': defineMethod({
    summary: 'A spec (given, or of a stored experiment) as YAML text.',
    args: z
      .object({ spec: z.unknown().optional(), id: Id.optional() })
      .refine((a) => (a.spec === undefined) !== (a.id === undefined), { message: 'give exactly one of spec and id', path: ['spec'] }),
    result: z.object({ text: z.string() }),
  }),
  'experiments.presets': defineMethod({
    summary: 'The bundled paper experiments (paper and quick budgets).',
    args: z.object({}),
    result: z.array(z.object({ name: z.string(), title: z.string(), spec: SpecJson })),
  }),
};
