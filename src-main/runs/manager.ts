// The run manager: a queue with a concurrency limit, one worker process per run, and the only
// writer of what workers report (architecture principles 5 and 6). Main coordinates; it does not
// compute: each message is validated, written in one synchronous transaction, and summarised in
// throttled events. Crash safety:
// - a worker that dies (signal, exception, out of memory) leaves its run `interrupted` with the
//   reason; resuming starts a new worker from the last checkpoint after deleting every row recorded
//   after that checkpoint's step, so nothing is duplicated and the global_step axis continues;
// - runs left `running` by a manager that died are marked `interrupted` when a store is next
//   opened by a manager (RunsRepo.recoverOrphans checks whether the owner process is alive).
// Checkpoints are written at every evaluation (and on pause). A checkpoint holds the replay buffer,
// so keeping every file of a 2M-step run would cost gigabytes: the manager keeps the 3 newest files
// plus about ten milestones (steps that are multiples of a tenth of the budget, rounded to the
// evaluation interval); the rows and files of the others are removed as new ones arrive.
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import {
  PROTOCOL_VERSION,
  Receiver,
  SeqCounter,
  WorkerMessage,
  decodeEpisodes,
  decodeMetrics,
  decodeTrajectory,
  type CommandBody,
} from '../../src-core/contract/worker-protocol.ts';
import { StoreError, type RunStatus, type Store } from '../store/index.ts';
import { checkpointDir as defaultCheckpointDir } from '../store/location.ts';
import { RESUMABLE } from '../store/repos/runs.ts';
import type { ManagerEvents, RunMetricsEvent } from './events.ts';
import type { WorkerHost, WorkerProcess } from './host.ts';

export interface RunManagerOptions {
  store: Store;
  host: WorkerHost;
  /** Runs at a time (default: cores - 1, at least 1). */
  concurrency?: number;
  /** Folder for a run's checkpoint files (default: beside the database). */
  checkpointDir?: (runId: number) => string;
  /** Milliseconds a new worker has to say `ready` (default 60 s: loading tfjs can be slow). */
  readyTimeoutMs?: number;
  /** Milliseconds a worker has to stop after pause/cancel before it is killed (default 120 s). */
  stopTimeoutMs?: number;
  /** Minimum milliseconds between metric summaries of one run (default 250). */
  summaryMs?: number;
  /**
   * Tensor backend forced on every run of this manager (`lab experiment run --backend`). Without it
   * each run gets the backend its config requests (`config.backend`, default auto).
   */
  backend?: string;
  /** Version of the app recorded with each run. */
  appVersion?: string;
}

interface Pending {
  what: string;
  resolve: () => void;
  reject: (err: Error) => void;
}

interface Active {
  runId: number;
  proc: WorkerProcess;
  seq: SeqCounter;
  receiver: Receiver<WorkerMessage>;
  ready: boolean;
  broken: boolean;
  stopping: 'pause' | 'cancel' | 'kill' | null;
  outcome: 'completed' | 'paused' | 'cancelled' | null;
  lastError: string | null;
  stderrTail: string[];
  readyTimer: ReturnType<typeof setTimeout> | null;
  stopTimer: ReturnType<typeof setTimeout> | null;
  pending: Map<number, Pending>;
  exited: Promise<void>;
  globalStep: number;
  totalSteps: number;
  droppedWarned: boolean;
  summary: Map<string, RunMetricsEvent['points'][number]>;
  summaryTimer: ReturnType<typeof setTimeout> | null;
  lastSummaryAt: number;
}

const KEEP_NEWEST = 3;
const GROUP_COMMIT_MS = 250;

export function defaultConcurrency(): number {
  return Math.max(1, availableParallelism() - 1);
}

export class RunManager extends EventEmitter<ManagerEvents> {
  readonly store: Store;
  private readonly host: WorkerHost;
  private readonly opts: RunManagerOptions;
  private concurrencyLimit: number;
  private readonly queue: number[] = [];
  private readonly active = new Map<number, Active>();
  private closed = false;
  private writes: (() => void)[] = [];
  private writeTimer: ReturnType<typeof setTimeout> | null = null;
  /** Run ids found `running` without a live owner when this manager started (now interrupted). */
  readonly recovered: number[];

  constructor(opts: RunManagerOptions) {
    super();
    this.opts = opts;
    this.store = opts.store;
    this.host = opts.host;
    this.concurrencyLimit = opts.concurrency ?? defaultConcurrency();
    if (!Number.isInteger(this.concurrencyLimit) || this.concurrencyLimit < 1) throw new StoreError(`concurrency must be an integer >= 1, got ${opts.concurrency}`);
    this.recovered = this.store.runs.recoverOrphans();
  }

  /** The process host workers are started with (stored-policy previews use it too). */
  get workerHost(): WorkerHost {
    return this.host;
  }

  get concurrency(): number {
    return this.concurrencyLimit;
  }

  set concurrency(n: number) {
    if (!Number.isInteger(n) || n < 1) throw new StoreError(`concurrency must be an integer >= 1, got ${n}`);
    this.concurrencyLimit = n;
    this.pump();
  }

  /** Ids of runs with a live worker, and of runs waiting in the queue. */
  activeIds(): number[] {
    return [...this.active.keys()];
  }
  queuedIds(): number[] {
    return [...this.queue];
  }

  /** Queue runs (status queued|paused|interrupted|failed); they start as slots free up. */
  enqueue(runIds: readonly number[]): void {
    for (const id of runIds) {
      const run = this.store.runs.require(id);
      if (this.active.has(id) || this.queue.includes(id)) continue;
      if (!RESUMABLE.includes(run.status)) throw new StoreError(`run ${id} is ${run.status}; only queued, paused, interrupted or failed runs can be started`);
      if (run.status !== 'queued') this.setStatus(id, 'queued', null);
      this.queue.push(id);
    }
    this.pump();
  }

  /** Same as enqueue for one run: continue from its last checkpoint (or from the start if it has none). */
  resume(runId: number): void {
    this.enqueue([runId]);
  }

  /** Pause: a running worker writes a checkpoint and exits; a queued run leaves the queue. Resolves when done. */
  async pause(runId: number): Promise<void> {
    const qi = this.queue.indexOf(runId);
    if (qi >= 0) {
      this.queue.splice(qi, 1);
      this.setStatus(runId, 'paused', null);
      return;
    }
    const a = this.active.get(runId);
    if (!a) throw new StoreError(`run ${runId} is not running or queued (status ${this.store.runs.require(runId).status})`);
    await this.stopActive(a, 'pause');
  }

  /** Cancel for good (data kept). Resolves when the worker is gone. */
  async cancel(runId: number): Promise<void> {
    const qi = this.queue.indexOf(runId);
    if (qi >= 0) this.queue.splice(qi, 1);
    const a = this.active.get(runId);
    if (a) {
      await this.stopActive(a, 'cancel');
      return;
    }
    const run = this.store.runs.require(runId);
    if (run.status === 'completed' || run.status === 'cancelled') throw new StoreError(`run ${runId} is already ${run.status}`);
    if (run.status === 'running') throw new StoreError(`run ${runId} is running in another lab process (pid ${run.ownerPid}); cancel it there`);
    this.store.runs.markEnded(runId, 'cancelled', 'cancelled by the user');
    this.emitStatus(runId);
  }

  /** Delete a run with its metrics, evaluations, trajectories, checkpoints and checkpoint files. */
  async delete(runId: number): Promise<void> {
    const run = this.store.runs.require(runId);
    if (this.active.has(runId) || this.queue.includes(runId)) await this.cancel(runId);
    else if (run.status === 'running') throw new StoreError(`run ${runId} is running in another lab process (pid ${run.ownerPid}); stop it there first`);
    this.flushWrites();
    this.store.runs.delete(runId);
    this.store.metrics.invalidate(runId);
    rmSync(this.checkpointDir(runId), { recursive: true, force: true });
  }

  /** Resolves when nothing runs and nothing is queued. */
  waitIdle(): Promise<void> {
    if (this.active.size === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.once('idle', resolve));
  }

  /**
   * Stop everything. 'pause': running workers checkpoint and exit (status paused), queued runs stay
   * queued. 'kill': workers are killed at once (status interrupted, resumable from their checkpoints).
   */
  async shutdown(mode: 'pause' | 'kill'): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    const all = [...this.active.values()];
    if (mode === 'pause') await Promise.all(all.map((a) => this.stopActive(a, 'pause').catch(() => undefined)));
    else {
      for (const a of all) {
        a.stopping = 'kill';
        a.proc.kill('SIGKILL');
      }
      await Promise.all(all.map((a) => a.exited));
    }
  }

  private checkpointDir(runId: number): string {
    return this.opts.checkpointDir?.(runId) ?? defaultCheckpointDir(this.store.path, runId);
  }

  private pump(): void {
    while (!this.closed && this.active.size < this.concurrencyLimit && this.queue.length > 0) {
      const id = this.queue.shift()!;
      try {
        this.launch(id);
      } catch (err) {
        this.store.runs.markEnded(id, 'failed', `could not start: ${(err as Error).message}`);
        this.emitStatus(id);
      }
    }
    if (this.active.size === 0 && this.queue.length === 0) this.emit('idle');
  }

  /** Roll the run back to its newest checkpoint whose file exists (or to nothing) and start a worker. */
  private launch(runId: number): void {
    this.flushWrites();
    const run = this.store.runs.require(runId);
    const dir = this.checkpointDir(runId);
    mkdirSync(dir, { recursive: true });
    let resumeFrom: string | undefined;
    let from = -1;
    for (const cp of this.store.checkpoints.list(runId).reverse()) {
      if (existsSync(cp.file)) {
        resumeFrom = cp.file;
        from = cp.step;
        break;
      }
    }
    const stale = this.store.rollbackAfter(runId, from);
    for (const cp of stale) rmSync(cp.file, { force: true });
    for (const f of readdirSync(dir)) if (f.includes('.tmp-')) rmSync(join(dir, f), { force: true }); // torn writes of a killed worker
    this.store.tx(() => {
      this.store.runs.resetLastEval(runId);
      for (const mode of ['deterministic', 'stochastic'] as const) {
        const last = this.store.evaluations.list(runId, mode).at(-1);
        if (last) this.store.runs.setLastEval(runId, mode, last.meanReturn);
      }
      this.store.runs.markStarted(runId, process.pid);
    });
    if (resumeFrom) this.store.logs.insert(runId, 'info', `resuming from the checkpoint at step ${from}`);

    const proc = this.host.spawn();
    let onExit!: () => void;
    const a: Active = {
      runId,
      proc,
      seq: new SeqCounter(),
      receiver: new Receiver(WorkerMessage, 'worker'),
      ready: false,
      broken: false,
      stopping: null,
      outcome: null,
      lastError: null,
      stderrTail: [],
      readyTimer: null,
      stopTimer: null,
      pending: new Map(),
      exited: new Promise<void>((r) => (onExit = r)),
      globalStep: Math.max(0, from),
      totalSteps: run.totalSteps,
      droppedWarned: false,
      summary: new Map(),
      summaryTimer: null,
      lastSummaryAt: 0,
    };
    this.active.set(runId, a);
    this.emitStatus(runId);
    proc.onMessage((m) => this.onMessage(a, m));
    proc.onOutput((line, stream) => {
      if (stream === 'stderr') {
        a.stderrTail.push(line);
        if (a.stderrTail.length > 20) a.stderrTail.shift();
      }
    });
    proc.onExit((code, signal) => {
      this.flushWrites();
      // A clean exit whose `done` has not been seen yet: some hosts (utilityProcess) may report the
      // exit before the last messages; give them a moment.
      const grace = code === 0 && a.outcome === null ? 200 : 0;
      setTimeout(() => {
        this.flushWrites();
        this.onExit(a, code, signal);
        onExit();
      }, grace);
    });
    const timeout = this.opts.readyTimeoutMs ?? 60_000;
    a.readyTimer = setTimeout(() => {
      a.lastError = `the worker did not become ready within ${timeout / 1000} s`;
      a.proc.kill('SIGKILL');
    }, timeout);
    this.request(a, {
      type: 'start',
      protocol: PROTOCOL_VERSION,
      runId,
      config: run.config as never,
      checkpointDir: dir,
      resumeFrom,
      backend: this.requestedBackend(run.config),
    }).catch(() => undefined); // a failed start shows up as the worker's exit
  }

  /** The backend a run asks its worker for: the manager's forced one, else the run config's, else auto. */
  private requestedBackend(config: { backend?: string }): string {
    return this.opts.backend ?? config.backend ?? 'auto';
  }

  /** Send a command; resolves on the worker's ack, rejects if the worker exits first. */
  private request(a: Active, body: CommandBody): Promise<void> {
    const seq = a.seq.next();
    return new Promise<void>((resolve, reject) => {
      a.pending.set(seq, { what: body.type, resolve, reject });
      a.proc.send({ ...body, seq });
    });
  }

  private async stopActive(a: Active, kind: 'pause' | 'cancel'): Promise<void> {
    this.flushWrites();
    if (a.stopping !== 'cancel') a.stopping = kind;
    if (!a.stopTimer) {
      const timeout = this.opts.stopTimeoutMs ?? 120_000;
      a.stopTimer = setTimeout(() => {
        a.lastError = `the worker did not stop within ${timeout / 1000} s after ${kind}`;
        a.proc.kill('SIGKILL');
      }, timeout);
    }
    await this.request(a, { type: kind }).catch(() => undefined); // exiting first is fine
    await a.exited;
  }

  private onMessage(a: Active, raw: unknown): void {
    let m: WorkerMessage;
    if (a.broken) return; // after a protocol error nothing more from this worker is trusted
    try {
      m = a.receiver.accept(raw);
    } catch (err) {
      a.broken = true;
      a.lastError = `protocol error: ${(err as Error).message}`;
      a.proc.kill('SIGKILL');
      return;
    }
    if (m.type === 'ack') {
      const p = a.pending.get(m.re);
      a.pending.delete(m.re);
      p?.resolve();
      return;
    }
    if (m.type === 'ready') {
      a.ready = true;
      if (a.readyTimer) clearTimeout(a.readyTimer);
      a.readyTimer = null;
    }
    const msg = m;
    this.queueWrite(() => this.handle(a, msg));
  }

  /**
   * Group commit: what workers report is applied in arrival order, in one transaction every
   * GROUP_COMMIT_MS (instead of one per message), which keeps the main process's CPU low while many
   * runs stream. Everything queued is flushed before a status change, a launch, a stop or a delete,
   * so the store never shows a status ahead of the rows that led to it. A crash of main loses at
   * most the last GROUP_COMMIT_MS of reports; the resumed worker reproduces them from its checkpoint.
   */
  private queueWrite(fn: () => void): void {
    this.writes.push(fn);
    if (!this.writeTimer) this.writeTimer = setTimeout(() => this.flushWrites(), GROUP_COMMIT_MS);
  }

  /** Apply every queued report now (one transaction). */
  flushWrites(): void {
    if (this.writeTimer) clearTimeout(this.writeTimer);
    this.writeTimer = null;
    if (this.writes.length === 0) return;
    const list = this.writes;
    this.writes = [];
    this.store.tx(() => {
      for (const w of list) {
        try {
          w();
        } catch (err) {
          process.stderr.write(`run manager: a worker report could not be stored: ${(err as Error).message}\n`);
        }
      }
    });
  }

  private handle(a: Active, m: Exclude<WorkerMessage, { type: 'ack' }>): void {
    const id = a.runId;
    const s = this.store;
    switch (m.type) {
      case 'ready': {
        // The backend used is the run's `backend`; what was asked for, and why it could not be had,
        // go beside the versions (src-core/contract/README.md, "Tensor backend of a run").
        const before = s.runs.require(id);
        const versions: Record<string, string> = { ...m.versions };
        if (this.opts.appVersion) versions.app ??= this.opts.appVersion;
        versions.backendRequested = m.backendRequested ?? this.requestedBackend(before.config);
        if (m.backendFallback) versions.backendFallback = m.backendFallback;
        // a run resumed on another backend than its earlier part: its metrics mix two backends
        const earlier = before.versions?.backendEarlier ?? (before.backend && before.backend !== m.backend ? before.backend : undefined);
        if (earlier) versions.backendEarlier = earlier;
        if (before.backend && before.backend !== m.backend) {
          const mixed = `this run continues on ${m.backend} from step ${a.globalStep}; its steps before ran on ${before.backend} (metrics mix two backends)`;
          s.logs.insert(id, 'warn', mixed);
          this.emit('log', { runId: id, time: Date.now() / 1000, level: 'warn', message: mixed });
        }
        s.runs.setReady(id, m.backend, versions);
        const note = `backend ${m.backend}${m.backendReason ? ` (${m.backendReason})` : ''}`;
        s.logs.insert(id, 'info', note);
        this.emit('log', { runId: id, time: Date.now() / 1000, level: 'info', message: note });
        if (m.backendFallback) {
          const warn = `backend ${versions.backendRequested} was requested but could not start (${m.backendFallback}); this run uses ${m.backend} instead`;
          s.logs.insert(id, 'warn', warn);
          this.emit('log', { runId: id, time: Date.now() / 1000, level: 'warn', message: warn });
        }
        break;
      }
      case 'progress': {
        a.globalStep = m.globalStep;
        a.totalSteps = m.totalSteps;
        s.runs.setGlobalStep(id, m.globalStep);
        this.emit('progress', {
          runId: id,
          globalStep: m.globalStep,
          totalSteps: m.totalSteps,
          sps: m.sps,
          etaSeconds: m.sps > 0 ? (m.totalSteps - m.globalStep) / m.sps : null,
          episodes: m.episodes,
          lastEval: m.lastEval,
        });
        break;
      }
      case 'metrics': {
        const points = decodeMetrics(m);
        const r = s.metrics.append(id, points);
        if (r.dropped > 0 && !a.droppedWarned) {
          a.droppedWarned = true;
          s.logs.insert(id, 'warn', `${r.dropped} metric points arrived at or before their key's last step and were dropped`);
        }
        for (const p of points) a.summary.set(p.key, p);
        this.scheduleSummary(a);
        break;
      }
      case 'episodes':
        for (const e of decodeEpisodes(m)) s.episodes.insert(id, e);
        break;
      case 'evaluation': {
        const returns = m.returns.map((r) => r ?? Number.NaN);
        const rec = s.evaluations.insert(id, { step: m.step, mode: m.mode, returns, lengths: m.lengths, startSeeds: m.startSeeds, wallTime: m.wallTime });
        s.runs.setLastEval(id, m.mode, rec.meanReturn);
        break;
      }
      case 'trajectory':
        s.trajectories.insert(id, decodeTrajectory(m));
        break;
      case 'checkpoint':
        s.checkpoints.insert(id, m.step, m.file, m.size);
        s.runs.setGlobalStep(id, m.step);
        this.pruneCheckpoints(id);
        break;
      case 'log':
        s.logs.insert(id, m.level, m.message);
        this.emit('log', { runId: id, time: Date.now() / 1000, level: m.level, message: m.message });
        break;
      case 'error':
        a.lastError = m.message;
        s.logs.insert(id, 'error', m.stack ?? m.message);
        this.emit('log', { runId: id, time: Date.now() / 1000, level: 'error', message: m.message });
        break;
      case 'done':
        a.outcome = m.outcome;
        a.globalStep = m.globalStep;
        s.runs.setGlobalStep(id, m.globalStep);
        break;
    }
  }

  /** Keep the newest KEEP_NEWEST checkpoint files and the milestones; delete the rest (rows and files). */
  private pruneCheckpoints(runId: number): void {
    const run = this.store.runs.get(runId);
    if (!run) return;
    const every = Math.max(1, run.config.evalInterval);
    const milestone = Math.max(every, Math.round(run.totalSteps / 10 / every) * every);
    const all = this.store.checkpoints.list(runId);
    for (const cp of all.slice(0, Math.max(0, all.length - KEEP_NEWEST))) {
      if (cp.step % milestone === 0 || cp.step >= run.totalSteps) continue;
      this.store.checkpoints.delete(cp.id);
      rmSync(cp.file, { force: true });
    }
  }

  private scheduleSummary(a: Active): void {
    if (a.summaryTimer) return;
    const wait = Math.max(0, a.lastSummaryAt + (this.opts.summaryMs ?? 250) - Date.now());
    a.summaryTimer = setTimeout(() => this.emitSummary(a), wait);
  }

  private emitSummary(a: Active): void {
    if (a.summaryTimer) clearTimeout(a.summaryTimer);
    a.summaryTimer = null;
    if (a.summary.size === 0) return;
    a.lastSummaryAt = Date.now();
    const points = [...a.summary.values()];
    a.summary.clear();
    this.emit('metrics', { runId: a.runId, points });
  }

  private onExit(a: Active, code: number | null, signal: string | null): void {
    if (a.readyTimer) clearTimeout(a.readyTimer);
    if (a.stopTimer) clearTimeout(a.stopTimer);
    this.emitSummary(a);
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    for (const [, p] of a.pending) p.reject(new Error(`the worker of run ${a.runId} exited (${how}) before answering '${p.what}'`));
    a.pending.clear();
    this.active.delete(a.runId);

    let status: RunStatus;
    let reason: string | null = null;
    if (a.outcome === 'completed') status = 'completed';
    else if (a.outcome === 'paused') status = 'paused';
    else if (a.outcome === 'cancelled' || a.stopping === 'cancel') {
      status = 'cancelled';
      reason = 'cancelled by the user';
    } else if (a.stopping === 'kill') {
      status = 'interrupted';
      reason = 'the lab quit while the run was running';
    } else {
      const detail = a.lastError ?? a.stderrTail.filter((l) => l.trim() !== '').slice(-3).join(' | ');
      reason = `the worker exited unexpectedly (${how})${detail ? `: ${detail}` : ''}`;
      // Died before ever being ready (could not load the engine, bad config, ready timeout): failed.
      // After ready, a death (signal, exception, out of memory) leaves it interrupted. Both resume.
      status = a.ready ? 'interrupted' : 'failed';
    }
    if (status === 'paused') this.store.runs.setStatus(a.runId, 'paused', reason);
    else this.store.runs.markEnded(a.runId, status, reason);
    this.emitStatus(a.runId);
    this.pump();
  }

  private setStatus(runId: number, status: RunStatus, reason: string | null): void {
    this.store.runs.setStatus(runId, status, reason);
    this.emitStatus(runId);
  }

  private emitStatus(runId: number): void {
    this.flushWrites();
    const r = this.store.runs.get(runId);
    if (r) this.emit('status', { runId, status: r.status, reason: r.reason, globalStep: r.globalStep });
  }
}
