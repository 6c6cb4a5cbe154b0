// `lab runs`: the table with filters, the evaluation return summarised (--summary, --sort summary),
// show, cancel, delete; unknown ids and bad flags are one-line usage errors that change nothing.
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

  it('--summary best|auc|mean-last:K summarises each run\'s deterministic evaluations; --sort summary orders by it', async () => {
    // each seeded run has one deterministic evaluation, -1.5 at step 20; add more
    const s = openStore(db);
    const ev = (id: number, step: number, returns: number[]) => s.evaluations.insert(id, { step, mode: 'deterministic', returns, lengths: returns.map(() => 2), startSeeds: returns.map((_, i) => i), wallTime: step });
    ev(ids[0]!, 40, [2, 2]);
    ev(ids[0]!, 60, [-1, 1]);
    ev(ids[1]!, 40, [Number.NaN, 1]); // a diverged episode: that evaluation's mean is non-finite
    ev(ids[2]!, 40, [5]);
    s.db.pragma('wal_checkpoint(TRUNCATE)');
    s.close();
    type Row = { id: number; evalSummary: { mode: string; value: number | null; fromStep: number; toStep: number; evaluations: number } | null };
    const summaries = async (argv: string[]) => {
      const j = await json(argv);
      return { label: j.summary.label as string, by: new Map((j.rows as Row[]).map((r) => [r.id, r.evalSummary])), order: (j.rows as Row[]).map((r) => r.id) };
    };
    const best = await summaries(['--summary', 'best']);
    expect(best.label).toMatch(/^best evaluation return of the run/);
    expect(best.by.get(ids[0]!)).toEqual({ runId: ids[0], mode: 'deterministic', value: 2, fromStep: 40, toStep: 40, evaluations: 3 });
    expect(best.by.get(ids[1]!)!.value).toBe(-1.5); // the non-finite evaluation is not the best
    // trapezoid: run 0 ((-1.5 + 2) / 2 * 20 + (2 + 0) / 2 * 20) / 40; run 2 (-1.5 + 5) / 2 * 20 / 20; run 1 non-finite
    const auc = await summaries(['--summary', 'auc', '--sort', 'summary', '--desc']);
    expect([auc.by.get(ids[0]!)!.value, auc.by.get(ids[1]!)!.value, auc.by.get(ids[2]!)!.value]).toEqual([0.625, null, 1.75]);
    expect(auc.order).toEqual([ids[2], ids[0], ids[1]]);
    expect((await summaries(['--summary', 'auc', '--sort', 'summary', '--limit', '1', '--offset', '1'])).order).toEqual([ids[0]]);
    expect((await summaries(['--summary', 'mean-last:2'])).by.get(ids[0]!)).toEqual({ runId: ids[0], mode: 'deterministic', value: 1, fromStep: 40, toStep: 60, evaluations: 2 });
    const text = (await captureStdout(() => run(['--summary', 'best', '--db', db]))).out.split('\n');
    expect(text[0]).toMatch(/^id\s+exp\s+env\s+algo\s+seed\s+status\s+step\s+eval return \(best\)\s+tags$/);
    expect(text.find((l) => l.startsWith(`${ids[0]} `))).toMatch(/\sdet 2\.00 \(step 40\)\s/);
    expect(text.find((l) => l.startsWith('eval return (best): '))).toMatch(/deterministic \(det\) where the run has deterministic evaluations/);
    const auc1 = (await captureStdout(() => run(['--summary', 'auc', '--db', db]))).out;
    expect(auc1).toMatch(new RegExp(`\\n${ids[1]} .* det non-finite \\(2 evaluations, steps 20-40\\)`));
    await expect(run(['--summary', 'worst', '--db', db])).rejects.toThrow(/^--summary: 'worst' is not one of last, best, mean-last:K, auc$/);
    await expect(run(['--summary', 'mean-last:0', '--db', db])).rejects.toThrow(/^--summary: 'mean-last:0': K must be an integer from 1 to 1000$/);
    await expect(run(['--sort', 'summary', '--db', db])).rejects.toThrow(/^--sort summary needs --summary/);
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
