// Opening the store: migrations, WAL, and refusal of files that are not ours (left untouched).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, StoreError } from '../../../src-main/store/index.ts';
import { SCHEMA_VERSION } from '../../../src-main/store/migrations.ts';
import { tempDir, runConfig } from './helpers.ts';

let t: ReturnType<typeof tempDir>;
beforeEach(() => (t = tempDir()));
afterEach(() => t.cleanup());

describe('openStore', () => {
  it('creates a migrated WAL database with foreign keys', () => {
    const s = openStore(join(t.dir, 'sub', 'lab.db'));
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(s.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(s.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    const strict = s.db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%STRICT%'").pluck().get();
    const all = s.db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").pluck().get();
    expect(strict).toBe(all);
    s.close();
    // reopening keeps data
    const s2 = openStore(join(t.dir, 'sub', 'lab.db'));
    expect(s2.runs.list().total).toBe(0);
    s2.close();
  });

  it('refuses a newer schema, naming both versions, and leaves the file unchanged', () => {
    const p = join(t.dir, 'lab.db');
    openStore(p).close();
    const raw = new Database(p);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 3}`);
    raw.close();
    const before = readFileSync(p);
    expect(() => openStore(p)).toThrow(new RegExp(`version ${SCHEMA_VERSION + 3}.*version ${SCHEMA_VERSION}`));
    expect(readFileSync(p).equals(before)).toBe(true);
  });

  it('refuses a non-SQLite file and another application database without touching them', () => {
    const txt = join(t.dir, 'notes.db');
    writeFileSync(txt, 'hello, this is not a database at all........');
    expect(() => openStore(txt)).toThrow(/not a lab database/);
    expect(readFileSync(txt, 'utf8')).toMatch(/^hello/);

    const other = join(t.dir, 'other.db');
    const raw = new Database(other);
    raw.exec('CREATE TABLE t (x)');
    raw.close();
    const before = readFileSync(other);
    expect(() => openStore(other)).toThrow(/another application/);
    expect(readFileSync(other).equals(before)).toBe(true);
  });

  it('refuses a corrupt lab database (quick_check) and leaves it as it was', () => {
    const p = join(t.dir, 'lab.db');
    const s = openStore(p);
    const id = s.runs.insert(runConfig());
    s.metrics.append(id, Array.from({ length: 5000 }, (_, i) => ({ key: 'k', step: i, wallTime: i, value: i })));
    s.db.pragma('wal_checkpoint(TRUNCATE)');
    s.close();
    const buf = readFileSync(p);
    const pageSize = buf.readUInt16BE(16);
    // scribble over the b-tree page headers of a few pages past the schema
    for (let page = 4; page < 12; page++) for (let i = 0; i < 12; i++) buf[(page - 1) * pageSize + i] = 0xff;
    writeFileSync(p, buf);
    expect(() => openStore(p)).toThrow(StoreError);
    expect(readFileSync(p).equals(buf)).toBe(true);
  });

  it('reports a directory or a read-only file as the database path', () => {
    const d = join(t.dir, 'adir');
    mkdirSync(d);
    expect(() => openStore(d)).toThrow(/is a directory/);
    const p = join(t.dir, 'ro.db');
    openStore(p).close();
    chmodSync(p, 0o444);
    expect(() => openStore(p)).toThrow(/read-only/);
  });

  it('backs up online to a new file and refuses to overwrite', async () => {
    const s = openStore(join(t.dir, 'lab.db'));
    const id = s.runs.insert(runConfig());
    s.metrics.append(id, [{ key: 'a', step: 1, wallTime: 0.1, value: 2 }]);
    await s.backup(join(t.dir, 'copy.db'));
    await expect(s.backup(join(t.dir, 'copy.db'))).rejects.toThrow(/already exists/);
    s.close();
    const c = openStore(join(t.dir, 'copy.db'));
    expect(Array.from(c.metrics.series(id, 'a').value)).toEqual([2]);
    c.close();
  });
});
