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
// Seed groups (issue 12): runs that differ only in seed (grouping.ts) may share one worker, up to
// a limit; the concurrency limit counts worker processes. Every member is still its own run: the
// worker tags each message with its run id and each member ends with its own `done`; a member can
// be cancelled alone (`stop-run`), a pause stops its whole group; a killed group worker leaves all
// its members interrupted, and resuming them regroups them from their checkpoints.
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import {
  PROTOCOL_VERSION,
  Receiver,
  SeqCounter,
  WorkerMessage,
  type CommandBody,
  type GroupMember,
} from '../../src-core/contract/worker-protocol.ts';
import { seedBatchLimit, takeSeedGroup, type SeedBatch } from './grouping.ts';
import { StoreError, type RunStatus, type Store } from '../store/index.ts';
import { checkpointDir as defaultCheckpointDir } from '../store/location.ts';
import { RESUMABLE } from '../store/repos/runs.ts';
import type { ManagerEvents, RunMetricsEvent } from './events.ts';
import { storeReady, storeRunReport, type Announce } from './worker-report.ts';
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
  /** Seed groups for every run of this manager (`lab experiment run --seed-batch`); default: each run's own `seedBatch`, else auto. */
  seedBatch?: SeedBatch;
}

interface Pending {
  what: string;
  resolve: () => void;
  reject: (err: Error) => void;
}

/** One worker process: one run, or one seed group of runs. */
interface Slot {
  proc: WorkerProcess;
  seq: SeqCounter;
  receiver: Receiver<WorkerMessage>;
  ready: boolean;
  broken: boolean;
  /** A stop of the whole worker (every member). */
  stopping: 'pause' | 'cancel' | 'kill' | null;
  lastError: string | null;
  stderrTail: string[];
  readyTimer: ReturnType<typeof setTimeout> | null;
  stopTimer: ReturnType<typeof setTimeout> | null;
  pending: Map<number, Pending>;
  exited: Promise<void>;
  members: Map<number, Active>;
}

/** One run with a live worker. */
interface Active {
  runId: number;
  slot: Slot;
  /** A stop of this member alone (`stop-run`). */
  stopping: 'pause' | 'cancel' | null;
  outcome: 'completed' | 'paused' | 'cancelled' | null;
  /** Its status is final (set at its `done` while the rest of its group goes on, or at the worker's exit). */
  finalized: boolean;
  ended: Promise<void>;
  end: () => void;
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
  private readonly slots = new Set<Slot>();
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
    await this.stopRun(a, 'pause');
  }

  /** Cancel for good (data kept). Resolves when the worker is gone. */
  async cancel(runId: number): Promise<void> {
    const qi = this.queue.indexOf(runId);
    if (qi >= 0) this.queue.splice(qi, 1);
    const a = this.active.get(runId);
    if (a) {
      await this.stopRun(a, 'cancel');
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
    if (this.slots.size === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.once('idle', resolve));
  }

  /**
   * Stop everything. 'pause': running workers checkpoint and exit (status paused), queued runs stay
   * queued. 'kill': workers are killed at once (status interrupted, resumable from their checkpoints).
   */
  async shutdown(mode: 'pause' | 'kill'): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    const all = [...this.slots];
    if (mode === 'pause') await Promise.all(all.map((w) => this.stopSlot(w, 'pause').catch(() => undefined)));
    else {
      for (const w of all) {
        w.stopping = 'kill';
        w.proc.kill('SIGKILL');
      }
      await Promise.all(all.map((w) => w.exited));
    }
  }

  private checkpointDir(runId: number): string {
    return this.opts.checkpointDir?.(runId) ?? defaultCheckpointDir(this.store.path, runId);
  }

  private pump(): void {
    while (!this.closed && this.slots.size < this.concurrencyLimit && this.queue.length > 0) {
      const ids = this.takeGroup();
      try {
        this.launch(ids);
      } catch (err) {
        for (const id of ids) {
          if (this.active.has(id)) continue; // reported by the worker's exit
          this.store.runs.markEnded(id, 'failed', `could not start: ${(err as Error).message}`);
          this.emitStatus(id);
        }
      }
    }
    if (this.slots.size === 0 && this.queue.length === 0) this.emit('idle');
  }

  /** The queue's first run and the queued runs that may share its seed group (grouping.ts), in queue order. */
  private takeGroup(): number[] {
    return takeSeedGroup(
      this.queue,
      (id) => this.store.runs.get(id)?.config,
      (id) => this.resumePoint(id).step,
      (config) => seedBatchLimit(config, this.opts.seedBatch, this.concurrencyLimit),
    );
  }

  /** The newest checkpoint of a run whose file exists (step -1: none, start from scratch). */
  private resumePoint(runId: number): { file?: string; step: number } {
    for (const cp of this.store.checkpoints.list(runId).reverse()) if (existsSync(cp.file)) return { file: cp.file, step: cp.step };
    return { step: -1 };
  }

  /** Roll a run back to its newest checkpoint whose file exists (or to nothing) and mark it started. */
  private prepare(runId: number): GroupMember & { from: number; totalSteps: number } {
    const run = this.store.runs.require(runId);
    const dir = this.checkpointDir(runId);
    mkdirSync(dir, { recursive: true });
    const { file: resumeFrom, step: from } = this.resumePoint(runId);
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
    return { runId, config: run.config as never, checkpointDir: dir, resumeFrom, from, totalSteps: run.totalSteps };
  }

  /** Start one worker for one run, or for a seed group of runs. */
  private launch(runIds: number[]): void {
    this.flushWrites();
    const members = runIds.map((id) => this.prepare(id));
    const proc = this.host.spawn();
    let onExit!: () => void;
    const w: Slot = {
      proc,
      seq: new SeqCounter(),
      receiver: new Receiver(WorkerMessage, 'worker'),
      ready: false,
      broken: false,
      stopping: null,
      lastError: null,
      stderrTail: [],
      readyTimer: null,
      stopTimer: null,
      pending: new Map(),
      exited: new Promise<void>((r) => (onExit = r)),
      members: new Map(),
    };
    this.slots.add(w);
    for (const m of members) {
      let end!: () => void;
      const a: Active = {
        runId: m.runId,
        slot: w,
        stopping: null,
        outcome: null,
        finalized: false,
        ended: new Promise<void>((r) => (end = r)),
        end,
        globalStep: Math.max(0, m.from),
        totalSteps: m.totalSteps,
        droppedWarned: false,
        summary: new Map(),
        summaryTimer: null,
        lastSummaryAt: 0,
      };
      w.members.set(m.runId, a);
      this.active.set(m.runId, a);
      this.emitStatus(m.runId);
    }
    proc.onMessage((msg) => this.onMessage(w, msg));
    proc.onOutput((line, stream) => {
      if (stream === 'stderr') {
        w.stderrTail.push(line);
        if (w.stderrTail.length > 20) w.stderrTail.shift();
      }
    });
    proc.onExit((code, signal) => {
      this.flushWrites();
      // A clean exit whose last `done` has not been seen yet: some hosts (utilityProcess) may report
      // the exit before the last messages; give them a moment.
      const grace = code === 0 && [...w.members.values()].some((a) => a.outcome === null) ? 200 : 0;
      setTimeout(() => {
        this.flushWrites();
        this.onExit(w, code, signal);
        onExit();
      }, grace);
    });
    const timeout = this.opts.readyTimeoutMs ?? 60_000;
    w.readyTimer = setTimeout(() => {
      w.lastError = `the worker did not become ready within ${timeout / 1000} s`;
      w.proc.kill('SIGKILL');
    }, timeout);
    const backend = this.requestedBackend(members[0]!.config as { backend?: string });
    const wire = members.map(({ runId, config, checkpointDir, resumeFrom }) => ({ runId, config, checkpointDir, resumeFrom }));
    const start: CommandBody = wire.length === 1
      ? { type: 'start', protocol: PROTOCOL_VERSION, ...wire[0]!, backend }
      : { type: 'start-group', protocol: PROTOCOL_VERSION, runs: wire, backend };
    this.request(w, start).catch(() => undefined); // a failed start shows up as the worker's exit
  }

  /** The backend a run asks its worker for: the manager's forced one, else the run config's, else auto. */
  private requestedBackend(config: { backend?: string }): string {
    return this.opts.backend ?? config.backend ?? 'auto';
  }

  /** Send a command; resolves on the worker's ack, rejects if the worker exits first. */
  private request(w: Slot, body: CommandBody): Promise<void> {
    const seq = w.seq.next();
    return new Promise<void>((resolve, reject) => {
      w.pending.set(seq, { what: body.type, resolve, reject });
      w.proc.send({ ...body, seq });
    });
  }

  /**
   * Pause or cancel one run. A pause stops its whole worker (every member of a seed group: the
   * group resumes together from its members' checkpoints). A cancel stops only this run when other
   * members of its group are still running: the worker drops it at its next step and the run is
   * closed at once (a cancelled run is never resumed, so it needs no final checkpoint).
   */
  private async stopRun(a: Active, kind: 'pause' | 'cancel'): Promise<void> {
    const w = a.slot;
    const running = [...w.members.values()].filter((m) => !m.finalized && m.outcome === null && m.stopping === null);
    if (kind === 'pause' || running.length <= 1 || w.stopping) {
      await this.stopSlot(w, kind);
      return;
    }
    this.flushWrites();
    a.stopping = 'cancel';
    await this.request(w, { type: 'stop-run', runId: a.runId, how: 'cancel' }).catch(() => undefined); // exiting first is fine
    this.finalize(a, { status: 'cancelled', reason: 'cancelled by the user (the other runs of its seed group go on)' });
  }

  private async stopSlot(w: Slot, kind: 'pause' | 'cancel'): Promise<void> {
    this.flushWrites();
    if (w.stopping !== 'cancel') w.stopping = kind;
    if (!w.stopTimer) {
      const timeout = this.opts.stopTimeoutMs ?? 120_000;
      w.stopTimer = setTimeout(() => {
        w.lastError = `the worker did not stop within ${timeout / 1000} s after ${kind}`;
        w.proc.kill('SIGKILL');
      }, timeout);
    }
    await this.request(w, { type: kind }).catch(() => undefined); // exiting first is fine
    await w.exited;
  }

  private onMessage(w: Slot, raw: unknown): void {
    let m: WorkerMessage;
    if (w.broken) return; // after a protocol error nothing more from this worker is trusted
    try {
      m = w.receiver.accept(raw);
      const runId = 'runId' in m ? m.runId : undefined;
      if (runId !== undefined && !w.members.has(runId)) throw new Error(`worker message (${m.type}) names run ${runId}, which is not in this worker`);
    } catch (err) {
      w.broken = true;
      w.lastError = `protocol error: ${(err as Error).message}`;
      w.proc.kill('SIGKILL');
      return;
    }
    if (m.type === 'ack') {
      const p = w.pending.get(m.re);
      w.pending.delete(m.re);
      p?.resolve();
      return;
    }
    if (m.type === 'ready') {
      w.ready = true;
      if (w.readyTimer) clearTimeout(w.readyTimer);
      w.readyTimer = null;
    }
    const msg = m;
    this.queueWrite(() => this.handle(w, msg));
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

  private handle(w: Slot, m: Exclude<WorkerMessage, { type: 'ack' }>): void {
    if (m.type === 'ready') {
      for (const a of w.members.values()) this.handleReady(w, a, m);
      return;
    }
    if (m.type === 'error' && m.runId === undefined) {
      // the whole worker failed: every member's log says so
      w.lastError = m.message;
      for (const a of w.members.values()) this.handleRun(a, m);
      return;
    }
    const runId = 'runId' in m && m.runId !== undefined ? m.runId : w.members.size === 1 ? [...w.members.keys()][0]! : undefined;
    const a = runId === undefined ? undefined : w.members.get(runId);
    if (!a) {
      process.stderr.write(`run manager: a ${m.type} message of a seed group's worker names no run; ignored\n`);
      return;
    }
    if (m.type === 'error') w.lastError = m.message;
    if (a.finalized) return; // cancelled alone while its group goes on: nothing more is recorded for it
    this.handleRun(a, m);
  }

  private handleReady(w: Slot, a: Active, m: Extract<WorkerMessage, { type: 'ready' }>): void {
    const ctx = { requested: this.requestedBackend(this.store.runs.require(a.runId).config), fromStep: a.globalStep, group: [...w.members.keys()], appVersion: this.opts.appVersion };
    storeReady(this.store, a.runId, m, ctx, this.announcer(a.runId));
  }

  /** Log events of a run, for the lines worker-report.ts writes. */
  private announcer(runId: number): Announce {
    return (level, message) => this.emit('log', { runId, time: Date.now() / 1000, level, message });
  }

  private handleRun(a: Active, m: Exclude<WorkerMessage, { type: 'ack' | 'ready' }>): void {
    const id = a.runId;
    const s = this.store;
    switch (m.type) {
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
      case 'done':
        a.outcome = m.outcome;
        a.globalStep = m.globalStep;
        s.runs.setGlobalStep(id, m.globalStep);
        // the rest of its group goes on: this run's status is final now, not at the worker's exit
        if ([...a.slot.members.values()].some((o) => o.outcome === null)) setImmediate(() => this.finalize(a, this.endStatus(a, null, null)));
        break;
      default: {
        // the rows every report writes, shared with the cluster ingester
        const { points, dropped } = storeRunReport(s, id, m, this.announcer(id));
        if (dropped > 0 && !a.droppedWarned) {
          a.droppedWarned = true;
          s.logs.insert(id, 'warn', `${dropped} metric points arrived at or before their key's last step and were dropped`);
        }
        for (const p of points) a.summary.set(p.key, p);
        if (points.length > 0) this.scheduleSummary(a);
        if (m.type === 'checkpoint') this.pruneCheckpoints(id);
      }
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

  private onExit(w: Slot, code: number | null, signal: string | null): void {
    if (w.readyTimer) clearTimeout(w.readyTimer);
    if (w.stopTimer) clearTimeout(w.stopTimer);
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    const runs = [...w.members.keys()].join(', ');
    for (const [, p] of w.pending) p.reject(new Error(`the worker of run${w.members.size > 1 ? 's' : ''} ${runs} exited (${how}) before answering '${p.what}'`));
    w.pending.clear();
    this.slots.delete(w);
    for (const a of w.members.values()) this.finalize(a, this.endStatus(a, code, signal));
    this.pump();
  }

  /** The status a member ends with: from its `done`, else from why its worker stopped or died (code/signal). */
  private endStatus(a: Active, code: number | null, signal: string | null): { status: RunStatus; reason: string | null } {
    const w = a.slot;
    if (a.outcome === 'completed') return { status: 'completed', reason: null };
    if (a.outcome === 'paused') return { status: 'paused', reason: null };
    if (a.outcome === 'cancelled' || a.stopping === 'cancel' || w.stopping === 'cancel') return { status: 'cancelled', reason: 'cancelled by the user' };
    if (w.stopping === 'kill') return { status: 'interrupted', reason: 'the lab quit while the run was running' };
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    const detail = w.lastError ?? w.stderrTail.filter((l) => l.trim() !== '').slice(-3).join(' | ');
    const group = w.members.size > 1 ? ` (its seed group's worker: runs ${[...w.members.keys()].join(', ')})` : '';
    const reason = `the worker exited unexpectedly (${how})${group}${detail ? `: ${detail}` : ''}`;
    // Died before ever being ready (could not load the engine, bad config, ready timeout): failed.
    // After ready, a death (signal, exception, out of memory) leaves it interrupted. Both resume.
    return { status: w.ready ? 'interrupted' : 'failed', reason };
  }

  /** Make a member's status final (once) and let it go from the active set. */
  private finalize(a: Active, end: { status: RunStatus; reason: string | null }): void {
    if (a.finalized) return;
    a.finalized = true;
    this.flushWrites();
    this.emitSummary(a);
    if (a.summaryTimer) clearTimeout(a.summaryTimer);
    this.active.delete(a.runId);
    if (end.status === 'paused') this.store.runs.setStatus(a.runId, 'paused', end.reason);
    else this.store.runs.markEnded(a.runId, end.status, end.reason);
    this.emitStatus(a.runId);
    a.end();
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
