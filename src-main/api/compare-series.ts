// Reading metric series for the Compare view fast. Two paths:
// - values at the grid steps only (two index seeks per run and grid step: the rows just before and
//   just after), when no smoothing is asked for: exact linear interpolation without reading the
//   full-resolution series (2 million rows for 20 runs x 100,000 steps);
// - the full-resolution series (smoothing must see every point before anything is dropped, and a
//   wall-time axis needs every point), kept in a small LRU cache validated by the series' point
//   count and last step, so later clicks on the same runs do not read them again.
import type { Statement } from 'better-sqlite3';
import type { Store } from '../store/index.ts';

export interface FullSeries {
  step: Float64Array;
  wallTime: Float64Array;
  value: Float64Array;
}

interface Stmts {
  info: Statement;
  first: Statement;
  atGrid: Statement;
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

const MAX_CACHED_POINTS = 6_000_000;

/** Full-resolution series, least recently used first out. */
export class SeriesCache {
  private readonly entries = new Map<string, { count: number; lastStep: number; series: FullSeries }>();
  private points = 0;

  get(store: Store, runId: number, key: string, info: SeriesInfo): FullSeries {
    const id = `${store.path}|${runId}|${key}`;
    const hit = this.entries.get(id);
    if (hit && hit.count === info.count && hit.lastStep === info.lastStep) {
      this.entries.delete(id);
      this.entries.set(id, hit);
      return hit.series;
    }
    if (hit) this.drop(id);
    const s = store.metrics.series(runId, key, Number.POSITIVE_INFINITY);
    const series = { step: s.step, wallTime: s.wallTime, value: s.value };
    this.entries.set(id, { count: info.count, lastStep: info.lastStep, series });
    this.points += s.step.length;
    for (const [k] of this.entries) {
      if (this.points <= MAX_CACHED_POINTS || k === id) break;
      this.drop(k);
    }
    return series;
  }

  private drop(id: string): void {
    const e = this.entries.get(id);
    if (!e) return;
    this.points -= e.series.step.length;
    this.entries.delete(id);
  }
}

export const seriesCache = new SeriesCache();
