// Contract methods about environments (from src-core/envs/registry.ts) and per-task presets.
import { z } from 'zod';
import { defineMethod } from '../define.ts';
import { AlgoId, PresetName } from '../schemas.ts';

export const ParamSpecSchema = z.object({
  name: z.string(),
  default: z.number(),
  unit: z.string(),
  min: z.number(),
  max: z.number(),
  description: z.string(),
  integer: z.boolean().optional(),
});

export const EnvSummary = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  variants: z.array(z.object({ name: z.string(), description: z.string() })),
  defaultVariant: z.string(),
  params: z.array(ParamSpecSchema),
});
export type EnvSummary = z.infer<typeof EnvSummary>;

export const EnvDescription = EnvSummary.extend({
  variant: z.string(),
  observationDim: z.number().int(),
  action: z.object({ low: z.array(z.number()), high: z.array(z.number()) }),
  maxEpisodeSteps: z.number().int(),
  stateNames: z.array(z.string()),
});
export type EnvDescription = z.infer<typeof EnvDescription>;

/** A task preset: the algorithm's resolved config and the run budget and schedule. */
export const PresetValue = z.object({
  envId: z.string(),
  algo: AlgoId,
  preset: PresetName,
  /** Environment steps in all: warmupSteps (uniform random actions, off-policy) + learningSteps. */
  totalSteps: z.number(),
  learningSteps: z.number(),
  warmupSteps: z.number(),
  evalInterval: z.number(),
  /** The algorithm's config fields with their preset values. */
  algoConfig: z.record(z.string(), z.unknown()),
  /** Why the preset differs from the paper (quick presets), from src-core/presets. */
  notes: z.string(),
});
export type PresetValue = z.infer<typeof PresetValue>;

export const envMethods = {
  'envs.list': defineMethod({
    summary: 'Every environment with its variants and parameters (unit, range, description).',
    args: z.object({}),
    result: z.array(EnvSummary),
  }),
  'envs.describe': defineMethod({
    summary: 'One environment in one variant: spaces, episode limit and state names.',
    args: z.object({ id: z.string().min(1), variant: z.string().optional() }),
    result: EnvDescription,
  }),
  'presets.get': defineMethod({
    summary: 'The per-task preset (paper or quick) of an algorithm on an environment.',
    args: z.object({ envId: z.string().min(1), algo: AlgoId, preset: PresetName }),
    result: PresetValue,
  }),
};
