// Metric rows (run, key, step, wall_time, value) and their min/max tiles (../downsample.ts).
// Ingest is one transaction per batch; points of a series must arrive in increasing step order
// (the training loop guarantees it): a point at or before the series' last step is dropped and
// counted, so a step is never stored twice. NaN is stored as NULL and read back as NaN.
// Alongside the rows, every series is packed in blocks of METRIC_BLOCK points (../blocks.ts): a
// block is written when it fills, the last partial one when the run ends (seal); `packed` reads a
// series whole from them (and the few rows after them).
import type { DB } from '../connection.ts';
import type { Statement } from 'better-sqlite3';
import { StoreError } from '../errors.ts';
import { TILE_BASE, TILE_FANOUT, TILE_LEVELS, TileAcc, chooseLevel, tileSize, type TileRow } from '../downsample.ts';
import { METRIC_BLOCK, OpenBlock, copyBlob, encodeBlock } from '../blocks.ts';

export interface MetricInput {
  key: string;
  step: number;
  wallTime: number;
  value: number;
}

/** A series as parallel arrays in step order. */
export interface Series {
  step: Float64Array;
  wallTime: Float64Array;
  value: Float64Array;
  /** Points in the full series (before down-sampling). */
  count: number;
}

/** A whole series read from its packed blocks (wall times when asked for). */
export interface PackedSeries {
  step: Float64Array;
  value: Float64Array;
  wallTime?: Float64Array;
}

interface SeriesState {
  keyId: number;
  count: number;
  lastStep: number;
  acc: TileAcc[]; // one open tile per level
  blk: OpenBlock; // the points of the block being filled
  dirty: boolean;
}

type BlockTuple = [number, number, number, number, number | null, Buffer | null, Buffer, Buffer?];

type TileTuple = [number, number, number, number | null, number, number, number | null];

export class MetricsRepo {
  private readonly db: DB;
  private readonly keyIds = new Map<string, number>();
  private readonly states = new Map<number, Map<number, SeriesState>>();
  /** The same series states by key name (one lookup per point on the ingest path). */
  private readonly byName = new Map<number, Map<string, SeriesState>>();
  private readonly s: Record<string, Statement>;

  constructor(db: DB) {
    this.db = db;
    this.s = {
      keyGet: db.prepare('SELECT id FROM metric_keys WHERE key = ?').pluck(),
      keyInsert: db.prepare('INSERT INTO metric_keys (key) VALUES (?)'),
      insert: db.prepare('INSERT INTO metrics (run_id, key_id, step, wall_time, value) VALUES (?, ?, ?, ?, ?)'),
      tileInsert: db.prepare(
        `INSERT OR REPLACE INTO metric_tiles (run_id, key_id, level, idx, last_step, min_step, min_wall, min_value, max_step, max_wall, max_value)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      blockInsert: db.prepare(
        `INSERT OR REPLACE INTO metric_blocks (run_id, key_id, idx, n, first_step, last_step, stride, steps, vals, wall)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      blocks: db.prepare('SELECT idx, n, first_step, last_step, stride, steps, vals FROM metric_blocks WHERE run_id = ? AND key_id = ? ORDER BY idx').raw(),
      blocksWall: db.prepare('SELECT idx, n, first_step, last_step, stride, steps, vals, wall FROM metric_blocks WHERE run_id = ? AND key_id = ? ORDER BY idx').raw(),
      blockSpans: db.prepare('SELECT idx, n, last_step FROM metric_blocks WHERE run_id = ? AND key_id = ? ORDER BY idx').raw(),
      rowsAfterLimit: db.prepare('SELECT step, wall_time, value FROM metrics WHERE run_id = ? AND key_id = ? AND step > ? ORDER BY step LIMIT ?').raw(),
      rowsAfter: db.prepare('SELECT step, wall_time, value FROM metrics WHERE run_id = ? AND key_id = ? AND step > ? ORDER BY step').raw(),
      deleteBlocksAfter: db.prepare('DELETE FROM metric_blocks WHERE run_id = ? AND last_step > ?'),
      seriesGet: db.prepare('SELECT count, last_step FROM metric_series WHERE run_id = ? AND key_id = ?'),
      seriesUpsert: db.prepare(
        `INSERT INTO metric_series (run_id, key_id, count, last_step) VALUES (?, ?, ?, ?)
         ON CONFLICT (run_id, key_id) DO UPDATE SET count = excluded.count, last_step = excluded.last_step`,
      ),
      tailRaw: db.prepare(
        'SELECT step, wall_time, value FROM metrics WHERE run_id = ? AND key_id = ? ORDER BY step DESC LIMIT ?',
      ).raw(),
      tilesFrom: db.prepare(
        `SELECT last_step, min_step, min_wall, min_value, max_step, max_wall, max_value FROM metric_tiles
         WHERE run_id = ? AND key_id = ? AND level = ? AND idx >= ? ORDER BY idx`,
      ).raw(),
      raw: db.prepare('SELECT step, wall_time, value FROM metrics WHERE run_id = ? AND key_id = ? ORDER BY step').raw(),
      tailMin: db.prepare(
        'SELECT step, wall_time, min(value) FROM metrics WHERE run_id = ? AND key_id = ? AND step > ? AND value IS NOT NULL',
      ).raw(),
      tailMax: db.prepare(
        'SELECT step, wall_time, max(value) FROM metrics WHERE run_id = ? AND key_id = ? AND step > ? AND value IS NOT NULL',
      ).raw(),
      keysOfRun: db.prepare(
        'SELECT k.key, s.count, s.last_step FROM metric_series s JOIN metric_keys k ON k.id = s.key_id WHERE s.run_id = ? ORDER BY k.key',
      ),
      latest: db.prepare(
        `SELECT k.key, m.step, m.value FROM metric_series s JOIN metric_keys k ON k.id = s.key_id
         JOIN metrics m ON m.run_id = s.run_id AND m.key_id = s.key_id AND m.step = s.last_step WHERE s.run_id = ? ORDER BY k.key`,
      ),
      deleteAfter: db.prepare('DELETE FROM metrics WHERE run_id = ? AND step > ?'),
      deleteTilesAfter: db.prepare('DELETE FROM metric_tiles WHERE run_id = ? AND last_step > ?'),
      recount: db.prepare(
        `UPDATE metric_series SET
           count = (SELECT count(*) FROM metrics m WHERE m.run_id = metric_series.run_id AND m.key_id = metric_series.key_id),
           last_step = coalesce((SELECT max(step) FROM metrics m WHERE m.run_id = metric_series.run_id AND m.key_id = metric_series.key_id), -1)
         WHERE run_id = ?`,
      ),
      dropEmpty: db.prepare('DELETE FROM metric_series WHERE run_id = ? AND count = 0'),
      all: db.prepare(
        'SELECT k.key, m.step, m.wall_time, m.value FROM metrics m JOIN metric_keys k ON k.id = m.key_id WHERE m.run_id = ? ORDER BY k.key, m.step',
      ).raw(),
    };
  }

  keyId(key: string, create: boolean): number | undefined {
    let id = this.keyIds.get(key);
    if (id !== undefined) return id;
    id = this.s.keyGet!.get(key) as number | undefined;
    if (id === undefined && create) id = Number(this.s.keyInsert!.run(key).lastInsertRowid);
    if (id !== undefined) this.keyIds.set(key, id);
    return id;
  }

  /** Append a batch in one transaction. Returns how many points were stored and dropped (out of order). */
  append(runId: number, points: readonly MetricInput[]): { stored: number; dropped: number } {
    try {
      return this.appendTx(runId, points);
    } catch (err) {
      this.forgetCaches(); // in-memory tiles and key ids may be ahead of the rolled-back rows
      throw err;
    }
  }

  private appendTx(runId: number, points: readonly MetricInput[]): { stored: number; dropped: number } {
    return this.tx(runId, points);
  }

  private readonly tx = (runId: number, points: readonly MetricInput[]) => {
    this.txFn ??= this.db.transaction((r: number, p: readonly MetricInput[]) => this.appendRows(r, p));
    return this.txFn(runId, points);
  };
  private txFn: ((runId: number, points: readonly MetricInput[]) => { stored: number; dropped: number }) | undefined;

  private appendRows(runId: number, points: readonly MetricInput[]): { stored: number; dropped: number } {
    let stored = 0;
    let dropped = 0;
    const touched: SeriesState[] = [];
    let byName = this.byName.get(runId);
    if (!byName) this.byName.set(runId, (byName = new Map()));
    let lastKey = '';
    let st: SeriesState | undefined;
    for (const p of points) {
      if (p.key !== lastKey || st === undefined) {
        st = byName.get(p.key);
        if (!st) {
          st = this.state(runId, this.keyId(p.key, true)!);
          byName.set(p.key, st);
        }
        lastKey = p.key;
      }
      if (!(p.step > st.lastStep)) {
        dropped++;
        continue;
      }
      const v = p.value === p.value ? p.value : null;
      this.s.insert!.run(runId, st.keyId, p.step, p.wallTime, v);
      st.lastStep = p.step;
      st.count++;
      if (!st.dirty) {
        st.dirty = true;
        touched.push(st);
      }
      stored++;
      const a0 = st.acc[0]!;
      a0.addPoint(p.step, p.wallTime, p.value);
      if (a0.n === TILE_BASE) this.closeTile(runId, st.keyId, st, 0);
      st.blk.add(p.step, p.wallTime, p.value);
      if (st.blk.n === METRIC_BLOCK) this.writeBlock(runId, st);
    }
    for (const t of touched) {
      this.s.seriesUpsert!.run(runId, t.keyId, t.count, t.lastStep);
      t.dirty = false;
    }
    return { stored, dropped };
  }

  private closeTile(runId: number, keyId: number, st: SeriesState, level: number): void {
    const a = st.acc[level]!;
    const idx = Math.floor(st.count / tileSize(level)) - 1;
    this.s.tileInsert!.run(runId, keyId, level, idx, a.lastStep, a.minStep, a.minWall, nullIfNaN(a.minValue), a.maxStep, a.maxWall, nullIfNaN(a.maxValue));
    if (level + 1 < TILE_LEVELS) {
      const up = st.acc[level + 1]!;
      up.addTile(a, a.n);
      if (up.n === tileSize(level + 1)) this.closeTile(runId, keyId, st, level + 1);
    }
    a.reset();
  }

  /** Write the series' open block (full, or partial when sealing) at its index, then empty it. */
  private writeBlock(runId: number, st: SeriesState): void {
    const b = st.blk;
    const idx = Math.floor((st.count - b.n) / METRIC_BLOCK);
    this.s.blockInsert!.run(runId, st.keyId, idx, ...encodeBlock(b.step, b.wall, b.value, b.n));
    b.reset();
  }

  /**
   * The run stopped recording (it ended or paused): write each series' partial last block, so a
   * read needs no rows, and free its ingest state. A later append (a resume) rebuilds the state and
   * rewrites that block when it fills.
   */
  seal(runId: number): void {
    const byKey = this.states.get(runId);
    if (!byKey) return;
    this.db.transaction(() => {
      for (const st of byKey.values()) if (st.blk.n > 0) this.writeBlock(runId, st);
    })();
    this.invalidate(runId);
  }

  /**
   * A whole series from its packed blocks and the rows after the last one (wall times too when
   * asked). null when the blocks do not start at the first point or do not add up, with those rows,
   * to `count` points ending at `lastStep` (a series recorded before blocks existed): read rows then.
   */
  packed(runId: number, keyId: number, count: number, lastStep: number, withWall = false): PackedSeries | null {
    const blocks = (withWall ? this.s.blocksWall! : this.s.blocks!).all(runId, keyId) as BlockTuple[];
    if (blocks.length === 0 || count <= 0) return null;
    const step = new Float64Array(count);
    const value = new Float64Array(count);
    const wall = withWall ? new Float64Array(count) : undefined;
    let n = 0;
    let covered = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < blocks.length; i++) {
      const [idx, bn, first, last, stride, steps, vals, w] = blocks[i]!;
      if (idx !== i || n + bn > count || (bn !== METRIC_BLOCK && i !== blocks.length - 1)) return null;
      if (steps === null) for (let j = 0; j < bn; j++) step[n + j] = first + j * stride!;
      else copyBlob(steps, step, n, bn);
      copyBlob(vals, value, n, bn);
      if (wall) copyBlob(w!, wall, n, bn);
      n += bn;
      covered = last;
    }
    if (n < count) {
      const rows = this.s.rowsAfter!.all(runId, keyId, covered) as [number, number, number | null][];
      if (n + rows.length !== count) return null;
      for (const [s, wt, v] of rows) {
        step[n] = s;
        value[n] = v ?? Number.NaN;
        if (wall) wall[n] = wt;
        n++;
      }
    }
    if (step[count - 1] !== lastStep) return null;
    return wall ? { step, value, wallTime: wall } : { step, value };
  }

  /**
   * Pack a series that has no blocks, or not all of them (recorded before blocks existed), from its
   * rows: one call writes the blocks of at most about `maxRows` rows after its complete leading
   * blocks, in one transaction, so a caller can spread a long series over turns of the event loop;
   * the last partial block is written with the series' end. 'done' when the blocks reach the end;
   * 'skipped' (nothing written) while this repository is ingesting into the run.
   */
  packFromRows(runId: number, keyId: number, maxRows: number): 'more' | 'done' | 'skipped' {
    if (this.states.has(runId)) return 'skipped';
    return this.db.transaction((): 'more' | 'done' => {
      let full = 0;
      let covered = Number.NEGATIVE_INFINITY;
      for (const [idx, n, last] of this.s.blockSpans!.all(runId, keyId) as [number, number, number][]) {
        if (idx !== full || n !== METRIC_BLOCK) break;
        full++;
        covered = last;
      }
      const limit = Number.isFinite(maxRows) ? Math.max(1, Math.ceil(maxRows / METRIC_BLOCK)) * METRIC_BLOCK : -1; // -1: all
      const rows = this.s.rowsAfterLimit!.all(runId, keyId, covered, limit) as [number, number, number | null][];
      const step = new Float64Array(METRIC_BLOCK);
      const wall = new Float64Array(METRIC_BLOCK);
      const value = new Float64Array(METRIC_BLOCK);
      for (let at = 0; at < rows.length; at += METRIC_BLOCK) {
        const n = Math.min(METRIC_BLOCK, rows.length - at);
        for (let i = 0; i < n; i++) {
          const [st, wt, v] = rows[at + i]!;
          step[i] = st;
          wall[i] = wt;
          value[i] = v ?? Number.NaN;
        }
        this.s.blockInsert!.run(runId, keyId, full++, ...encodeBlock(step, wall, value, n));
      }
      return limit < 0 || rows.length < limit ? 'done' : 'more';
    })();
  }

  /** The series' ingest state, rebuilt from the database on first use (open tiles included). */
  private state(runId: number, keyId: number): SeriesState {
    let byKey = this.states.get(runId);
    if (!byKey) {
      byKey = new Map();
      this.states.set(runId, byKey);
    }
    let st = byKey.get(keyId);
    if (st) return st;
    const row = this.s.seriesGet!.get(runId, keyId) as { count: number; last_step: number } | undefined;
    st = { keyId, count: row?.count ?? 0, lastStep: row?.last_step ?? -Infinity, acc: [], blk: new OpenBlock(), dirty: false };
    for (let l = 0; l < TILE_LEVELS; l++) st.acc.push(new TileAcc());
    if (st.count > 0) {
      const rawOpen = st.count % TILE_BASE;
      if (rawOpen > 0) {
        const rows = (this.s.tailRaw!.all(runId, keyId, rawOpen) as [number, number, number | null][]).reverse();
        for (const [step, wall, value] of rows) st.acc[0]!.addPoint(step, wall, value ?? Number.NaN);
      }
      for (let l = 1; l < TILE_LEVELS; l++) {
        const below = tileSize(l - 1);
        const first = Math.floor(st.count / tileSize(l)) * TILE_FANOUT;
        const tiles = this.s.tilesFrom!.all(runId, keyId, l - 1, first) as TileTuple[];
        for (const t of tiles) st.acc[l]!.addTile(tupleToTile(t), below);
      }
      const blockOpen = st.count % METRIC_BLOCK;
      if (blockOpen > 0) {
        const rows = (this.s.tailRaw!.all(runId, keyId, blockOpen) as [number, number, number | null][]).reverse();
        for (const [step, wall, value] of rows) st.blk.add(step, wall, value ?? Number.NaN);
      }
    }
    byKey.set(keyId, st);
    return st;
  }

  /** Forget every cached key id and ingest state (after a rolled-back transaction). */
  forgetCaches(): void {
    this.keyIds.clear();
    this.states.clear();
    this.byName.clear();
  }

  /** Forget cached ingest state (after rows were deleted outside append). */
  invalidate(runId: number): void {
    this.states.delete(runId);
    this.byName.delete(runId);
  }

  /** Delete every point after `step` (resume from a checkpoint at `step`). Call inside a transaction. */
  deleteAfter(runId: number, step: number): void {
    this.s.deleteAfter!.run(runId, step);
    this.s.deleteTilesAfter!.run(runId, step);
    this.s.deleteBlocksAfter!.run(runId, step);
    this.s.recount!.run(runId);
    this.s.dropEmpty!.run(runId);
    this.invalidate(runId);
  }

  /** One series down-sampled to at most maxPoints points (min/max tiles; raw when short enough). */
  series(runId: number, key: string, maxPoints = Infinity): Series {
    if (!(maxPoints >= 2)) throw new StoreError(`maxPoints must be at least 2, got ${maxPoints}`);
    const keyId = this.keyId(key, false);
    const row = keyId === undefined ? undefined : (this.s.seriesGet!.get(runId, keyId) as { count: number; last_step: number } | undefined);
    if (keyId === undefined || !row) return { step: new Float64Array(0), wallTime: new Float64Array(0), value: new Float64Array(0), count: 0 };
    const level = chooseLevel(row.count, maxPoints);
    if (level < 0) {
      const rows = this.s.raw!.all(runId, keyId) as [number, number, number | null][];
      const out = alloc(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i]!;
        out.step[i] = r[0];
        out.wallTime[i] = r[1];
        out.value[i] = r[2] ?? Number.NaN;
      }
      return { ...out, count: row.count };
    }
    const tiles = this.s.tilesFrom!.all(runId, keyId, level, 0) as TileTuple[];
    const out = alloc(2 * tiles.length + 2);
    let n = 0;
    const push = (step: number, wall: number, value: number | null) => {
      out.step[n] = step;
      out.wallTime[n] = wall;
      out.value[n] = value ?? Number.NaN;
      n++;
    };
    const pushPair = (s1: number, w1: number, v1: number | null, s2: number, w2: number, v2: number | null) => {
      if (s1 === s2) push(s1, w1, v1);
      else if (s1 < s2) {
        push(s1, w1, v1);
        push(s2, w2, v2);
      } else {
        push(s2, w2, v2);
        push(s1, w1, v1);
      }
    };
    let covered = -Infinity;
    for (const t of tiles) {
      pushPair(t[1], t[2], t[3], t[4], t[5], t[6]);
      covered = t[0];
    }
    if (row.last_step > covered) {
      const lo = this.s.tailMin!.get(runId, keyId, covered) as [number | null, number | null, number | null];
      const hi = this.s.tailMax!.get(runId, keyId, covered) as [number | null, number | null, number | null];
      if (lo[0] !== null && hi[0] !== null) pushPair(lo[0], lo[1]!, lo[2], hi[0], hi[1]!, hi[2]);
    }
    return { step: out.step.subarray(0, n), wallTime: out.wallTime.subarray(0, n), value: out.value.subarray(0, n), count: row.count };
  }

  /** Keys a run has, with point counts and last steps. */
  keys(runId: number): { key: string; count: number; lastStep: number }[] {
    return (this.s.keysOfRun!.all(runId) as { key: string; count: number; last_step: number }[]).map((r) => ({
      key: r.key,
      count: r.count,
      lastStep: r.last_step,
    }));
  }

  /** The latest value of every key of a run. */
  latest(runId: number): { key: string; step: number; value: number }[] {
    return (this.s.latest!.all(runId) as { key: string; step: number; value: number | null }[]).map((r) => ({
      key: r.key,
      step: r.step,
      value: r.value ?? Number.NaN,
    }));
  }

  /** Every point of a run, ordered by key then step (exports). */
  *all(runId: number): Generator<MetricInput> {
    for (const r of this.s.all!.iterate(runId) as Iterable<[string, number, number, number | null]>) {
      yield { key: r[0], step: r[1], wallTime: r[2], value: r[3] ?? Number.NaN };
    }
  }
}

function nullIfNaN(v: number): number | null {
  return v === v ? v : null;
}

function tupleToTile(t: TileTuple): TileRow {
  return { lastStep: t[0], minStep: t[1], minWall: t[2], minValue: t[3] ?? Number.NaN, maxStep: t[4], maxWall: t[5], maxValue: t[6] ?? Number.NaN };
}

function alloc(n: number) {
  return { step: new Float64Array(n), wallTime: new Float64Array(n), value: new Float64Array(n) };
}
