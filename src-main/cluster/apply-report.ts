// One report of a cluster task's run folder written into the store by the single writer: the same
// rows the run manager writes for a local worker's message (both through src-main/runs/worker-report.ts),
// plus the start of a reports file, which rolls the run back to the checkpoint that start resumed from
// (so a resumed or requeued task never records a step twice). Call inside a transaction.
import type { WorkerMessage } from '../../src-core/contract/worker-protocol.ts';
import type { Store } from '../store/index.ts';
import type { RunMetricsEvent } from '../runs/events.ts';
import { logRun, storeReady, storeRunReport, type Announce } from '../runs/worker-report.ts';
import type { SegmentHeader } from './run-folder.ts';

/** What applying reports learnt that decides the run's status afterwards. */
export interface ApplyState {
  /** The task said `ready` (it loaded the engine and started training). */
  ready: boolean;
  /** The `done` outcome of the current reports file, if it has one. */
  outcome: 'completed' | 'paused' | 'cancelled' | null;
  /** The task's own error message, if it reported one. */
  error: string | null;
  /** Latest point per metric key since the last summary (for Live). */
  summary: Map<string, RunMetricsEvent['points'][number]>;
  /** Log lines to announce. */
  logs: { level: 'info' | 'warn' | 'error'; message: string }[];
  /** The header of the reports file being read (its seed group, the step it resumed from). */
  header: SegmentHeader | null;
}

export function newApplyState(): ApplyState {
  return { ready: false, outcome: null, error: null, summary: new Map(), logs: [], header: null };
}

/** Store a log line and keep it for the ingester's log events. */
function noter(st: ApplyState): Announce {
  return (level, message) => st.logs.push({ level, message });
}

/** A new reports file: forget what the run recorded after the checkpoint this start resumed from. */
export function applySegmentStart(store: Store, runId: number, h: SegmentHeader, st: ApplyState): void {
  store.rollbackAfter(runId, h.resumeFrom);
  if (h.checkpoint) store.checkpoints.insert(runId, h.resumeFrom, h.checkpoint.file, h.checkpoint.size);
  store.runs.resetLastEval(runId);
  for (const mode of ['deterministic', 'stochastic'] as const) {
    const last = store.evaluations.list(runId, mode).at(-1);
    if (last) store.runs.setLastEval(runId, mode, last.meanReturn);
  }
  st.ready = false;
  st.outcome = null;
  st.error = null;
  st.header = h;
  const where = `Slurm job ${h.jobId ?? '?'} task ${h.taskId ?? '?'} on ${h.host}${h.restarts > 0 ? `, requeued ${h.restarts}x` : ''}`;
  logRun(store, runId, noter(st), 'info', h.resumeFrom >= 0 ? `resuming from the checkpoint at step ${h.resumeFrom} (${where})` : `started (${where})`);
}

export function applyReport(store: Store, runId: number, m: WorkerMessage, st: ApplyState): void {
  const announce = noter(st);
  switch (m.type) {
    case 'ready': {
      st.ready = true;
      const before = store.runs.require(runId);
      const ctx = { requested: before.config.backend ?? 'auto', fromStep: Math.max(0, st.header?.resumeFrom ?? 0), group: st.header?.group ?? [runId] };
      storeReady(store, runId, m, ctx, announce);
      if (before.status !== 'running') store.runs.markStarted(runId, null);
      break;
    }
    case 'error':
      st.error = m.message;
      storeRunReport(store, runId, m, announce);
      break;
    case 'done':
      st.outcome = m.outcome;
      store.runs.setGlobalStep(runId, m.globalStep);
      break;
    default: {
      // the rows every report writes, shared with the run manager (progress goes to the heartbeat file)
      const { points, dropped } = storeRunReport(store, runId, m, announce);
      if (dropped > 0) logRun(store, runId, announce, 'warn', `${dropped} metric points arrived at or before their key's last step and were dropped`);
      for (const p of points) st.summary.set(p.key, p);
    }
  }
}
