// The single writer's side of cluster runs: reads what each run folder holds beyond what the store
// already has (src-main/cluster/run-folder.ts), writes it in one transaction per run, asks Slurm
// for the state of each task (squeue, scontrol show job, sacct where accounting answers) and turns
// that into the run's status: a task that failed, was cancelled, preempted or hit its time limit
// without finishing its run becomes `interrupted` (or `failed` if it never started training) with
// Slurm's state and reason; `lab runs resume` submits it again and it continues from its last
// checkpoint. Emits the run manager's events (status, progress, metrics, log) so Live, Runs and the
// terminal progress display show cluster runs like local ones.
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WorkerMessage } from '../../src-core/contract/worker-protocol.ts';
import type { Store } from '../store/index.ts';
import { pidAlive, type RunStatus } from '../store/repos/runs.ts';
import type { SlurmTaskRecord } from '../store/repos/slurm-tasks.ts';
import type { ManagerEvents } from '../runs/events.ts';
import { applyReport, applySegmentStart, newApplyState, type ApplyState } from './apply-report.ts';
import { readHeartbeat, readNewLines, reportsFile, segments, type SegmentHeader } from './run-folder.ts';
import { ENDED_STATES, jobTasks as slurmJobTasks, type TaskState } from './slurm.ts';

/** A just-submitted task may take a moment to be listed; unknown to Slurm for longer means it is gone. */
const SUBMIT_GRACE_S = 30;
const ENDED: readonly RunStatus[] = ['completed', 'failed', 'cancelled', 'interrupted', 'paused'];

export interface IngesterOptions {
  /** Task states of an array job (default: ./slurm.ts jobTasks; injectable for tests). */
  jobTasks?: (jobId: string) => Map<number, TaskState>;
  /** Only these runs (a command watching its own runs); default: every Slurm run still queued or running. */
  runIds?: readonly number[];
}

export class ClusterIngester extends EventEmitter<ManagerEvents> {
  private readonly store: Store;
  private readonly jobTasks: (jobId: string) => Map<number, TaskState>;
  private readonly states = new Map<number, ApplyState>();
  private readonly scope: readonly number[] | undefined;

  constructor(store: Store, opts: IngesterOptions = {}) {
    super();
    this.store = store;
    this.jobTasks = opts.jobTasks ?? slurmJobTasks;
    this.scope = opts.runIds;
  }

  private withStatus(status: RunStatus): number[] {
    return (this.scope ?? this.store.slurm.unfinishedIds()).filter((id) => this.store.runs.get(id)?.status === status);
  }
  /** Runs of the scope training on the cluster now, and waiting in Slurm's queue (for the progress display). */
  activeIds(): number[] {
    return this.withStatus('running');
  }
  queuedIds(): number[] {
    return this.withStatus('queued');
  }
  /** True when no run of the scope is queued or running any more and Slurm has ended their tasks. */
  settled(): boolean {
    return this.activeIds().length === 0 && this.queuedIds().length === 0 && this.awaitingSlurmEnd.size === 0;
  }

  /**
   * Bring the store up to date with the given runs (default: every Slurm run still queued or
   * running). Returns the ids this process ingested. One lab process at a time ingests a run (the
   * first to claim it while alive; see SlurmTaskRecord.ingestPid): the others only read the store.
   * A Slurm command that fails leaves statuses as they are (the folders are still ingested) and is
   * thrown after the ingest.
   */
  sync(runIds: readonly number[] = this.scope ?? this.store.slurm.unfinishedIds()): number[] {
    const mine = this.claim(runIds);
    const byJob = new Map<string, Map<number, TaskState>>();
    let slurmError: Error | null = null;
    const asked = mine.filter((p) => !ENDED.includes(this.store.runs.require(p.runId).status) || !ENDED_STATES.includes(p.state ?? ''));
    for (const job of new Set(asked.map((p) => p.jobId!))) {
      try {
        byJob.set(job, this.jobTasks(job));
      } catch (err) {
        slurmError ??= err as Error;
      }
    }
    this.awaitingSlurmEnd.clear();
    // Slurm is asked first, the folders read second: a task Slurm says has ended wrote its last line before.
    for (const p of asked) {
      const task = byJob.get(p.jobId!)?.get(p.taskId!);
      const run = this.store.runs.require(p.runId);
      if (ENDED.includes(run.status)) {
        // the run has ended; record the task's final Slurm state once Slurm has it
        if (task) this.recordState(p, task);
        if (task && !ENDED_STATES.includes(task.state)) this.awaitingSlurmEnd.add(p.runId);
        continue;
      }
      try {
        this.ingestFolder(p.runId);
      } catch (err) {
        // a damaged run folder: nothing of this read is stored, the run says why and stops here
        this.store.runs.markEnded(p.runId, 'failed', (err as Error).message);
        this.emitStatus(p.runId, 'failed');
        continue;
      }
      if (byJob.has(p.jobId!)) this.reconcile(this.store.slurm.get(p.runId)!, task);
      if (task && !ENDED_STATES.includes(task.state) && ENDED.includes(this.store.runs.require(p.runId).status)) this.awaitingSlurmEnd.add(p.runId);
    }
    if (slurmError) throw slurmError;
    return mine.map((p) => p.runId);
  }

  /** Runs another live lab process ingests (run id -> its pid), as of the last sync. */
  readonly heldElsewhere = new Map<number, number>();
  private readonly awaitingSlurmEnd = new Set<number>();

  /** Claim the runs no other live lab process ingests; returns their placements. */
  private claim(runIds: readonly number[]): SlurmTaskRecord[] {
    this.heldElsewhere.clear();
    return this.store.db
      .transaction(() =>
        runIds.flatMap((id) => {
          const p = this.store.slurm.get(id);
          if (!p || p.jobId === null) return [];
          if (p.ingestPid !== null && p.ingestPid !== process.pid && pidAlive(p.ingestPid)) {
            this.heldElsewhere.set(id, p.ingestPid);
            return [];
          }
          if (p.ingestPid !== process.pid) this.store.slurm.claimIngest(id, process.pid);
          return [{ ...p, ingestPid: process.pid }];
        }),
      )
      .immediate();
  }

  private recordState(p: SlurmTaskRecord, task: TaskState): string | null {
    const reason = [task.reason, task.exitCode && task.exitCode !== '0:0' ? `exit code ${task.exitCode}` : null].filter(Boolean).join(', ') || null;
    if (task.state !== p.state || reason !== p.stateReason) this.store.slurm.setState(p.runId, task.state, reason);
    return reason;
  }

  /** Store the complete lines of the run folder's reports files not stored yet (call with the run claimed). */
  ingestFolder(runId: number): void {
    const p = this.store.slurm.get(runId)!;
    const st = this.state(p.runId);
    const all = segments(p.folder);
    let seg = p.ingestSegment;
    let off = p.ingestOffset;
    if (seg === 0) {
      if (all.length === 0) return;
      seg = all[0]!;
      off = 0;
    }
    this.store.tx(() => {
      for (;;) {
        const file = reportsFile(p.folder, seg);
        const { lines, offset } = readNewLines(file, off);
        lines.forEach((line, i) => this.applyLine(p, st, line, `${file} (line at byte ${off}, #${i + 1} of this read)`));
        off = offset;
        const next = all.find((s) => s > seg);
        if (next === undefined) break;
        // a later start exists, so this file is final: an unfinished last line was torn by a kill
        if (existsSync(file) && statSync(file).size > off) this.note(p.runId, st, 'warn', `${file} ends with an incomplete line (the task was killed while writing it); it was dropped`);
        seg = next;
        off = 0;
      }
      this.store.slurm.setIngest(p.runId, seg, off);
      const run = this.store.runs.require(p.runId);
      if (st.outcome === 'completed' && run.status !== 'completed') this.store.runs.markEnded(p.runId, 'completed', null);
      const beat = readHeartbeat(p.folder);
      if (beat && beat.segment === seg && run.status === 'running' && beat.globalStep > run.globalStep) this.store.runs.setGlobalStep(p.runId, beat.globalStep);
    });
    this.announce(p);
  }

  private applyLine(p: SlurmTaskRecord, st: ApplyState, line: string, where: string): void {
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      throw new Error(`${where} is not JSON; the run folder is damaged`);
    }
    if ((obj as { type?: unknown }).type === 'segment') {
      applySegmentStart(this.store, p.runId, obj as SegmentHeader, st);
      return;
    }
    const r = WorkerMessage.safeParse(obj);
    if (!r.success) throw new Error(`${where} is not a worker report: ${r.error.issues[0]?.path.join('.')} ${r.error.issues[0]?.message}`);
    applyReport(this.store, p.runId, r.data, st);
  }

  /** Turn Slurm's state of the task into the run's status. */
  private reconcile(p: SlurmTaskRecord, task: TaskState | undefined): void {
    const run = this.store.runs.require(p.runId);
    const reason = task ? this.recordState(p, task) : null;
    if (ENDED.includes(run.status)) return this.emitStatus(p.runId, run.status);
    const st = this.state(p.runId);
    const label = `Slurm task ${p.jobId}_${p.taskId}`;
    if (!task) {
      if (p.state === 'SUBMITTED' && p.stateAt !== null && Date.now() / 1000 - p.stateAt < SUBMIT_GRACE_S) return;
      return this.end(p, run.status, st, `${label} is no longer known to Slurm and its run folder holds no end`);
    }
    if (!ENDED_STATES.includes(task.state)) {
      if (task.state === 'PENDING' && run.status === 'running' && task.restarts > 0) {
        this.store.runs.setStatus(p.runId, 'queued', `requeued by Slurm (restart ${task.restarts})`);
        this.emitStatus(p.runId, 'queued');
      }
      return;
    }
    if (p.cancelRequested) {
      this.store.runs.markEnded(p.runId, 'cancelled', `cancelled by the user (scancel ${p.jobId}_${p.taskId})`);
      return this.emitStatus(p.runId, 'cancelled');
    }
    const what = `${label} ended ${task.state}${reason ? ` (${reason})` : ''}`;
    this.end(p, run.status, st, st.error ? `${what}: ${st.error}` : what);
  }

  private end(p: SlurmTaskRecord, status: RunStatus, st: ApplyState, why: string): void {
    const started = st.ready || status === 'running' || this.store.checkpoints.latest(p.runId) !== undefined;
    const tail = started && !st.error ? '' : outputTail(p);
    const reason = `${why}${tail ? `; task output: ${tail}` : ''}`;
    // As for a local worker: dead before training started is failed, afterwards interrupted; both resume.
    const next: RunStatus = started ? 'interrupted' : 'failed';
    this.store.runs.markEnded(p.runId, next, reason);
    this.emitStatus(p.runId, next);
  }

  private state(runId: number): ApplyState {
    let st = this.states.get(runId);
    if (!st) this.states.set(runId, (st = newApplyState()));
    return st;
  }

  private note(runId: number, st: ApplyState, level: 'info' | 'warn' | 'error', message: string): void {
    this.store.logs.insert(runId, level, message);
    st.logs.push({ level, message });
  }

  /** Events for what this ingest stored: logs, the latest metric points, progress from the heartbeat. */
  private announce(p: SlurmTaskRecord): void {
    const st = this.state(p.runId);
    const now = Date.now() / 1000;
    for (const l of st.logs.splice(0)) this.emit('log', { runId: p.runId, time: now, level: l.level, message: l.message });
    if (st.summary.size > 0) {
      this.emit('metrics', { runId: p.runId, points: [...st.summary.values()] });
      st.summary.clear();
    }
    const run = this.store.runs.require(p.runId);
    const beat = readHeartbeat(p.folder);
    if (run.status === 'running' && beat) {
      this.emit('progress', {
        runId: p.runId,
        globalStep: beat.globalStep,
        totalSteps: beat.totalSteps,
        sps: beat.sps,
        etaSeconds: beat.sps > 0 ? (beat.totalSteps - beat.globalStep) / beat.sps : null,
        episodes: beat.episodes,
        lastEval: beat.lastEval,
      });
    }
    this.emitStatus(p.runId, run.status);
  }

  private readonly lastStatus = new Map<number, string>();
  private emitStatus(runId: number, status: RunStatus): void {
    const r = this.store.runs.require(runId);
    const key = `${status}|${r.reason ?? ''}`;
    if (this.lastStatus.get(runId) === key) return;
    this.lastStatus.set(runId, key);
    this.emit('status', { runId, status: r.status, reason: r.reason, globalStep: r.globalStep });
  }
}

/** The last lines the task wrote to its Slurm output file (why it failed, when it says). */
export function outputTail(p: SlurmTaskRecord): string {
  const file = join(p.folder, '..', 'logs', `${p.jobId}_${p.taskId}.out`);
  try {
    return readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean).slice(-3).join(' | ');
  } catch {
    return '';
  }
}
