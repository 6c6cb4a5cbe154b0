// One report of a cluster task's run folder written into the store by the single writer: the same
// rows the run manager writes for a local worker's message (src-main/runs/manager.ts, handle), plus
// the start of a reports file, which rolls the run back to the checkpoint that start resumed from
// (so a resumed or requeued task never records a step twice). Call inside a transaction.
import { decodeEpisodes, decodeMetrics, decodeTrajectory, type WorkerMessage } from '../../src-core/contract/worker-protocol.ts';
import type { Store } from '../store/index.ts';
import type { RunMetricsEvent } from '../runs/events.ts';
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
}

export function newApplyState(): ApplyState {
  return { ready: false, outcome: null, error: null, summary: new Map(), logs: [] };
}

function log(store: Store, runId: number, st: ApplyState, level: 'info' | 'warn' | 'error', message: string): void {
  store.logs.insert(runId, level, message);
  st.logs.push({ level, message });
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
  const where = `Slurm job ${h.jobId ?? '?'} task ${h.taskId ?? '?'} on ${h.host}${h.restarts > 0 ? `, requeued ${h.restarts}x` : ''}`;
  log(store, runId, st, 'info', h.resumeFrom >= 0 ? `resuming from the checkpoint at step ${h.resumeFrom} (${where})` : `started (${where})`);
}

export function applyReport(store: Store, runId: number, m: WorkerMessage, st: ApplyState): void {
  switch (m.type) {
    case 'ready': {
      st.ready = true;
      const before = store.runs.require(runId);
      const versions: Record<string, string> = { ...m.versions, backendRequested: m.backendRequested ?? 'auto' };
      if (m.backendFallback) versions.backendFallback = m.backendFallback;
      if (before.backend && before.backend !== m.backend) {
        versions.backendEarlier = before.versions?.backendEarlier ?? before.backend;
        log(store, runId, st, 'warn', `this run continues on ${m.backend}; its steps before ran on ${before.backend} (metrics mix two backends)`);
      }
      store.runs.setReady(runId, m.backend, versions);
      if (before.status !== 'running') store.runs.markStarted(runId, null);
      log(store, runId, st, 'info', `backend ${m.backend}${m.backendReason ? ` (${m.backendReason})` : ''}`);
      if (m.backendFallback) log(store, runId, st, 'warn', `backend ${versions.backendRequested} was requested but could not start (${m.backendFallback}); this run uses ${m.backend} instead`);
      break;
    }
    case 'metrics': {
      const points = decodeMetrics(m);
      const r = store.metrics.append(runId, points);
      if (r.dropped > 0) log(store, runId, st, 'warn', `${r.dropped} metric points arrived at or before their key's last step and were dropped`);
      for (const p of points) st.summary.set(p.key, p);
      break;
    }
    case 'episodes':
      for (const e of decodeEpisodes(m)) store.episodes.insert(runId, e);
      break;
    case 'evaluation': {
      const returns = m.returns.map((r) => r ?? Number.NaN);
      const rec = store.evaluations.insert(runId, { step: m.step, mode: m.mode, returns, lengths: m.lengths, startSeeds: m.startSeeds, wallTime: m.wallTime });
      store.runs.setLastEval(runId, m.mode, rec.meanReturn);
      break;
    }
    case 'trajectory':
      store.trajectories.insert(runId, decodeTrajectory(m));
      break;
    case 'checkpoint':
      store.checkpoints.insert(runId, m.step, m.file, m.size);
      store.runs.setGlobalStep(runId, m.step);
      break;
    case 'log':
      log(store, runId, st, m.level, m.message);
      break;
    case 'error':
      st.error = m.message;
      store.logs.insert(runId, 'error', m.stack ?? m.message);
      st.logs.push({ level: 'error', message: m.message });
      break;
    case 'done':
      st.outcome = m.outcome;
      store.runs.setGlobalStep(runId, m.globalStep);
      break;
    case 'progress':
    case 'ack':
    case 'preview':
      break; // progress goes to the heartbeat file; the others never reach a run folder
  }
}
