// Reproduction bundles: export -> import into another store reproduces every record; a corrupt,
// truncated or newer bundle is refused with a clear message and the store is left unchanged.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { exportBundle } from '../../../src-main/bundle/export.ts';
import { BundleError, decodeBundle } from '../../../src-main/bundle/format.ts';
import { importBundle } from '../../../src-main/bundle/import.ts';
import { openStore, type Store } from '../../../src-main/store/index.ts';
import { checkpointDir } from '../../../src-main/store/location.ts';
import { TOY_LIKE, tempDir, writeFixture } from './fixture.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

function store(name: string): Store {
  const t = tempDir();
  const s = openStore(join(t.dir, `${name}.db`));
  cleanups.push(() => {
    s.close();
    t.cleanup();
  });
  return s;
}

function counts(s: Store): Record<string, number> {
  const c = (table: string) => s.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  return Object.fromEntries(['experiments', 'runs', 'metrics', 'evaluations', 'episodes', 'trajectories', 'checkpoints'].map((t) => [t, c(t)]));
}

describe('reproduction bundle', () => {
  it('round-trips an experiment into another store: configs, seeds, versions, metrics, evaluations, trajectories, weights', () => {
    const src = store('src');
    const { experimentId, runIds } = writeFixture(src, TOY_LIKE);
    const out = exportBundle(src, experimentId, { app: '0.1.0' });
    expect(out.runs).toBe(9);
    expect(out.fileName).toBe(`toy-fixture-exp${experimentId}.labbundle`);
    expect(decodeBundle(out.bytes).header).toMatchObject({ format: 'maxent-lab-bundle', version: 1, sha256: out.sha256 });

    const dst = store('dst');
    const res = importBundle(dst, out.bytes);
    expect(res.runIds).toHaveLength(9);
    expect(counts(dst)).toEqual(counts(src));
    const exp = dst.experiments.get(res.experimentId)!;
    expect(exp.name).toBe('toy fixture');
    expect(exp.spec).toEqual({ name: 'toy fixture', seeds: 3 });
    for (const srcId of runIds) {
      const a = src.runs.require(srcId);
      const b = dst.runs.require(res.idMap[srcId]!);
      expect({ ...b, id: 0, experimentId: 0 }).toEqual({ ...a, id: 0, experimentId: 0 });
      expect(dst.evaluations.list(b.id)).toEqual(src.evaluations.list(a.id));
      expect(dst.episodes.list(b.id)).toEqual(src.episodes.list(a.id));
      expect([...dst.metrics.all(b.id)]).toEqual([...src.metrics.all(a.id)]);
      // the tiles were rebuilt: down-sampled reads agree too
      expect(dst.metrics.series(b.id, 'policy/entropy', 100)).toEqual(src.metrics.series(a.id, 'policy/entropy', 100));
      const ta = src.trajectories.get(src.trajectories.list(a.id)[0]!.id)!;
      const tb = dst.trajectories.get(dst.trajectories.list(b.id)[0]!.id)!;
      expect({ ...tb, runId: 0 }).toEqual({ ...ta, runId: 0 });
      const ca = src.checkpoints.latest(a.id)!;
      const cb = dst.checkpoints.latest(b.id)!;
      expect(cb.file.startsWith(checkpointDir(dst.path, b.id))).toBe(true);
      expect(readFileSync(cb.file)).toEqual(readFileSync(ca.file));
    }
  });

  it('refuses a corrupt file, a truncated file, a wrong checksum and a newer version, changing nothing', () => {
    const src = store('src');
    const { experimentId } = writeFixture(src, TOY_LIKE.slice(0, 1));
    const good = exportBundle(src, experimentId).bytes;
    const dst = store('dst');
    writeFixture(dst, TOY_LIKE.slice(1, 2));
    const before = counts(dst);

    const flipped = Buffer.from(good);
    flipped[Math.floor(flipped.length / 2)]! ^= 0xff;
    expect(() => importBundle(dst, flipped)).toThrow(/corrupt/);
    expect(() => importBundle(dst, good.subarray(0, good.length - 100))).toThrow(/corrupt/);
    expect(() => importBundle(dst, Buffer.from('hello'))).toThrow(/not a MaxEnt Lab bundle/);

    // content altered but re-gzipped: the SHA-256 catches it
    const raw = gunzipSync(good);
    raw[raw.length - 3]! ^= 0x01;
    expect(() => importBundle(dst, gzipSync(raw))).toThrow(/checksum mismatch/);

    // a bundle from a newer lab
    const text = gunzipSync(good).toString('latin1').replace('"version":1,', '"version":2,');
    expect(() => importBundle(dst, gzipSync(Buffer.from(text, 'latin1')))).toThrow(/format version 2 is newer than this lab reads \(version 1\)/);

    expect(counts(dst)).toEqual(before);
    expect(() => importBundle(dst, flipped)).toThrow(BundleError);
  });

  it('rolls back everything when a write fails half-way (checkpoint folder cannot be created)', () => {
    const src = store('src');
    const { experimentId } = writeFixture(src, TOY_LIKE.slice(0, 2));
    const bytes = exportBundle(src, experimentId).bytes;
    const dst = store('dst');
    const before = counts(dst);
    writeFileSync(`${dst.path}.checkpoints`, 'a file where the checkpoint folder should be');
    expect(() => importBundle(dst, bytes)).toThrow();
    expect(counts(dst)).toEqual(before);
    // after the obstacle is gone the same bundle imports cleanly
    rmSync(`${dst.path}.checkpoints`);
    const res = importBundle(dst, bytes);
    expect(res.runIds).toHaveLength(6);
    expect(existsSync(checkpointDir(dst.path, res.runIds[0]!))).toBe(true);
  });
});
