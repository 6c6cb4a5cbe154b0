// `lab runs`: the table with filters, show, cancel, delete; unknown ids and bad flags are one-line
// usage errors that change nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../../src-main/cli/verbs/runs.ts';
import { openStore } from '../../../src-main/store/index.ts';
import { captureStdout, seedStore, tempDir } from '../store/helpers.ts';

let t: ReturnType<typeof tempDir>;
let db: string;
let ids: number[];
beforeEach(() => {
  t = tempDir();
  db = join(t.dir, 'lab.db');
  const s = openStore(db);
  ids = seedStore(s, 3);
  s.db.pragma('wal_checkpoint(TRUNCATE)');
  s.close();
});
afterEach(() => t.cleanup());

const json = async (argv: string[]) => JSON.parse((await captureStdout(() => run([...argv, '--json', '--db', db]))).out);

describe('lab runs', () => {
  it('lists runs filtered by env, algo, status, tag and config keys', async () => {
    expect((await json([])).total).toBe(3);
    expect((await json(['--env', 'toy'])).rows.map((r: { id: number }) => r.id)).toEqual([ids[0], ids[1]]);
    expect((await json(['--algo', 'sac'])).rows.map((r: { seed: number }) => r.seed)).toEqual([1]);
    expect((await json(['--status', 'completed'])).rows.map((r: { id: number }) => r.id)).toEqual([ids[0]]);
    expect((await json(['--tag', 'best'])).total).toBe(1);
    expect((await json(['--config', 'seed=2'])).rows[0].envId).toBe('acrobot');
    expect((await json(['--config', 'config.algoConfig.gamma=0.99', '--sort', 'seed', '--desc', '--limit', '2'])).rows.map((r: { seed: number }) => r.seed)).toEqual([2, 1]);
    const table = (await captureStdout(() => run(['--db', db]))).out.split('\n');
    expect(table[0]).toMatch(/^id\s+exp\s+env\s+algo\s+seed\s+status\s+step\s+last eval return\s+tags$/);
    expect(table[1]).toMatch(new RegExp(`^${ids[0]}\\s+1\\s+toy\\s+ppo\\s+0\\s+completed\\s+0/1000\\s+det -1.50\\s+best$`));
  });

  it('shows a run with its evaluations and latest metrics', async () => {
    const d = await json(['show', String(ids[1])]);
    expect(d.algo).toBe('sac');
    expect(d.evaluations).toEqual([{ step: 20, mode: 'deterministic', meanReturn: -1.5, stdReturn: 0.5, episodes: 2 }]);
    expect(d.latestMetrics.find((m: { key: string }) => m.key === 'charts/SPS').value).toBe(100);
    const text = (await captureStdout(() => run(['show', String(ids[1]), '--db', db]))).out;
    expect(text).toMatch(/^run \d+: paused/);
    expect(text).toMatch(/20 deterministic: -1.500 \(std 0.500, 2 episodes\)/);
  });

  it('cancels and deletes (with checkpoint files); refuses what does not fit the state', async () => {
    const ckdir = join(`${db}.checkpoints`, `run-${ids[1]}`);
    mkdirSync(ckdir, { recursive: true });
    writeFileSync(join(ckdir, 'step-0000000010.ckpt'), 'x');
    await captureStdout(() => run(['cancel', String(ids[1]), '--db', db]));
    expect((await json(['show', String(ids[1])])).status).toBe('cancelled');
    await captureStdout(() => run(['delete', String(ids[1]), '--db', db]));
    expect(existsSync(ckdir)).toBe(false);
    const s = openStore(db);
    expect(s.runs.get(ids[1]!)).toBeUndefined();
    expect(s.db.prepare('SELECT count(*) FROM metrics WHERE run_id = ?').pluck().get(ids[1])).toBe(0);
    s.db.pragma('wal_checkpoint(TRUNCATE)');
    s.close();

    const before = readFileSync(db);
    await expect(run(['show', '999', '--db', db])).rejects.toThrow(/^no run with id 999$/);
    await expect(run(['cancel', '999', '--db', db])).rejects.toThrow(/no run with id 999/);
    await expect(run(['delete', 'abc', '--db', db])).rejects.toThrow(/run id: 'abc' is not a positive integer/);
    await expect(run(['cancel', String(ids[0]), '--db', db])).rejects.toThrow(/already completed/);
    await expect(run(['resume', String(ids[0]), '--db', db])).rejects.toThrow(/is completed; only paused, interrupted, failed or queued runs can be resumed/);
    await expect(run(['resume', String(ids[0]), '--backend', 'gpu', '--db', db])).rejects.toThrow(/^--backend: 'gpu' is not one of auto, webgpu, tensorflow, wasm, cpu$/);
    await expect(run(['--status', 'sleeping', '--db', db])).rejects.toThrow(/--status: 'sleeping' is not one of queued, running/);
    await expect(run(['--config', 'x) OR 1=1=3', '--db', db])).rejects.toThrow(/not a key path/);
    const missing = join(t.dir, 'nowhere', 'lab.db');
    await expect(run(['--db', missing])).rejects.toThrow(/^no lab database at .*nowhere/);
    expect(existsSync(join(t.dir, 'nowhere'))).toBe(false); // a mistyped path creates nothing
    expect(readFileSync(db).equals(before)).toBe(true);
  });
});
