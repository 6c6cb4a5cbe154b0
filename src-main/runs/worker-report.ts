// What a worker's report writes into the store, shared by the run manager (reports of a local
// worker over IPC, ./manager.ts) and the cluster ingester (reports read from a Slurm task's run
// folder, src-main/cluster/apply-report.ts): the same rows either way. Each caller keeps what is its
// own (progress events, metric summaries, checkpoint pruning, the run's end). Call inside a
// transaction. `announce` receives each log line written, for the caller's log events.
import { decodeEpisodes, decodeMetrics, decodeTrajectory, type WorkerMessage } from '../../src-core/contract/worker-protocol.ts';
import type { MetricPoint } from '../../src-core/train/types.ts';
import type { Store } from '../store/index.ts';

export type LogLevel = 'info' | 'warn' | 'error';
export type Announce = (level: LogLevel, message: string) => void;

/** Store a log line of a run and announce it. */
export function logRun(store: Store, runId: number, announce: Announce, level: LogLevel, message: string): void {
  store.logs.insert(runId, level, message);
  announce(level, message);
}

export interface ReadyContext {
  /** The backend the run asked for (when the worker does not say). */
  requested: string;
  /** The step the run (re)starts at, for the note on a backend change. */
  fromStep: number;
  /** All runs of its worker or task (a seed group when more than one). */
  group: readonly number[];
  appVersion?: string;
}

/** The worker's `ready` for one of its runs: backend used, versions, and notes on fallback, a backend change and the seed group. */
export function storeReady(store: Store, runId: number, m: Extract<WorkerMessage, { type: 'ready' }>, ctx: ReadyContext, announce: Announce): void {
  // The backend used is the run's `backend`; what was asked for, and why it could not be had, go
  // beside the versions (src-core/contract/README.md, "Tensor backend of a run").
  const before = store.runs.require(runId);
  const versions: Record<string, string> = { ...m.versions };
  if (ctx.appVersion) versions.app ??= ctx.appVersion;
  versions.backendRequested = m.backendRequested ?? ctx.requested;
  if (m.backendFallback) versions.backendFallback = m.backendFallback;
  // a run resumed on another backend than its earlier part: its metrics mix two backends
  const earlier = before.versions?.backendEarlier ?? (before.backend && before.backend !== m.backend ? before.backend : undefined);
  if (earlier) versions.backendEarlier = earlier;
  if (before.backend && before.backend !== m.backend) {
    logRun(store, runId, announce, 'warn', `this run continues on ${m.backend} from step ${ctx.fromStep}; its steps before ran on ${before.backend} (metrics mix two backends)`);
  }
  if (ctx.group.length > 1) versions.seedGroup = ctx.group.join(',');
  store.runs.setReady(runId, m.backend, versions);
  logRun(store, runId, announce, 'info', `backend ${m.backend}${m.backendReason ? ` (${m.backendReason})` : ''}`);
  if (m.backendFallback) {
    logRun(store, runId, announce, 'warn', `backend ${versions.backendRequested} was requested but could not start (${m.backendFallback}); this run uses ${m.backend} instead`);
  }
  if (ctx.group.length > 1) {
    const others = ctx.group.filter((k) => k !== runId);
    logRun(store, runId, announce, 'info', `trained in one worker with run${others.length > 1 ? 's' : ''} ${others.join(', ')} (a seed group of ${ctx.group.length}, pid ${m.pid})`);
  }
}

/**
 * A per-run report's rows: metrics, training episodes, evaluations, trajectories, checkpoints, log
 * lines and errors. Returns the metric points stored and how many arrived too late and were dropped.
 */
export function storeRunReport(store: Store, runId: number, m: WorkerMessage, announce: Announce): { points: MetricPoint[]; dropped: number } {
  switch (m.type) {
    case 'metrics': {
      const points = decodeMetrics(m);
      return { points, dropped: store.metrics.append(runId, points).dropped };
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
      logRun(store, runId, announce, m.level, m.message);
      break;
    case 'error':
      store.logs.insert(runId, 'error', m.stack ?? m.message);
      announce('error', m.message);
      break;
    default:
      break; // ready, progress, done and the rest belong to the caller
  }
  return { points: [], dropped: 0 };
}
