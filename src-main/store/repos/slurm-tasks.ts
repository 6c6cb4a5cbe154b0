// Slurm placements (migration 3): for a run sent to a cluster, its shared folder, run folder,
// submission options, job array id and task index, the Slurm state last seen, and how far the
// single writer has read the run folder's report files (src-main/cluster/ingest.ts).
import type { Statement } from 'better-sqlite3';
import type { DB } from '../connection.ts';

export interface SlurmOptions {
  partition?: string;
  time?: string;
  cpusPerTask?: number;
  mem?: string;
  /** Extra sbatch arguments, passed as given. */
  sbatchArgs: string[];
  /** Submitted with --requeue: Slurm restarts a preempted or failed node's task, which resumes by itself. */
  requeue: boolean;
  /** Tensor backend every task asks for (lab experiment run --backend); absent: each run's config. */
  backend?: string;
  /** Seed group size (lab experiment run --seed-batch); absent: each run's seed_batch, else auto. */
  seedBatch?: 'auto' | 'off' | number;
}

export interface SlurmTaskRecord {
  runId: number;
  workdir: string;
  folder: string;
  options: SlurmOptions;
  jobId: string | null;
  taskId: number | null;
  attempt: number;
  state: string | null;
  stateReason: string | null;
  stateAt: number | null;
  cancelRequested: boolean;
  ingestSegment: number;
  ingestOffset: number;
  /** The lab process ingesting this run's folder (only one does: the metrics repository caches per-run state). */
  ingestPid: number | null;
}

type Row = Record<string, unknown>;

export class SlurmTasksRepo {
  private readonly s: Record<string, Statement>;

  constructor(db: DB) {
    this.s = {
      insert: db.prepare('INSERT INTO slurm_tasks (run_id, workdir, folder, options) VALUES (?, ?, ?, ?)'),
      get: db.prepare('SELECT * FROM slurm_tasks WHERE run_id = ?'),
      submitted: db.prepare('UPDATE slurm_tasks SET job_id = ?, task_id = ?, attempt = ?, state = ?, state_reason = NULL, state_at = ?, cancel_requested = 0 WHERE run_id = ?'),
      state: db.prepare('UPDATE slurm_tasks SET state = ?, state_reason = ?, state_at = ? WHERE run_id = ?'),
      cancel: db.prepare('UPDATE slurm_tasks SET cancel_requested = 1 WHERE run_id = ?'),
      ingest: db.prepare('UPDATE slurm_tasks SET ingest_segment = ?, ingest_offset = ? WHERE run_id = ?'),
      claim: db.prepare('UPDATE slurm_tasks SET ingest_pid = ? WHERE run_id = ?'),
      task: db.prepare('SELECT run_id FROM slurm_tasks WHERE job_id = ? AND task_id = ? ORDER BY run_id').pluck(),
      unfinished: db.prepare(
        "SELECT t.run_id FROM slurm_tasks t JOIN runs r ON r.id = t.run_id WHERE r.status IN ('queued', 'running') ORDER BY t.run_id",
      ).pluck(),
    };
  }

  insert(runId: number, workdir: string, folder: string, options: SlurmOptions): void {
    this.s.insert!.run(runId, workdir, folder, JSON.stringify(options));
  }

  get(runId: number): SlurmTaskRecord | undefined {
    const r = this.s.get!.get(runId) as Row | undefined;
    return r && toRecord(r);
  }

  /** Record a (re)submission: job id, array index, attempt number; clears a cancel request. */
  setSubmitted(runId: number, jobId: string, taskId: number, attempt: number): void {
    this.s.submitted!.run(jobId, taskId, attempt, 'SUBMITTED', Date.now() / 1000, runId);
  }

  setState(runId: number, state: string, reason: string | null): void {
    this.s.state!.run(state, reason, Date.now() / 1000, runId);
  }

  markCancelRequested(runId: number): void {
    this.s.cancel!.run(runId);
  }

  setIngest(runId: number, segment: number, offset: number): void {
    this.s.ingest!.run(segment, offset, runId);
  }

  /** This process becomes the one that ingests the run (see ingestPid). */
  claimIngest(runId: number, pid: number): void {
    this.s.claim!.run(pid, runId);
  }

  /** The runs an array task trains (one, or the members of a seed group). */
  runsOfTask(jobId: string, taskId: number): number[] {
    return this.s.task!.all(jobId, taskId) as number[];
  }

  /** Runs on Slurm whose status is still queued or running (what a sync must look at). */
  unfinishedIds(): number[] {
    return this.s.unfinished!.all() as number[];
  }
}

function toRecord(r: Row): SlurmTaskRecord {
  return {
    runId: r.run_id as number,
    workdir: r.workdir as string,
    folder: r.folder as string,
    options: JSON.parse(r.options as string) as SlurmOptions,
    jobId: r.job_id as string | null,
    taskId: r.task_id as number | null,
    attempt: r.attempt as number,
    state: r.state as string | null,
    stateReason: r.state_reason as string | null,
    stateAt: r.state_at as number | null,
    cancelRequested: (r.cancel_requested as number) === 1,
    ingestSegment: r.ingest_segment as number,
    ingestOffset: r.ingest_offset as number,
    ingestPid: r.ingest_pid as number | null,
  };
}
