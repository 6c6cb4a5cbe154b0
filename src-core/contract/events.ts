// Events main pushes to the renderer (over IPC in the app, over the WebSocket from `lab serve`).
// Progress and metric summaries are throttled by main; the renderer never polls for them.
import { z } from 'zod';
import { defineEvent } from './define.ts';
import { EvalMode, Id, RunStatus } from './schemas.ts';

export const EVENTS = {
  'run.status': defineEvent({
    summary: 'A run changed status (queued, running, paused, completed, failed, cancelled, interrupted).',
    payload: z.object({ runId: Id, status: RunStatus, reason: z.string().nullable(), globalStep: z.number() }),
  }),
  'run.progress': defineEvent({
    summary: 'Progress of a running run (at most a few per second per run).',
    payload: z.object({
      runId: Id,
      globalStep: z.number(),
      totalSteps: z.number(),
      /** Environment steps per second (moving average). */
      sps: z.number(),
      /** Seconds left at that speed (null before the speed is known). */
      etaSeconds: z.number().nullable(),
      episodes: z.number(),
      lastEval: z.partialRecord(EvalMode, z.number()),
    }),
  }),
  'run.metrics': defineEvent({
    summary: 'New metric points of a run since the last event (down-sampled per key, throttled).',
    payload: z.object({
      runId: Id,
      points: z.array(z.object({ key: z.string(), step: z.number(), wallTime: z.number(), value: z.number().nullable() })),
    }),
  }),
  'run.log': defineEvent({
    summary: 'A log line of a run.',
    payload: z.object({ runId: Id, time: z.number(), level: z.string(), message: z.string() }),
  }),
  'app.navigate': defineEvent({
    summary: 'The desktop menu asks the renderer to show a view.',
    payload: z.object({ view: z.enum(['design', 'runs', 'live', 'compare', 'environments', 'analysis', 'paper']) }),
  }),
  'runs.changed': defineEvent({
    summary: 'Runs or experiments were created, deleted, tagged or annotated (reload the tables).',
    payload: z.object({ runIds: z.array(Id) }),
  }),
};
export type Events = typeof EVENTS;
export type EventName = keyof Events;
