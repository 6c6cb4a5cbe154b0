// Evaluations (per-episode returns, lengths and start seeds per mode) and training episodes.
import type { Statement } from 'better-sqlite3';
import type { DB } from '../connection.ts';
import type { EvalMode, Evaluation, TrainingEpisode } from '../../../src-core/train/types.ts';

export interface EvaluationRecord extends Evaluation {
  meanReturn: number;
  stdReturn: number;
}

export class EvaluationsRepo {
  private readonly s: Record<string, Statement>;
  constructor(db: DB) {
    this.s = {
      insert: db.prepare(
        `INSERT OR REPLACE INTO evaluations (run_id, step, mode, returns, lengths, start_seeds, mean_return, std_return, wall_time)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      list: db.prepare('SELECT * FROM evaluations WHERE run_id = ? ORDER BY step, mode'),
      listMode: db.prepare('SELECT * FROM evaluations WHERE run_id = ? AND mode = ? ORDER BY step'),
      curve: db.prepare('SELECT step, mode, mean_return FROM evaluations WHERE run_id = ? ORDER BY step'),
      curves: db.prepare('SELECT run_id, step, mode, mean_return FROM evaluations ORDER BY run_id, step'),
      deleteAfter: db.prepare('DELETE FROM evaluations WHERE run_id = ? AND step > ?'),
      latest: db.prepare('SELECT mode, mean_return FROM evaluations WHERE run_id = ? AND step = (SELECT max(step) FROM evaluations e WHERE e.run_id = ? AND e.mode = evaluations.mode)'),
    };
  }

  insert(runId: number, e: Evaluation): EvaluationRecord {
    const n = e.returns.length;
    const mean = n > 0 ? e.returns.reduce((a, b) => a + b, 0) / n : Number.NaN;
    const std = n > 0 ? Math.sqrt(e.returns.reduce((a, b) => a + (b - mean) ** 2, 0) / n) : Number.NaN;
    this.s.insert!.run(runId, e.step, e.mode, encodeFloats(e.returns), JSON.stringify(e.lengths), JSON.stringify(e.startSeeds), fin(mean), fin(std), e.wallTime);
    return { ...e, meanReturn: mean, stdReturn: std };
  }

  list(runId: number, mode?: EvalMode): EvaluationRecord[] {
    const rows = (mode ? this.s.listMode!.all(runId, mode) : this.s.list!.all(runId)) as Record<string, unknown>[];
    return rows.map((r) => ({
      step: r.step as number,
      mode: r.mode as EvalMode,
      returns: decodeFloats(r.returns as string),
      lengths: JSON.parse(r.lengths as string),
      startSeeds: JSON.parse(r.start_seeds as string),
      wallTime: r.wall_time as number,
      meanReturn: (r.mean_return as number | null) ?? Number.NaN,
      stdReturn: (r.std_return as number | null) ?? Number.NaN,
    }));
  }

  /** Each run's evaluation means by mode, in step order (NaN where an evaluation diverged); every run's without runIds. */
  curves(runIds?: readonly number[]): Map<number, Record<EvalMode, { step: number; mean: number }[]>> {
    const out = new Map<number, Record<EvalMode, { step: number; mean: number }[]>>();
    const add = (runId: number, r: Record<string, unknown>) => {
      let c = out.get(runId);
      if (!c) out.set(runId, (c = { deterministic: [], stochastic: [] }));
      c[r.mode as EvalMode]?.push({ step: r.step as number, mean: (r.mean_return as number | null) ?? Number.NaN });
    };
    if (runIds === undefined) for (const r of this.s.curves!.all() as Record<string, unknown>[]) add(r.run_id as number, r);
    else for (const id of runIds) for (const r of this.s.curve!.all(id) as Record<string, unknown>[]) add(id, r);
    return out;
  }

  deleteAfter(runId: number, step: number): void {
    this.s.deleteAfter!.run(runId, step);
  }
}

export class EpisodesRepo {
  private readonly s: Record<string, Statement>;
  constructor(db: DB) {
    this.s = {
      insert: db.prepare('INSERT INTO episodes (run_id, step, return, length, wall_time) VALUES (?, ?, ?, ?, ?)'),
      list: db.prepare('SELECT step, return, length, wall_time FROM episodes WHERE run_id = ? ORDER BY step, rowid'),
      deleteAfter: db.prepare('DELETE FROM episodes WHERE run_id = ? AND step > ?'),
      count: db.prepare('SELECT count(*) FROM episodes WHERE run_id = ?').pluck(),
    };
  }

  /** Call inside a transaction for batches. */
  insert(runId: number, e: TrainingEpisode): void {
    this.s.insert!.run(runId, e.step, fin(e.return), e.length, e.wallTime);
  }

  list(runId: number): TrainingEpisode[] {
    return (this.s.list!.all(runId) as { step: number; return: number | null; length: number; wall_time: number }[]).map((r) => ({
      step: r.step,
      return: r.return ?? Number.NaN,
      length: r.length,
      wallTime: r.wall_time,
    }));
  }

  count(runId: number): number {
    return this.s.count!.get(runId) as number;
  }

  deleteAfter(runId: number, step: number): void {
    this.s.deleteAfter!.run(runId, step);
  }
}

/**
 * Per-episode returns as JSON, non-finite values written as the strings "NaN", "Infinity" and
 * "-Infinity" (plain JSON.stringify would write null, later read as 0 by arithmetic; issue 18).
 */
export function encodeFloats(xs: readonly number[]): string {
  return JSON.stringify(xs.map((v) => (Number.isFinite(v) ? v : String(v))));
}

/** Inverse of encodeFloats; a null (rows written before the encoding, from a NaN or an infinity) reads as NaN. */
export function decodeFloats(text: string): number[] {
  return (JSON.parse(text) as (number | string | null)[]).map((v) => (v === null ? Number.NaN : typeof v === 'string' ? Number(v) : v));
}

function fin(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}
