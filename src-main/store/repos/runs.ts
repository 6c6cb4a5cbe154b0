// Runs: one row per training run with its full resolved config, status and progress, plus tags.
// The filtered, sorted, paged runs table for the views and `lab runs` lives here too.
import type { Statement } from 'better-sqlite3';
import type { DB } from '../connection.ts';
import type { RunConfig } from '../../../src-core/train/types.ts';
import { StoreError } from '../errors.ts';

export type RunStatus = 'queued' | 'running' | 'paused' | 'completed' | 'failed' | 'cancelled' | 'interrupted';
export const RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'paused', 'completed', 'failed', 'cancelled', 'interrupted'];
/** Statuses a run can be resumed (or started) from. */
export const RESUMABLE: readonly RunStatus[] = ['queued', 'paused', 'interrupted', 'failed'];

export interface Versions {
  app?: string;
  tfjs?: string;
  node?: string;
  electron?: string;
  [k: string]: string | undefined;
}

export interface RunRecord {
  id: number;
  experimentId: number | null;
  label: string;
  envId: string;
  variant: string;
  envParams: Record<string, number>;
  algo: string;
  preset: string;
  seed: number;
  config: RunConfig;
  backend: string | null;
  versions: Versions | null;
  status: RunStatus;
  reason: string | null;
  ownerPid: number | null;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  globalStep: number;
  totalSteps: number;
  lastEval: Partial<Record<'deterministic' | 'stochastic', number>>;
  notes: string;
  tags: string[];
}

export interface RunFilter {
  experimentId?: number;
  env?: string;
  algo?: string;
  status?: RunStatus;
  tag?: string;
  /** `config.<path> = value` conditions; path like `algoConfig.gamma` or `env.params.alpha`. */
  config?: { path: string; value: string | number | boolean }[];
  sort?: 'id' | 'created' | 'env' | 'algo' | 'status' | 'seed' | 'step';
  desc?: boolean;
  limit?: number;
  offset?: number;
}

const SORT_COLUMNS: Record<NonNullable<RunFilter['sort']>, string> = {
  id: 'r.id',
  created: 'r.created_at',
  env: 'r.env_id',
  algo: 'r.algo',
  status: 'r.status',
  seed: 'r.seed',
  step: 'r.global_step',
};

/** Every column, with the JSONB config turned back into JSON text. */
const COLUMNS = `r.id, r.experiment_id, r.label, r.env_id, r.variant, r.env_params, r.algo, r.preset, r.seed, json(r.config) AS config,
  r.backend, r.versions, r.status, r.reason, r.owner_pid, r.created_at, r.started_at, r.ended_at, r.global_step, r.total_steps, r.last_eval, r.notes`;

const CONFIG_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*$/;

type Row = Record<string, unknown>;

export class RunsRepo {
  private readonly db: DB;
  private readonly s: Record<string, Statement>;
  /** Called after a run is deleted (the store drops the metrics repository's cached state for that id: SQLite reuses the id of a deleted newest run). */
  onDeleted: (id: number) => void = () => {};
  /** Called after a run ended or paused (the store writes the partial last blocks of its series). */
  onStopped: (id: number) => void = () => {};

  constructor(db: DB) {
    this.db = db;
    this.s = {
      insert: db.prepare(
        `INSERT INTO runs (experiment_id, label, env_id, variant, env_params, algo, preset, seed, config, status, created_at, total_steps)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, jsonb(?), 'queued', ?, ?)`,
      ),
      tag: db.prepare('INSERT OR IGNORE INTO run_tags (run_id, tag) VALUES (?, ?)'),
      untag: db.prepare('DELETE FROM run_tags WHERE run_id = ? AND tag = ?'),
      tagsOf: db.prepare('SELECT tag FROM run_tags WHERE run_id = ? ORDER BY tag').pluck(),
      get: db.prepare(`SELECT ${COLUMNS} FROM runs r WHERE r.id = ?`),
      status: db.prepare('UPDATE runs SET status = ?, reason = ?, owner_pid = ? WHERE id = ?'),
      started: db.prepare("UPDATE runs SET status = 'running', reason = NULL, owner_pid = ?, started_at = coalesce(started_at, ?), ended_at = NULL WHERE id = ?"),
      ended: db.prepare('UPDATE runs SET status = ?, reason = ?, owner_pid = NULL, ended_at = ? WHERE id = ?'),
      ready: db.prepare('UPDATE runs SET backend = ?, versions = ? WHERE id = ?'),
      step: db.prepare('UPDATE runs SET global_step = ? WHERE id = ?'),
      lastEval: db.prepare("UPDATE runs SET last_eval = json_set(last_eval, '$.' || ?, ?) WHERE id = ?"),
      resetEval: db.prepare("UPDATE runs SET last_eval = '{}' WHERE id = ?"),
      notes: db.prepare('UPDATE runs SET notes = ? WHERE id = ?'),
      del: db.prepare('DELETE FROM runs WHERE id = ?'),
      delMetrics: db.prepare('DELETE FROM metrics WHERE run_id = ?'),
      delTiles: db.prepare('DELETE FROM metric_tiles WHERE run_id = ?'),
      // runs on a Slurm cluster have no local owner: the cluster ingester decides their status
      running: db.prepare("SELECT id, owner_pid FROM runs WHERE status = 'running' AND id NOT IN (SELECT run_id FROM slurm_tasks)"),
      byExperiment: db.prepare('SELECT id FROM runs WHERE experiment_id = ? ORDER BY id').pluck(),
      byStatus: db.prepare('SELECT id FROM runs WHERE status = ? ORDER BY id').pluck(),
    };
  }

  insert(
    config: RunConfig,
    opts: { experimentId?: number | null; label?: string; tags?: string[] } = {},
  ): number {
    const id = Number(
      this.s.insert!.run(
        opts.experimentId ?? null,
        opts.label ?? '',
        config.env.id,
        config.env.variant,
        JSON.stringify(config.env.params),
        config.algo,
        config.preset,
        config.seed,
        JSON.stringify(config),
        Date.now() / 1000,
        config.totalSteps,
      ).lastInsertRowid,
    );
    for (const t of opts.tags ?? []) this.s.tag!.run(id, t);
    return id;
  }

  get(id: number): RunRecord | undefined {
    const r = this.s.get!.get(id) as Row | undefined;
    return r && this.toRecord(r);
  }

  /** The run, or a StoreError naming the unknown id. */
  require(id: number): RunRecord {
    const r = this.get(id);
    if (!r) throw new StoreError(`no run with id ${id}`);
    return r;
  }

  idsOfExperiment(experimentId: number): number[] {
    return this.s.byExperiment!.all(experimentId) as number[];
  }

  idsWithStatus(status: RunStatus): number[] {
    return this.s.byStatus!.all(status) as number[];
  }

  setStatus(id: number, status: RunStatus, reason: string | null = null): void {
    this.s.status!.run(status, reason, null, id);
    if (status === 'paused') this.onStopped(id);
  }

  /** Status running since now; ownerPid is the local process running it (null: a cluster task). */
  markStarted(id: number, ownerPid: number | null): void {
    this.s.started!.run(ownerPid, Date.now() / 1000, id);
  }

  markEnded(id: number, status: RunStatus, reason: string | null = null): void {
    this.s.ended!.run(status, reason, Date.now() / 1000, id);
    this.onStopped(id);
  }

  setReady(id: number, backend: string, versions: Versions): void {
    this.s.ready!.run(backend, JSON.stringify(versions), id);
  }

  setGlobalStep(id: number, step: number): void {
    this.s.step!.run(step, id);
  }

  setLastEval(id: number, mode: 'deterministic' | 'stochastic', mean: number): void {
    this.s.lastEval!.run(mode, Number.isFinite(mean) ? mean : null, id);
  }

  resetLastEval(id: number): void {
    this.s.resetEval!.run(id);
  }

  setNotes(id: number, notes: string): void {
    this.s.notes!.run(notes, id);
  }

  addTag(id: number, tag: string): void {
    this.s.tag!.run(id, tag);
  }

  removeTag(id: number, tag: string): void {
    this.s.untag!.run(id, tag);
  }

  /** Deletes the run with its metrics and tiles; metric blocks, evaluations, episodes, checkpoint rows, trajectories and logs go by cascade. */
  delete(id: number): void {
    this.db.transaction(() => {
      this.s.delMetrics!.run(id);
      this.s.delTiles!.run(id);
      this.s.del!.run(id);
    })();
    this.onDeleted(id);
  }

  /**
   * Runs left `running` by a process that no longer exists become `interrupted` (the manager died).
   * Returns their ids. `isAlive` is injectable for tests.
   */
  recoverOrphans(isAlive: (pid: number) => boolean = pidAlive): number[] {
    const orphans = (this.s.running!.all() as { id: number; owner_pid: number | null }[]).filter(
      (r) => r.owner_pid === null || !isAlive(r.owner_pid),
    );
    this.db.transaction(() => {
      for (const r of orphans) {
        this.markEnded(r.id, 'interrupted', `the lab process${r.owner_pid ? ` (pid ${r.owner_pid})` : ''} running it stopped unexpectedly`);
      }
    })();
    return orphans.map((r) => r.id);
  }

  /** The runs table: filtered, sorted and paged; `total` counts every match. */
  list(f: RunFilter = {}): { total: number; rows: RunRecord[] } {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.experimentId !== undefined) {
      where.push('r.experiment_id = ?');
      params.push(f.experimentId);
    }
    if (f.env !== undefined) {
      where.push('r.env_id = ?');
      params.push(f.env);
    }
    if (f.algo !== undefined) {
      where.push('r.algo = ?');
      params.push(f.algo);
    }
    if (f.status !== undefined) {
      where.push('r.status = ?');
      params.push(f.status);
    }
    if (f.tag !== undefined) {
      where.push('EXISTS (SELECT 1 FROM run_tags t WHERE t.run_id = r.id AND t.tag = ?)');
      params.push(f.tag);
    }
    for (const c of f.config ?? []) {
      if (!CONFIG_PATH.test(c.path)) throw new StoreError(`config filter: '${c.path}' is not a key path like algoConfig.gamma`);
      where.push('json_extract(r.config, ?) = ?');
      params.push(`$.${c.path}`, typeof c.value === 'boolean' ? (c.value ? 1 : 0) : c.value);
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const order = `${SORT_COLUMNS[f.sort ?? 'id']} ${f.desc ? 'DESC' : 'ASC'}, r.id ${f.desc ? 'DESC' : 'ASC'}`;
    const limit = f.limit ?? -1;
    const offset = f.offset ?? 0;
    const total = (this.cached(`SELECT count(*) FROM runs r ${clause}`).pluck().get(...params) as number) ?? 0;
    const rows = this.cached(`SELECT ${COLUMNS} FROM runs r ${clause} ORDER BY ${order} LIMIT ? OFFSET ?`).all(...params, limit, offset) as Row[];
    return { total, rows: rows.map((r) => this.toRecord(r)) };
  }

  private readonly stmtCache = new Map<string, Statement>();
  /** Filter queries have a few shapes; each shape is prepared once. */
  private cached(sql: string): Statement {
    let st = this.stmtCache.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.stmtCache.set(sql, st);
    }
    return st;
  }

  private toRecord(r: Row): RunRecord {
    return {
      id: r.id as number,
      experimentId: r.experiment_id as number | null,
      label: r.label as string,
      envId: r.env_id as string,
      variant: r.variant as string,
      envParams: JSON.parse(r.env_params as string),
      algo: r.algo as string,
      preset: r.preset as string,
      seed: r.seed as number,
      config: JSON.parse(r.config as string),
      backend: r.backend as string | null,
      versions: r.versions ? JSON.parse(r.versions as string) : null,
      status: r.status as RunStatus,
      reason: r.reason as string | null,
      ownerPid: r.owner_pid as number | null,
      createdAt: r.created_at as number,
      startedAt: r.started_at as number | null,
      endedAt: r.ended_at as number | null,
      globalStep: r.global_step as number,
      totalSteps: r.total_steps as number,
      lastEval: JSON.parse(r.last_eval as string),
      notes: r.notes as string,
      tags: this.s.tagsOf!.all(r.id) as string[],
    };
  }
}

export function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
