// The manifest of a reproduction bundle (format version 1): the experiment, and per run its record
// (config, seeds, versions, status), metrics (columnar float64 blobs per key), evaluations (JSON),
// training episodes, evaluation trajectories (typed-array blobs) and its last checkpoint (bytes).
// Validated with zod on import, so a malformed manifest is refused before anything is written.
import { z } from 'zod';

const Ref = z.object({ offset: z.number().int().min(0), length: z.number().int().min(0) });
const NumOrNull = z.number().nullable(); // JSON turns NaN into null

export const MetricBlock = z.object({ key: z.string().min(1), count: z.number().int().min(0), step: Ref, wallTime: Ref, value: Ref });

export const EvaluationEntry = z.object({
  step: z.number(),
  mode: z.enum(['deterministic', 'stochastic']),
  returns: z.array(NumOrNull),
  lengths: z.array(z.number()),
  startSeeds: z.array(z.number()),
  wallTime: z.number(),
});

export const TrajectoryEntry = z.object({
  step: z.number(),
  mode: z.enum(['deterministic', 'stochastic']),
  episode: z.number().int(),
  startSeed: z.number(),
  length: z.number().int().min(0),
  obsDim: z.number().int().min(0),
  actDim: z.number().int().min(0),
  stateDim: z.number().int().min(0),
  componentNames: z.array(z.string()),
  observations: Ref,
  actions: Ref,
  rewards: Ref,
  components: Ref,
  logProbs: Ref,
  entropies: Ref,
  states: Ref,
});

export const RunEntry = z.object({
  sourceId: z.number().int(),
  label: z.string(),
  envId: z.string().min(1),
  variant: z.string(),
  envParams: z.record(z.string(), z.number()),
  algo: z.string().min(1),
  preset: z.string(),
  seed: z.number().int(),
  /** The full resolved RunConfig. */
  config: z.record(z.string(), z.unknown()),
  backend: z.string().nullable(),
  versions: z.record(z.string(), z.string().optional()).nullable(),
  status: z.enum(['queued', 'running', 'paused', 'completed', 'failed', 'cancelled', 'interrupted']),
  reason: z.string().nullable(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  globalStep: z.number(),
  totalSteps: z.number(),
  lastEval: z.record(z.string(), NumOrNull),
  notes: z.string(),
  tags: z.array(z.string()),
  metrics: z.array(MetricBlock),
  evaluations: z.array(EvaluationEntry),
  episodes: z.object({ count: z.number().int().min(0), step: Ref, return: Ref, length: Ref, wallTime: Ref }),
  trajectories: z.array(TrajectoryEntry),
  checkpoint: z.object({ step: z.number(), size: z.number().int().min(0), sha256: z.string(), bytes: Ref }).nullable(),
});
export type RunEntry = z.infer<typeof RunEntry>;

export const Manifest = z.object({
  format: z.literal('maxent-lab-bundle'),
  version: z.literal(1),
  createdAt: z.string(),
  producer: z.record(z.string(), z.string()),
  experiment: z.object({
    sourceId: z.number().int(),
    name: z.string(),
    description: z.string(),
    spec: z.unknown(),
    source: z.string().nullable(),
    tags: z.array(z.string()),
    notes: z.string(),
    createdAt: z.number(),
  }),
  runs: z.array(RunEntry),
  /** Present in a compact bundle (results/): what was down-sampled or left out. */
  compact: z
    .object({ maxMetricPoints: z.number(), maxEpisodes: z.number(), maxCheckpointBytes: z.number(), note: z.string() })
    .optional(),
  /** Present in a campaign piece (campaign/): an unfinished experiment written to be continued. */
  piece: z.object({ note: z.string() }).optional(),
});
export type Manifest = z.infer<typeof Manifest>;
