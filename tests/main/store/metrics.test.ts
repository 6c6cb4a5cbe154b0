// Metric ingest and the min/max down-sampling: extremes kept, point budget respected, rollback exact.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src-core/rng.ts';
import type { Store } from '../../../src-main/store/index.ts';
import { useTempStore, runConfig } from './helpers.ts';

let s: Store;
useTempStore((opened) => (s = opened));

function randomSeries(n: number, seed: number) {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => ({ key: 'loss', step: 10 * i + 5, wallTime: i * 0.01, value: rng.normal() + (i === 777 ? 50 : 0) }));
}

describe('metrics', () => {
  it('a new run that reuses a deleted run\'s id stores all of its points (no stale ingest state)', () => {
    s.runs.insert(runConfig());
    const id = s.runs.insert(runConfig());
    expect(s.metrics.append(id, [1, 2, 3].map((k) => ({ key: 'a', step: k * 100, wallTime: k, value: k })))).toEqual({ stored: 3, dropped: 0 });
    s.runs.delete(id);
    const again = s.runs.insert(runConfig());
    expect(again).toBe(id); // SQLite reuses the newest deleted rowid
    expect(s.metrics.append(again, [1, 2, 3].map((k) => ({ key: 'a', step: k, wallTime: k, value: -k })))).toEqual({ stored: 3, dropped: 0 });
    expect(Array.from(s.metrics.series(again, 'a').value)).toEqual([-1, -2, -3]);
  });

  it('stores and returns short series raw; NaN round-trips; out-of-order points are dropped', () => {
    const id = s.runs.insert(runConfig());
    const r = s.metrics.append(id, [
      { key: 'a', step: 1, wallTime: 0.5, value: 1.5 },
      { key: 'a', step: 2, wallTime: 0.6, value: Number.NaN },
      { key: 'b', step: 2, wallTime: 0.6, value: -3 },
      { key: 'a', step: 2, wallTime: 0.7, value: 9 }, // same step again: dropped
    ]);
    expect(r).toEqual({ stored: 3, dropped: 1 });
    const a = s.metrics.series(id, 'a');
    expect(Array.from(a.step)).toEqual([1, 2]);
    expect(a.value[0]).toBe(1.5);
    expect(Number.isNaN(a.value[1])).toBe(true);
    expect(s.metrics.keys(id).map((k) => [k.key, k.count])).toEqual([['a', 2], ['b', 1]]);
    expect(s.metrics.latest(id).find((k) => k.key === 'b')!.value).toBe(-3);
  });

  it('down-samples to at most N points per series, keeping every bucket extreme and the global ones', () => {
    const id = s.runs.insert(runConfig());
    const pts = randomSeries(100_003, 1);
    for (let i = 0; i < pts.length; i += 997) s.metrics.append(id, pts.slice(i, i + 997));
    for (const N of [1000, 300, 64]) {
      const d = s.metrics.series(id, 'loss', N);
      expect(d.count).toBe(100_003);
      expect(d.step.length).toBeLessThanOrEqual(N);
      expect(d.step.length).toBeGreaterThanOrEqual(N / 4);
      for (let i = 1; i < d.step.length; i++) expect(d.step[i]).toBeGreaterThan(d.step[i - 1]!);
      const values = pts.map((p) => p.value);
      expect(Math.max(...d.value)).toBe(Math.max(...values));
      expect(Math.min(...d.value)).toBe(Math.min(...values));
      // each returned point is a real point of the series
      const byStep = new Map(pts.map((p) => [p.step, p.value]));
      for (let i = 0; i < d.step.length; i++) expect(byStep.get(d.step[i]!)).toBe(d.value[i]);
    }
  });

  it('rollback after a step then re-append gives the same tiles as an uninterrupted series', () => {
    const pts = randomSeries(20_000, 2);
    const a = s.runs.insert(runConfig());
    s.metrics.append(a, pts);
    const b = s.runs.insert(runConfig());
    s.metrics.append(b, pts.slice(0, 13_001));
    s.rollbackAfter(b, pts[9_000]!.step); // keeps points 0..9000
    expect(s.metrics.series(b, 'loss').count).toBe(9_001);
    s.metrics.invalidate(b);
    s.metrics.append(b, pts.slice(9_001, 15_000));
    s.metrics.append(b, pts.slice(9_001)); // overlap: duplicates are dropped
    const da = s.metrics.series(a, 'loss', 500);
    const db = s.metrics.series(b, 'loss', 500);
    expect(Array.from(db.step)).toEqual(Array.from(da.step));
    expect(Array.from(db.value)).toEqual(Array.from(da.value));
    expect(s.metrics.series(b, 'loss').count).toBe(20_000);
    const tiles = (id: number) => s.db.prepare('SELECT level, idx, last_step, min_step, min_value, max_step, max_value FROM metric_tiles WHERE run_id = ? ORDER BY level, idx').raw().all(id);
    expect(tiles(b)).toEqual(tiles(a));
  });

  it('returns several keys for a group of runs', () => {
    const ids = [1, 2, 3].map(() => s.runs.insert(runConfig()));
    for (const id of ids) s.metrics.append(id, [{ key: 'x', step: 1, wallTime: 0, value: id }, { key: 'y', step: 1, wallTime: 0, value: -id }]);
    const m = s.seriesFor(ids, ['x', 'y', 'missing'], 100);
    expect(m.get(ids[2]!)!.get('y')!.value[0]).toBe(-ids[2]!);
    expect(m.get(ids[0]!)!.get('missing')!.count).toBe(0);
  });
});
