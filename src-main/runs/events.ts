// What the run manager announces; the app's IPC gateway and the lab server forward these as the
// contract's run.status / run.progress / run.metrics / run.log events (same payload shapes).
import type { EvalMode } from '../../src-core/train/types.ts';
import type { RunStatus } from '../store/index.ts';

export interface RunStatusEvent {
  runId: number;
  status: RunStatus;
  reason: string | null;
  globalStep: number;
}

export interface RunProgressEvent {
  runId: number;
  globalStep: number;
  totalSteps: number;
  sps: number;
  etaSeconds: number | null;
  episodes: number;
  lastEval: Partial<Record<EvalMode, number>>;
}

/** The latest point of every key that changed since the previous summary (throttled). */
export interface RunMetricsEvent {
  runId: number;
  points: { key: string; step: number; wallTime: number; value: number }[];
}

export interface RunLogEvent {
  runId: number;
  time: number;
  level: 'info' | 'warn' | 'error';
  message: string;
}

export interface ManagerEvents {
  status: [RunStatusEvent];
  progress: [RunProgressEvent];
  metrics: [RunMetricsEvent];
  log: [RunLogEvent];
  /** Nothing running and nothing queued. */
  idle: [];
}
