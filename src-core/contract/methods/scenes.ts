// Contract methods of the Environments view and replays: preview rollouts (random, zero or constant
// action, computed by main; or a stored policy at one of its checkpoints, computed by a short-lived
// worker process so main loads no tfjs), and a run's checkpoints.
// Frames are drawn in the renderer from the returned full states (src-core/draw).
import { z } from 'zod';
import { defineMethod } from '../define.ts';
import { EvalMode, Id } from '../schemas.ts';

export const PreviewPolicy = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('random') }),
  z.object({ kind: z.literal('zero') }),
  z.object({ kind: z.literal('constant'), action: z.array(z.number()).min(1).max(16) }),
  z.object({
    kind: z.literal('checkpoint'),
    runId: Id,
    /** Global step of the checkpoint. */
    step: z.number().int().min(0),
    mode: EvalMode.default('deterministic'),
  }),
]);
export type PreviewPolicy = z.infer<typeof PreviewPolicy>;

export const PreviewArgs = z.object({
  envId: z.string().min(1),
  variant: z.string().optional(),
  params: z.record(z.string(), z.number()).default({}),
  policy: PreviewPolicy,
  /** Seed of the start state and of random actions (Rng stream 0: reset; stream 1: actions). */
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  /** Explicit full initial state (spec order); omitted: a random start from the seed. */
  initialState: z.array(z.number()).optional(),
  /** At most this many steps (default and cap: the environment's episode limit). */
  steps: z.number().int().min(1).max(5000).optional(),
});
export type PreviewArgs = z.input<typeof PreviewArgs>;

export const PreviewResult = z.object({
  envId: z.string(),
  variant: z.string(),
  params: z.record(z.string(), z.number()),
  seed: z.number().int(),
  policy: z.string(), // what acted, e.g. 'constant [0, 0]' or 'run 3 at step 20000 (deterministic)'
  stateNames: z.array(z.string()),
  actionNames: z.array(z.string()),
  length: z.number().int(), // T
  stateDim: z.number().int(),
  actDim: z.number().int(),
  states: z.array(z.number()), // (T + 1) x stateDim
  actions: z.array(z.number()), // T x actDim, environment units
  rewards: z.array(z.number()), // T
  rewardComponents: z.record(z.string(), z.array(z.number())),
  terminated: z.boolean(),
  truncated: z.boolean(),
  /** The dynamics produced a non-finite value: the episode stops before that step. */
  nonFinite: z.boolean(),
  return: z.number(),
});
export type PreviewResult = z.infer<typeof PreviewResult>;

export const sceneMethods = {
  'scenes.preview': defineMethod({
    summary: 'Roll out one episode for the Environments view and return full states, actions and reward components.',
    args: PreviewArgs,
    result: PreviewResult,
  }),
  'scenes.checkpoints': defineMethod({
    summary: 'The checkpoints a run stored (global step and size), for previews of a stored policy.',
    args: z.object({ runId: Id }),
    result: z.array(z.object({ step: z.number().int(), size: z.number().int() })),
  }),
};
