// The lab store: one better-sqlite3 connection and the repositories built on it.
// Only the main process (or the CLI process) opens it; workers never do. Every write batch is one
// synchronous transaction (no await inside), so a crash loses at most the batch in flight.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { openDatabase, type DB } from './connection.ts';
import { StoreError } from './errors.ts';
import { ExperimentsRepo } from './repos/experiments.ts';
import { RunsRepo } from './repos/runs.ts';
import { MetricsRepo, type Series } from './repos/metrics.ts';
import { EvaluationsRepo, EpisodesRepo } from './repos/evaluations.ts';
import { CheckpointsRepo, type CheckpointRecord } from './repos/checkpoints.ts';
import { TrajectoriesRepo } from './repos/trajectories.ts';
import { LogsRepo } from './repos/logs.ts';
import { SlurmTasksRepo } from './repos/slurm-tasks.ts';

export { StoreError } from './errors.ts';
export type { RunRecord, RunStatus, RunFilter, Versions } from './repos/runs.ts';
export type { Series, MetricInput } from './repos/metrics.ts';

export class Store {
  readonly path: string;
  readonly db: DB;
  readonly experiments: ExperimentsRepo;
  readonly runs: RunsRepo;
  readonly metrics: MetricsRepo;
  readonly evaluations: EvaluationsRepo;
  readonly episodes: EpisodesRepo;
  readonly checkpoints: CheckpointsRepo;
  readonly trajectories: TrajectoriesRepo;
  readonly logs: LogsRepo;
  /** Runs placed on a Slurm cluster (src-main/cluster); local runs have no row. */
  readonly slurm: SlurmTasksRepo;

  constructor(path: string, opts: { mustExist?: boolean } = {}) {
    this.path = resolve(path);
    this.db = openDatabase(this.path, opts.mustExist ?? false);
    this.experiments = new ExperimentsRepo(this.db);
    this.runs = new RunsRepo(this.db);
    this.metrics = new MetricsRepo(this.db);
    this.runs.onDeleted = (id) => this.metrics.invalidate(id);
    this.runs.onStopped = (id) => this.metrics.seal(id);
    this.experiments.onRunsDeleted = (ids) => ids.forEach((id) => this.metrics.invalidate(id));
    this.evaluations = new EvaluationsRepo(this.db);
    this.episodes = new EpisodesRepo(this.db);
    this.checkpoints = new CheckpointsRepo(this.db);
    this.trajectories = new TrajectoriesRepo(this.db);
    this.logs = new LogsRepo(this.db);
    this.slurm = new SlurmTasksRepo(this.db);
  }

  /** Run `fn` in one transaction (synchronous: never pass an async function). */
  tx<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn)();
    } catch (err) {
      this.metrics.forgetCaches(); // cached key ids and tiles may name rows the rollback removed
      throw err;
    }
  }

  /**
   * Forget everything a run recorded after `step` (resume from the checkpoint at `step`), so the
   * resumed worker's rows are never duplicated. Returns the checkpoint records removed (their files
   * are the caller's to delete).
   */
  rollbackAfter(runId: number, step: number): CheckpointRecord[] {
    return this.tx(() => {
      const stale = this.checkpoints.after(runId, step);
      this.metrics.deleteAfter(runId, step);
      this.evaluations.deleteAfter(runId, step);
      this.episodes.deleteAfter(runId, step);
      this.trajectories.deleteAfter(runId, step);
      this.checkpoints.deleteAfter(runId, step);
      this.runs.setGlobalStep(runId, Math.max(0, step));
      return stale;
    });
  }

  /** Several keys of several runs, each series down-sampled to at most maxPoints points. */
  seriesFor(runIds: readonly number[], keys: readonly string[], maxPoints: number): Map<number, Map<string, Series>> {
    const out = new Map<number, Map<string, Series>>();
    this.db.transaction(() => {
      for (const id of runIds) {
        const byKey = new Map<string, Series>();
        for (const k of keys) byKey.set(k, this.metrics.series(id, k, maxPoints));
        out.set(id, byKey);
      }
    })(); // one read transaction: a consistent snapshot while a writer appends
    return out;
  }

  integrityCheck(): string {
    return (this.db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
  }

  /** Online backup to a new file (SQLite's backup API; safe while runs write). */
  async backup(file: string): Promise<void> {
    const dest = resolve(file);
    if (dest === this.path) throw new StoreError('backup file is the database itself');
    if (existsSync(dest)) {
      throw new StoreError(statSync(dest).isDirectory() ? `backup path ${file} is a directory` : `backup file ${file} already exists; choose a new name`);
    }
    await this.db.backup(dest);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/**
 * Open (create, migrate, check) the store at `path`; with mustExist, a missing file is an error
 * instead of a new empty database (read-only commands). Throws StoreError with a one-line message.
 */
export function openStore(path: string, opts: { mustExist?: boolean } = {}): Store {
  return new Store(path, opts);
}
