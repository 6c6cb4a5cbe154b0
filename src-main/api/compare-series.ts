// Reading metric series for the Compare view fast. Three pieces:
// - values at the grid steps only (two index seeks per run and grid step: the rows just before and
//   just after), when no smoothing is asked for: exact linear interpolation without reading the
//   full-resolution series (2 million rows for 20 runs x 100,000 steps);
// - the full-resolution series (smoothing must see every point before anything is dropped, and a
//   wall-time axis needs every point), kept in an LRU cache validated by the series' point count
//   and last step. A series is read from its packed blocks (store/blocks.ts: 20 x 100,000 points
//   in tens of milliseconds) when the store has them. Else (a series recorded before blocks
//   existed) from its rows: 2 million rows cost about a second of the main process, more than a
//   click may take, so when the Compare view shows a long series the cache is filled ahead of
//   need: in chunks of CHUNK_ROWS rows, one per turn of the event loop (requests are served in
//   between); a request that needs a series still being read finishes that read at once. A series
//   logged at a fixed step interval (checked inside SQLite) is read as values only, half the cost.
//   A series of a run not running that had to be read from rows is then packed in blocks from
//   them, a chunk per turn of the event loop after the reads ahead (its next cold read is fast);
// - the rows of each run on a grid (smoothed or not), cached small, so a click that only changes
//   the statistic or the band does not touch the series again.
import type { Statement } from 'better-sqlite3';
import type { Store } from '../store/index.ts';

interface Stmts {
  info: Statement;
  first: Statement;
  atGrid: Statement;
  chunk: Statement;
  valueChunk: Statement;
  offProgression: Statement;
  wall: Statement;
  status: Statement;
}

const stmts = new WeakMap<Store, Stmts>();

function prepared(store: Store): Stmts {
  let s = stmts.get(store);
  if (!s) {
    s = {
      info: store.db.prepare('SELECT count, last_step FROM metric_series WHERE run_id = ? AND key_id = ?').raw(),
      first: store.db.prepare('SELECT min(step) FROM metrics WHERE run_id = ? AND key_id = ?').pluck(),
      // For every grid step, the rows just before and just after it: index seeks done inside SQLite,
      // one statement per run (a JS round trip per seek costs five times more).
      atGrid: store.db
        .prepare(
          `SELECT
             (SELECT step FROM metrics m WHERE m.run_id = @run AND m.key_id = @key AND m.step <= g.value ORDER BY m.step DESC LIMIT 1),
             (SELECT value FROM metrics m WHERE m.run_id = @run AND m.key_id = @key AND m.step <= g.value ORDER BY m.step DESC LIMIT 1),
             (SELECT step FROM metrics m WHERE m.run_id = @run AND m.key_id = @key AND m.step >= g.value ORDER BY m.step LIMIT 1),
             (SELECT value FROM metrics m WHERE m.run_id = @run AND m.key_id = @key AND m.step >= g.value ORDER BY m.step LIMIT 1)
           FROM json_each(@grid) g ORDER BY g.key`,
        )
        .raw(),
      // Steps and values only (the wall-time column is read when a wall-time axis asks for it);
      // LIMIT -1 reads the rest at once.
      chunk: store.db
        .prepare('SELECT step, value FROM metrics WHERE run_id = ? AND key_id = ? AND step > ? AND step <= ? ORDER BY step LIMIT ?')
        .raw(),
      // a series logged at a fixed step interval: its values alone (half the cost of steps and values)
      valueChunk: store.db
        .prepare('SELECT value FROM metrics WHERE run_id = ? AND key_id = ? AND step > ? AND step <= ? ORDER BY step LIMIT ?')
        .pluck(),
      offProgression: store.db
        .prepare('SELECT count(*) FROM metrics WHERE run_id = @run AND key_id = @key AND step BETWEEN @first AND @last AND (step - @first) % @stride != 0')
        .pluck(),
      wall: store.db.prepare('SELECT wall_time FROM metrics WHERE run_id = ? AND key_id = ? AND step <= ? ORDER BY step').pluck(),
      status: store.db.prepare('SELECT status FROM runs WHERE id = ?').pluck(),
    };
    stmts.set(store, s);
  }
  return s;
}

export interface SeriesInfo {
  keyId: number;
  count: number;
  firstStep: number;
  lastStep: number;
}

/** Point count and step range of one run's series (null when the run never recorded the key). */
export function seriesInfo(store: Store, runId: number, key: string): SeriesInfo | null {
  const keyId = store.metrics.keyId(key, false);
  if (keyId === undefined) return null;
  const s = prepared(store);
  const row = s.info.get(runId, keyId) as [number, number] | undefined;
  if (!row || row[0] === 0) return null;
  return { keyId, count: row[0], lastStep: row[1], firstStep: s.first.get(runId, keyId) as number };
}

/** Linear interpolation of the run's series at each grid step (NaN outside its own step range). */
export function valuesAtGrid(store: Store, runId: number, info: SeriesInfo, grid: ArrayLike<number>): Float64Array {
  const out = new Float64Array(grid.length).fill(Number.NaN);
  const rows = prepared(store).atGrid.all({ run: runId, key: info.keyId, grid: JSON.stringify(Array.from(grid as ArrayLike<number>)) }) as (number | null)[][];
  for (let g = 0; g < grid.length; g++) {
    const x = grid[g]!;
    const [s0, v0, s1, v1] = rows[g]!;
    if (s0 === null || s1 === null || s0 === undefined || s1 === undefined) continue; // outside the run's range
    const y0 = v0 ?? Number.NaN; // NULL stands for NaN in the store
    const y1 = v1 ?? Number.NaN;
    out[g] = s0 === x ? y0 : s1 === x ? y1 : y0 + ((y1 - y0) * (x - s0)) / (s1 - s0);
  }
  return out;
}

/** A full-resolution series in step order (NULL read as NaN). */
export interface FullSeries {
  step: Float64Array;
  value: Float64Array;
}

/** One cached series: complete once `n` equals `count` (a prefetch fills it chunk by chunk). */
interface Entry extends FullSeries {
  store: Store;
  runId: number;
  keyId: number;
  /** What the series held when its read began: the cache is valid while the store still says so. */
  count: number;
  firstStep: number;
  lastStep: number;
  /** The fixed step interval of a series logged regularly (null: steps read too; undefined: not yet known). */
  stride?: number | null;
  n: number;
  readTo: number;
  done: boolean;
  wallTime?: Float64Array;
  smoothed?: { weight: number; values: Float64Array };
  /** Small results derived from the whole series (down-sampled member lines), by what they depend on. */
  memo: Map<string, unknown>;
}

/**
 * The step interval s when the series' steps are exactly first, first + s, ..., last: every step
 * lies on that progression (one scan inside SQLite) and there are as many points as places on it,
 * so none is missing (steps are distinct integers). Else null.
 */
function regularStride(st: Stmts, e: Entry): number | null {
  if (e.count < 2) return null;
  const stride = (e.lastStep - e.firstStep) / (e.count - 1);
  if (!Number.isInteger(stride) || stride < 1) return null;
  const off = st.offProgression.get({ run: e.runId, key: e.keyId, first: e.firstStep, last: e.lastStep, stride }) as number;
  return off === 0 ? stride : null;
}

/** Rows per chunk of a read ahead: a few milliseconds of the main process each. */
export const CHUNK_ROWS = 8192;
/** Memory the full-resolution cache may hold (steps, values, wall times and smoothed values). */
const MAX_CACHED_BYTES = 144 * 2 ** 20;
/** Derived results kept per series (member lines for a few smoothing weights). */
const MEMO_SIZE = 6;
/** A read ahead is skipped when it alone would take more than this share of the cache. */
const MAX_PREFETCH_SHARE = 0.5;

function bytesOf(e: Entry): number {
  return 8 * e.count * (2 + (e.wallTime ? 1 : 0) + (e.smoothed ? 1 : 0));
}

/** Full-resolution series, least recently used first out, with reads ahead of need. */
export class SeriesCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  /** Reads ahead in order, each with what to derive once its series is whole. */
  private queue: { entry: Entry; info: SeriesInfo; then?: (runId: number, info: SeriesInfo) => void }[] = [];
  private scheduled = false;
  /** Chunks read ahead, and reads ahead a request had to finish itself. */
  readonly stats = { prefetchChunks: 0, finishedOnDemand: 0, packedReads: 0, packChunks: 0 };
  /** Series read from rows, to pack in blocks when no read ahead is waiting. */
  private toPack: { store: Store; runId: number; keyId: number }[] = [];
  private readonly chunkRows: number;

  constructor(opts: { chunkRows?: number } = {}) {
    this.chunkRows = opts.chunkRows ?? CHUNK_ROWS;
  }

  private id(store: Store, runId: number, keyId: number): string {
    return `${store.path}|${runId}|${keyId}`;
  }

  /** The entry of a series valid for `info` (a stale one is dropped), or a new empty one. */
  private entry(store: Store, runId: number, info: SeriesInfo): Entry {
    const id = this.id(store, runId, info.keyId);
    const hit = this.entries.get(id);
    if (hit && hit.store === store && hit.count === info.count && hit.lastStep === info.lastStep) {
      this.entries.delete(id); // most recently used last
      this.entries.set(id, hit);
      return hit;
    }
    if (hit) this.drop(id);
    const e: Entry = {
      store,
      runId,
      keyId: info.keyId,
      count: info.count,
      firstStep: info.firstStep,
      lastStep: info.lastStep,
      step: new Float64Array(0), // allocated by the first read from rows (blocks bring their own)
      value: new Float64Array(0),
      n: 0,
      readTo: Number.NEGATIVE_INFINITY,
      done: false,
      memo: new Map(),
    };
    this.entries.set(id, e);
    this.bytes += bytesOf(e);
    this.evict(id);
    return e;
  }

  /**
   * Read up to `limit` more rows of the entry (all the rest when limit < 0). 'inconsistent': the
   * store no longer holds what the entry was begun for (a resumed run truncated and re-logged it
   * between two chunks, or its point count disagrees with its rows).
   */
  private read(e: Entry, limit: number): 'more' | 'done' | 'inconsistent' {
    const st = prepared(e.store);
    if (e.step.length !== e.count) {
      e.step = new Float64Array(e.count);
      e.value = new Float64Array(e.count);
    }
    if (e.stride === undefined) {
      e.stride = regularStride(st, e);
      if (limit >= 0) return 'more'; // the check scanned the series: that was this turn's chunk
    }
    let got: number;
    let used = 0;
    if (e.stride !== null) {
      const values = st.valueChunk.all(e.runId, e.keyId, e.readTo, e.lastStep, limit) as (number | null)[];
      got = values.length;
      for (; used < got && e.n < e.count; used++) {
        e.step[e.n] = e.firstStep + e.n * e.stride;
        e.value[e.n] = values[used] ?? Number.NaN;
        e.n++;
      }
    } else {
      const rows = st.chunk.all(e.runId, e.keyId, e.readTo, e.lastStep, limit) as [number, number | null][];
      got = rows.length;
      for (; used < got && e.n < e.count; used++) {
        const r = rows[used]!;
        e.step[e.n] = r[0];
        e.value[e.n] = r[1] ?? Number.NaN;
        e.n++;
      }
    }
    if (used > 0) e.readTo = e.step[e.n - 1]!;
    const overflow = used < got;
    if (!overflow && limit >= 0 && got === limit && e.n < e.count) return 'more';
    if (overflow || e.n !== e.count || e.readTo !== e.lastStep) return 'inconsistent';
    e.done = true;
    return 'done';
  }

  /** Fill an entry not yet begun from the series' packed blocks; false when it has none that add up. */
  private fromPacked(e: Entry): boolean {
    if (e.n > 0 || e.done) return e.done;
    const p = e.store.metrics.packed(e.runId, e.keyId, e.count, e.lastStep);
    if (!p) return false;
    e.step = p.step;
    e.value = p.value;
    e.n = e.count;
    e.readTo = e.lastStep;
    e.stride = null;
    e.done = true;
    this.stats.packedReads++;
    return true;
  }

  /** Pack the entry's series in blocks later, when its run is not running (its rows were just read). */
  private packLater(e: Entry): void {
    if (prepared(e.store).status.get(e.runId) === 'running') return;
    if (this.toPack.some((p) => p.store === e.store && p.runId === e.runId && p.keyId === e.keyId)) return;
    this.toPack.push({ store: e.store, runId: e.runId, keyId: e.keyId });
    this.schedule();
  }

  /** Read the series whole now, trusting its rows over its recorded count. */
  private readAllNow(e: Entry): void {
    const rows = prepared(e.store).chunk.all(e.runId, e.keyId, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, -1) as [number, number | null][];
    this.bytes -= bytesOf(e);
    e.count = rows.length;
    e.step = Float64Array.from(rows, (r) => r[0]);
    e.value = Float64Array.from(rows, (r) => r[1] ?? Number.NaN);
    e.n = e.count;
    e.stride = null;
    e.firstStep = e.count > 0 ? e.step[0]! : -1;
    e.lastStep = e.count > 0 ? e.step[e.count - 1]! : -1;
    e.readTo = e.lastStep;
    e.done = true;
    delete e.wallTime;
    delete e.smoothed;
    e.memo.clear();
    this.bytes += bytesOf(e);
  }

  /** True when the series is cached whole for `info` (no database read needed). */
  has(store: Store, runId: number, info: SeriesInfo): boolean {
    const e = this.entries.get(this.id(store, runId, info.keyId));
    return !!e && e.done && e.store === store && e.count === info.count && e.lastStep === info.lastStep;
  }

  /** The entry of the whole series; a read ahead still in progress is finished now. */
  private whole(store: Store, runId: number, info: SeriesInfo): Entry {
    const e = this.entry(store, runId, info);
    if (e.done || this.fromPacked(e)) return e;
    if (e.n > 0) this.stats.finishedOnDemand++;
    if (this.read(e, -1) === 'inconsistent') this.readAllNow(e);
    this.packLater(e);
    return e;
  }

  /** The whole series (steps and values). */
  get(store: Store, runId: number, info: SeriesInfo): FullSeries {
    return this.whole(store, runId, info);
  }

  /** The whole series when it is cached or packed (cheap), else null (nothing read). */
  getCheap(store: Store, runId: number, info: SeriesInfo): FullSeries | null {
    if (this.has(store, runId, info)) return this.whole(store, runId, info);
    const id = this.id(store, runId, info.keyId);
    const hit = this.entries.get(id);
    if (hit && hit.n > 0) return null; // a read ahead from rows is under way
    const e = this.entry(store, runId, info);
    if (this.fromPacked(e)) return e;
    if (!hit) this.drop(id); // leave no empty entry behind
    return null;
  }

  /** Wall times of the whole series (read on first use). */
  wallTime(store: Store, runId: number, info: SeriesInfo): Float64Array {
    const e = this.whole(store, runId, info);
    if (!e.wallTime) {
      const packed = store.metrics.packed(e.runId, e.keyId, e.count, e.lastStep, true)?.wallTime;
      const w = packed ?? (prepared(store).wall.all(e.runId, e.keyId, e.lastStep) as number[]);
      if (w.length !== e.count) throw new Error(`series of run ${runId} changed while being read`);
      e.wallTime = packed ?? Float64Array.from(w);
      this.bytes += 8 * e.count;
      this.evict(this.id(store, runId, info.keyId));
    }
    return e.wallTime;
  }

  /** The series' values smoothed with `smooth` (weight w), remembered for the last weight asked. */
  smoothedValues(store: Store, runId: number, info: SeriesInfo, weight: number, smooth: (v: Float64Array, w: number) => Float64Array): Float64Array {
    const e = this.whole(store, runId, info);
    if (e.smoothed?.weight !== weight) {
      if (!e.smoothed) this.bytes += 8 * e.count;
      e.smoothed = { weight, values: smooth(e.value, weight) };
      this.evict(this.id(store, runId, info.keyId));
    }
    return e.smoothed.values;
  }

  /** A small result derived from the whole series, computed once per `key` (at most MEMO_SIZE kept per series). */
  derived<T>(store: Store, runId: number, info: SeriesInfo, key: string, make: (s: FullSeries) => T): T {
    const e = this.whole(store, runId, info);
    if (e.memo.has(key)) return e.memo.get(key) as T;
    const v = make(e);
    e.memo.set(key, v);
    if (e.memo.size > MEMO_SIZE) e.memo.delete(e.memo.keys().next().value!);
    return v;
  }

  /**
   * Read these series ahead, a chunk per turn of the event loop, calling `then` when one is whole
   * (to derive what a later request will need). Replaces the previous list (a read already begun
   * stays in the cache and is finished when asked for). Skipped when they would not fit in the
   * cache's share; series cached already are left out.
   */
  prefetch(store: Store, items: readonly { runId: number; info: SeriesInfo }[], then?: (runId: number, info: SeriesInfo) => void): void {
    const total = items.reduce((s, i) => s + 16 * i.info.count, 0);
    if (total > MAX_CACHED_BYTES * MAX_PREFETCH_SHARE) return;
    this.queue = items
      .filter((i) => !this.has(store, i.runId, i.info))
      .map((i) => ({ entry: this.entry(store, i.runId, i.info), info: i.info, ...(then ? { then } : {}) }));
    this.schedule();
  }

  /** Reads ahead still waiting (series not yet whole). */
  get pending(): number {
    return this.queue.filter((q) => !q.entry.done).length;
  }

  private schedule(): void {
    if (this.scheduled || (this.queue.length === 0 && this.toPack.length === 0)) return;
    this.scheduled = true;
    // not unref'd: an unref'd immediate lets the event loop sleep in its poll phase until other work arrives
    setImmediate(() => {
      this.scheduled = false;
      this.step();
    });
  }

  private step(): void {
    let worked = false;
    while (this.queue.length > 0) {
      const { entry: e, info, then } = this.queue[0]!;
      const live = this.entries.get(this.id(e.store, e.runId, e.keyId)) === e && e.store.db.open;
      if (!live || e.done) {
        this.queue.shift();
        continue;
      }
      worked = true;
      try {
        if (this.fromPacked(e)) {
          then?.(e.runId, info);
          break;
        }
        this.stats.prefetchChunks++;
        const r = this.read(e, this.chunkRows);
        if (r === 'inconsistent') throw new Error('changed while read ahead');
        if (r === 'done') {
          this.packLater(e);
          then?.(e.runId, info);
        }
      } catch {
        this.queue.shift(); // the store went away, failed or changed: a request will read it whole
        this.drop(this.id(e.store, e.runId, e.keyId));
      }
      break;
    }
    if (!worked && this.toPack.length > 0) {
      const p = this.toPack[0]!;
      let r: string;
      try {
        r = p.store.db.open ? p.store.metrics.packFromRows(p.runId, p.keyId, this.chunkRows) : 'skipped';
      } catch {
        r = 'failed'; // the store failed: the series stays on rows
      }
      this.stats.packChunks++;
      if (r !== 'more') this.toPack.shift();
    }
    this.schedule();
  }

  private evict(keep: string): void {
    for (const [k] of this.entries) {
      if (this.bytes <= MAX_CACHED_BYTES) break;
      if (k !== keep) this.drop(k);
    }
  }

  private drop(id: string): void {
    const e = this.entries.get(id);
    if (!e) return;
    this.bytes -= bytesOf(e);
    this.entries.delete(id);
  }

  /** Forget everything (tests). */
  clear(): void {
    this.entries.clear();
    this.queue = [];
    this.toPack = [];
    this.bytes = 0;
  }
}

export const seriesCache = new SeriesCache();

/**
 * Rows of runs on a uniform grid (given by its ends and length), keyed by everything they depend on:
 * the series' state, the axis, the smoothing weight and the grid. Least recently used first out.
 */
export class GridRowCache {
  private readonly rows = new Map<string, Float64Array>();
  private bytes = 0;
  private readonly maxBytes: number;
  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  static key(store: Store, runId: number, info: SeriesInfo, x: string, smoothing: number, grid: ArrayLike<number>): string {
    const n = grid.length;
    return `${store.path}|${runId}|${info.keyId}|${info.count}|${info.lastStep}|${x}|${smoothing}|${n}|${n > 0 ? grid[0] : ''}|${n > 0 ? grid[n - 1] : ''}`;
  }

  get(key: string): Float64Array | undefined {
    const r = this.rows.get(key);
    if (r) {
      this.rows.delete(key);
      this.rows.set(key, r);
    }
    return r;
  }

  set(key: string, row: Float64Array): void {
    if (this.rows.has(key)) return;
    this.rows.set(key, row);
    this.bytes += row.byteLength;
    for (const [k, r] of this.rows) {
      if (this.bytes <= this.maxBytes) break;
      this.rows.delete(k);
      this.bytes -= r.byteLength;
    }
  }

  clear(): void {
    this.rows.clear();
    this.bytes = 0;
  }
}

export const gridRowCache = new GridRowCache(32 * 2 ** 20);
