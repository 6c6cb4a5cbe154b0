// Packed metric blocks (store/blocks.ts): a series read from its blocks equals the same series read
// from its rows, point for point (steps, wall times, values with NaN, infinities, -0 and denormals),
// while running and once sealed; every way rows change (rollback, run and experiment delete, an
// append after sealing, a failed batch) leaves blocks that still agree; an imported run is packed;
// a series without blocks
// is packed from its rows; a database of schema 1 migrates and its older series are read from rows.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportBundle } from '../../../src-main/bundle/export.ts';
import { importBundle } from '../../../src-main/bundle/import.ts';
import { METRIC_BLOCK } from '../../../src-main/store/blocks.ts';
import { APPLICATION_ID } from '../../../src-main/store/connection.ts';
import { openStore, type MetricInput, type Store } from '../../../src-main/store/index.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../src-main/store/migrations.ts';
import { TOY_LIKE, writeFixture } from '../bundle/fixture.ts';
import { runConfig, useTempStore } from './helpers.ts';

let s: Store;
let dir: string;
useTempStore((opened, d) => {
  s = opened;
  dir = d;
});

const SPECIAL = [Number.NaN, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 5e-324, 1e-310, -1.7976931348623157e308, 0.1 + 0.2];

/** `n` points of key `key` from step `from` (regular stride, or irregular), values with the special ones mixed in. */
function points(key: string, n: number, from: number, opts: { stride?: number; irregular?: boolean; shift?: number } = {}): MetricInput[] {
  const out: MetricInput[] = [];
  let step = from;
  for (let i = 0; i < n; i++) {
    const v = i % 97 === 5 ? SPECIAL[(i / 97) % SPECIAL.length | 0]! : Math.sin(i * 0.37) * 1e3 + (opts.shift ?? 0);
    out.push({ key, step, wallTime: i === 0 ? -0 : 1.7e9 + i / 3, value: v });
    step += opts.irregular ? 1 + ((i * 7919) % 5) : (opts.stride ?? 1);
  }
  return out;
}

/** The series as the rows give it (one row per point, NULL read as NaN). */
function rows(runId: number, key: string) {
  const r = s.metrics.series(runId, key, Infinity);
  return { step: Array.from(r.step), wallTime: Array.from(r.wallTime), value: Array.from(r.value), count: r.count, lastStep: r.step.at(-1)! };
}

function packed(runId: number, key: string) {
  const r = rows(runId, key);
  const p = s.metrics.packed(runId, s.metrics.keyId(key, false)!, r.count, r.lastStep, true);
  return p && { step: Array.from(p.step), wallTime: Array.from(p.wallTime!), value: Array.from(p.value) };
}

/** Packed equals rows exactly: Object.is per element (tells -0 from 0, NaN equals NaN). */
function expectSame(runId: number, key: string): void {
  const r = rows(runId, key);
  const p = packed(runId, key);
  expect(p).not.toBeNull();
  for (const k of ['step', 'wallTime', 'value'] as const) {
    expect(p![k]).toHaveLength(r.count);
    const bad = p![k].findIndex((v, i) => !Object.is(v, r[k][i]));
    expect(bad, `${k}[${bad}]: packed ${p![k][bad]}, rows ${r[k][bad]}`).toBe(-1);
  }
}

function blocks(runId: number): { idx: number; n: number; stride: number | null; steps: Buffer | null }[] {
  return s.db.prepare('SELECT idx, n, stride, steps FROM metric_blocks WHERE run_id = ? ORDER BY key_id, idx').all(runId) as never;
}

describe('packed metric blocks', () => {
  it('a running series: full blocks and the rows after them equal the rows; sealed at the end, blocks alone do', () => {
    const id = s.runs.insert(runConfig());
    const n = 2 * METRIC_BLOCK + 1000;
    const a = points('a', n, 3, { stride: 10 });
    const b = points('b', n, 1, { irregular: true });
    for (let i = 0; i < n; i += 1500) s.metrics.append(id, [...a.slice(i, i + 1500), ...b.slice(i, i + 1500)]);
    expect(blocks(id).map((x) => x.n)).toEqual([METRIC_BLOCK, METRIC_BLOCK, METRIC_BLOCK, METRIC_BLOCK]);
    expectSame(id, 'a');
    expectSame(id, 'b');
    s.runs.markEnded(id, 'completed');
    const bl = blocks(id);
    expect(bl.map((x) => x.n)).toEqual([METRIC_BLOCK, METRIC_BLOCK, 1000, METRIC_BLOCK, METRIC_BLOCK, 1000]);
    expect(bl.slice(0, 3).every((x) => x.stride === 10 && x.steps === null)).toBe(true); // regular: steps not stored
    expect(bl.slice(3).every((x) => x.stride === null && x.steps!.byteLength === 8 * x.n)).toBe(true);
    // blocks alone: a read that ignored them would differ from this
    s.db.prepare('DELETE FROM metrics WHERE run_id = ? AND step > ?').run(id, a[n - 10]!.step);
    const keyId = s.metrics.keyId('a', false)!;
    const p = s.metrics.packed(id, keyId, n, a[n - 1]!.step, true)!;
    expect(Object.is(p.value[n - 1], a[n - 1]!.value === 0 ? 0 : a[n - 1]!.value)).toBe(true);
    expect(p.wallTime![n - 1]).toBe(a[n - 1]!.wallTime);
  });

  it('NaN, infinities, denormals and -0 (stored as 0) round-trip as the rows give them', () => {
    const id = s.runs.insert(runConfig());
    s.metrics.append(id, SPECIAL.map((value, i) => ({ key: 'x', step: i, wallTime: i === 3 ? -0 : i, value })));
    s.runs.markEnded(id, 'failed', 'test');
    expectSame(id, 'x');
    const p = packed(id, 'x')!;
    expect(p.value.slice(0, 4)).toEqual([Number.NaN, 0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(Object.is(p.value[1], 0) && Object.is(p.wallTime[3], 0)).toBe(true);
  });

  it('a rollback (resume) drops the blocks after its step: re-logged points are read, not the old ones', () => {
    const id = s.runs.insert(runConfig());
    const n = 3 * METRIC_BLOCK;
    s.metrics.append(id, points('a', n - 500, 1));
    s.runs.markEnded(id, 'interrupted', 'test');
    expect(blocks(id).map((x) => x.n)).toEqual([METRIC_BLOCK, METRIC_BLOCK, METRIC_BLOCK - 500]);
    s.rollbackAfter(id, 5000);
    expect(blocks(id).map((x) => x.n)).toEqual([METRIC_BLOCK]); // block 1 ends after step 5000
    // the resumed worker logs different values up to the same count, and stops without sealing
    s.metrics.append(id, points('a', n - 500 - 5000, 5001, { shift: 7 }));
    expectSame(id, 'a');
    expect(packed(id, 'a')!.value[n - 501]).toBeCloseTo(Math.sin((n - 5501) * 0.37) * 1e3 + 7, 9);
    s.runs.markEnded(id, 'completed');
    expectSame(id, 'a');
  });

  it('appending to a sealed run rewrites its partial block; reads in between use the rows after it', () => {
    const id = s.runs.insert(runConfig());
    const all = points('a', METRIC_BLOCK + 900, 1);
    s.metrics.append(id, all.slice(0, METRIC_BLOCK + 100));
    s.runs.setStatus(id, 'paused');
    expect(blocks(id).map((x) => x.n)).toEqual([METRIC_BLOCK, 100]);
    s.metrics.append(id, all.slice(METRIC_BLOCK + 100, METRIC_BLOCK + 600));
    expectSame(id, 'a');
    expect(blocks(id).map((x) => x.n)).toEqual([METRIC_BLOCK, 100]);
    s.metrics.append(id, all.slice(METRIC_BLOCK + 600));
    s.runs.markEnded(id, 'cancelled', 'test');
    expect(blocks(id).map((x) => x.n)).toEqual([METRIC_BLOCK, 900]);
    expectSame(id, 'a');
  });

  it('deleting a run or its experiment deletes its blocks; a new run reusing the id starts clean', () => {
    const exp = s.experiments.insert({ name: 'e', spec: {} });
    const keep = s.runs.insert(runConfig(), { experimentId: exp });
    const id = s.runs.insert(runConfig());
    for (const r of [keep, id]) {
      s.metrics.append(r, points('a', METRIC_BLOCK + 10, 1));
      s.runs.markEnded(r, 'completed');
    }
    s.runs.delete(id);
    expect(blocks(id)).toEqual([]);
    const again = s.runs.insert(runConfig());
    expect(again).toBe(id); // SQLite reuses the newest deleted rowid
    s.metrics.append(again, points('a', 20, 1, { shift: 3 }));
    s.runs.markEnded(again, 'completed');
    expect(blocks(again).map((x) => x.n)).toEqual([20]); // none of the deleted run's is left
    expectSame(again, 'a');
    s.metrics.append(keep, points('a', 5, METRIC_BLOCK + 20)); // an ingest state for the run
    s.runs.delete(again); // so that the experiment's run is the newest and its id is reused
    s.experiments.delete(exp);
    expect(blocks(keep)).toEqual([]);
    const reused = s.runs.insert(runConfig());
    expect(reused).toBe(keep);
    expect(s.metrics.append(reused, points('a', 5, 1))).toEqual({ stored: 5, dropped: 0 }); // not the deleted run's state
  });

  it('a failed batch leaves blocks that agree with the rows', () => {
    const id = s.runs.insert(runConfig());
    const all = points('a', METRIC_BLOCK + 50, 1);
    s.metrics.append(id, all.slice(0, METRIC_BLOCK - 10));
    const bad = [...all.slice(METRIC_BLOCK - 10, METRIC_BLOCK + 20), { key: 'a', step: 1e9 + 0.5, wallTime: 0, value: 0 }];
    expect(() => s.metrics.append(id, bad)).toThrow(); // a non-integer step: the batch rolls back
    expect(blocks(id)).toEqual([]);
    s.metrics.append(id, all.slice(METRIC_BLOCK - 10));
    s.runs.markEnded(id, 'completed');
    expect(blocks(id).map((x) => x.n)).toEqual([METRIC_BLOCK, 50]);
    expectSame(id, 'a');
  });

  it('an imported run has its series packed, equal to its rows', () => {
    const { experimentId } = writeFixture(s, TOY_LIKE, { checkpoint: false });
    const imported = importBundle(s, exportBundle(s, experimentId).bytes);
    for (const id of imported.runIds) {
      expect(blocks(id).length).toBeGreaterThan(0);
      for (const k of s.metrics.keys(id)) expectSame(id, k.key);
    }
  });

  it('a series without blocks is packed from its rows in chunks, equal to the rows; not while this store ingests into its run', () => {
    const id = s.runs.insert(runConfig());
    s.metrics.append(id, points('a', 2 * METRIC_BLOCK + 300, 1, { irregular: true }));
    expect(s.metrics.packFromRows(id, s.metrics.keyId('a', false)!, 1)).toBe('skipped'); // ingest state live
    s.runs.markEnded(id, 'completed');
    s.db.prepare('DELETE FROM metric_blocks WHERE run_id = ?').run(id); // as recorded before blocks existed
    expect(packed(id, 'a')).toBeNull();
    const keyId = s.metrics.keyId('a', false)!;
    expect([1, 2, 3, 4].map(() => s.metrics.packFromRows(id, keyId, METRIC_BLOCK))).toEqual(['more', 'more', 'done', 'done']);
    expect(blocks(id).map((x) => x.n)).toEqual([METRIC_BLOCK, METRIC_BLOCK, 300]);
    expectSame(id, 'a');
  });

  it('a schema-1 database migrates keeping its rows; its series have no blocks and are read from rows', () => {
    const p = join(dir, 'old.db');
    const raw = new Database(p);
    raw.exec(MIGRATIONS[0]!);
    raw.pragma('user_version = 1');
    raw.pragma(`application_id = ${APPLICATION_ID}`);
    raw.prepare(
      `INSERT INTO runs (id, env_id, variant, env_params, algo, preset, seed, config, status, created_at, total_steps)
       VALUES (1, 'toy', 'default', '{}', 'ppo', 'quick', 0, jsonb(?), 'completed', 0, 1000)`,
    ).run(JSON.stringify(runConfig()));
    raw.prepare("INSERT INTO metric_keys (id, key) VALUES (1, 'a')").run();
    const ins = raw.prepare('INSERT INTO metrics (run_id, key_id, step, wall_time, value) VALUES (1, 1, ?, ?, ?)');
    for (let k = 1; k <= 300; k++) ins.run(k, k / 10, k === 7 ? null : k * 0.5);
    raw.prepare('INSERT INTO metric_series (run_id, key_id, count, last_step) VALUES (1, 1, 300, 300)').run();
    raw.close();
    const old = openStore(p);
    try {
      expect(old.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(old.metrics.packed(1, 1, 300, 300)).toBeNull();
      const r = old.metrics.series(1, 'a');
      expect(r.count).toBe(300);
      expect(r.value[6]).toBeNaN();
      expect(r.value[299]).toBe(150);
    } finally {
      old.close();
    }
  });
});
