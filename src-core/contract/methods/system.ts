// Contract methods about the lab itself: tensor backend, database, queue and measured speed.
import { z } from 'zod';
import { defineMethod } from '../define.ts';

export const BackendInfo = z.object({
  /** tensorflow | wasm | cpu (what workers will use on this machine). */
  name: z.string(),
  /** Why a faster backend is not in use (empty when the fastest one is). */
  reason: z.string(),
  /** The WebGPU adapter Dawn finds here ('vendor architecture (description)'), or null with the reason. */
  webgpu: z.object({ adapter: z.string().nullable(), software: z.boolean(), reason: z.string() }).optional(),
});

export const SystemStatus = z.object({
  appVersion: z.string(),
  /** 'electron' in the desktop app, 'server' for `lab serve` in a browser. */
  host: z.enum(['electron', 'server']),
  backend: BackendInfo,
  dbPath: z.string(),
  runs: z.object({ active: z.number().int(), queued: z.number().int(), concurrency: z.number().int() }),
});
export type SystemStatus = z.infer<typeof SystemStatus>;

export const systemMethods = {
  'system.status': defineMethod({
    summary: 'Backend in use (and why not a faster one), database path, runs active and queued.',
    args: z.object({}),
    result: SystemStatus,
  }),
  'system.speed': defineMethod({
    summary: 'Effective environment steps per second of recent runs of an environment and algorithm here (steps over wall time; null if never run).',
    args: z.object({ envId: z.string(), algo: z.string() }),
    result: z.object({ sps: z.number().nullable(), runs: z.number().int() }),
  }),
};
