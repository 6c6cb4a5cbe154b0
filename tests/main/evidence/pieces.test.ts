// Campaign pieces (`lab reproduce --pieces DIR`): written while it trains and at Ctrl-C;
// on another store the same command continues from it, ends with the bundle an uninterrupted
// campaign writes (every evaluation and training metric equal) and removes the piece, and the same
// command on a new store then trains nothing (the task is finished); a truncated
// piece, or a bundle that is not a piece, is refused by name with nothing imported; `lab report
// --pieces` lists what each piece holds.
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readBundle } from '../../../src-main/bundle/import.ts';
import { openStore } from '../../../src-main/store/index.ts';
import { tempDir } from '../bundle/fixture.ts';
import { lab } from '../cli/lab-cli.ts';
import { perRunText } from '../../../src-core/stats/table-export.ts';

const t = tempDir('lab-pieces-');
afterAll(() => t.cleanup());
const root = new URL('../../../', import.meta.url).pathname;
const STEPS = '8000';
const args = (db: string, pieces: string, results: string, every = '30') => ['reproduce', 'toy', '--algos', 'sac', '--seeds', '2', '--steps', STEPS, '--concurrency', '1', '--pieces', pieces, '--pieces-every', every, '--results', results, '--report', join(t.dir, 'report.md'), '--db', db];
const FILE = 'toy-quick-sac-8000steps.labbundle';

/** Start the command; Ctrl-C it once every run in its store has passed `step` (polled there) and `file` exists. */
function interrupted(argv: string[], db: string, step: number, file: string): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/lab.js', ...argv], { cwd: root, env: { ...process.env, LAB_DB: '' } });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const poll = setInterval(() => {
      if (!existsSync(db)) return;
      const conn = new Database(db, { readonly: true, fileMustExist: true });
      try {
        const row = conn.prepare('SELECT count(*) AS n, min(global_step) AS least FROM runs').get() as { n: number; least: number | null };
        if (row.n > 0 && (row.least ?? 0) >= step && existsSync(file)) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      } catch {
        // the schema is not written yet
      } finally {
        conn.close();
      }
    }, 100);
    child.on('close', (code) => {
      clearInterval(poll);
      resolve({ code, stdout });
    });
  });
}

/** Per run (by seed): every evaluation and every training metric value but speed and wall time. */
function content(file: string): Record<string, unknown> {
  const { manifest, runs } = readBundle(readFileSync(file));
  return Object.fromEntries(
    runs.map((r) => [
      r.entry.seed,
      {
        evaluations: r.entry.evaluations.map((e) => [e.step, e.mode, e.returns]),
        metrics: r.metrics.filter((m) => m.key !== 'charts/SPS').map((m) => `${m.key}@${m.step}=${m.value}`),
        status: r.entry.status,
        experiment: manifest.experiment.name,
      },
    ]),
  );
}

describe('lab reproduce --pieces', () => {
  it('the piece is written while it trains and at Ctrl-C; another store continues from it to the bundle an uninterrupted campaign writes, and removes the piece', async () => {
    const pieces = join(t.dir, 'pieces');
    // every 1.8 s while it trains (--pieces-every 0.03), then at Ctrl-C
    const first = await interrupted(args(join(t.dir, 'a.db'), pieces, join(t.dir, 'res-a'), '0.03'), join(t.dir, 'a.db'), 4500, join(pieces, FILE)); // past the evaluation at 4,000: the plan below is timed by it
    expect(first.code).toBe(130);
    expect(first.stdout.match(/toy: wrote the piece/g)!.length).toBeGreaterThanOrEqual(2);
    expect(first.stdout).toMatch(new RegExp(`toy: wrote the piece .*${FILE} \\([\\d.]+ MB; runs at steps \\d+, \\d+\\); continue with: lab reproduce toy .*--concurrency 1 .*--pieces ${pieces}`));
    const pieceBytes = readFileSync(join(pieces, FILE));
    expect(pieceBytes.length).toBeGreaterThan(gunzipSync(pieceBytes).length); // stored, not compressed: git keeps the next version as a delta
    const piece = readBundle(pieceBytes);
    expect(piece.manifest.piece?.note).toMatch(/campaign piece/);
    expect(piece.manifest.producer.campaign).toBe(`lab reproduce toy --budget quick --seeds 2 --algos sac --steps 8000 --concurrency 1 --results ${join(t.dir, 'res-a')} --report ${join(t.dir, 'report.md')} --pieces ${pieces} --pieces-every 0.03`); // no --db: another machine continues it into its own store
    expect(piece.runs.map((r) => r.entry.status)).toEqual(['paused', 'paused']);
    for (const r of piece.runs) {
      expect(r.entry.globalStep).toBeGreaterThanOrEqual(4500);
      expect(r.entry.globalStep).toBeLessThan(8000);
      expect(r.checkpoint?.step).toBe(r.entry.globalStep); // the stop's checkpoint, whole
    }
    // lab report --pieces lists it (not in the table: no run completed)
    // the latest evaluation every run has (4,000: the smoke budget evaluates every 4,000 steps), each run's mean return there
    const perRun = [...piece.runs]
      .sort((a, b) => a.entry.seed - b.entry.seed)
      .map((r) => {
        const xs = r.entry.evaluations.find((e) => e.step === 4000 && e.mode === 'deterministic')!.returns as number[];
        return `${perRunText(xs.reduce((a, b) => a + b, 0) / xs.length)} (seed ${r.entry.seed})`.replace(/[.()]/g, '\\$&');
      })
      .join(', ');
    const listed = await lab('report', '--db', join(t.dir, 'a.db'), '--pieces', pieces);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`in progress \\(campaign pieces in ${pieces}, not in the table until they complete\\):\\n  toy: sac, 2 runs at [\\d,]+ of 8,000 steps \\(\\d+%\\), written \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC; sac at step 4,000 \\(deterministic evaluation, interim, decides nothing\\): ${perRun}; in training over steps 1-4,000 \\(mean per run\\): policy/entropy [-\\d.]+ \\(seed 0\\), [-\\d.]+ \\(seed 1\\); losses/alpha [\\d.e-]+ \\(seed 0\\), [\\d.e-]+ \\(seed 1\\); continue: lab reproduce toy .*--pieces ${pieces} --pieces-every 0.03\\n`));
    // its cell among those not measured yet says how far the piece has trained it
    expect(listed.stdout).toMatch(/^ {2}toy: ppo, sac, sac-auto, sac-adaent, td3 \(lab reproduce toy --algos ppo,sac,sac-auto,sac-adaent,td3\); in progress: sac at \d+% \(below\)$/m);
    mkdirSync(join(t.dir, 'md', 'results'), { recursive: true });
    writeFileSync(join(t.dir, 'md', 'results', 'hopper-in-progress.svg'), '<svg/>'); // a piece's figure from an earlier report, whose piece is gone
    expect((await lab('report', '--db', join(t.dir, 'a.db'), '--pieces', pieces, '--markdown', '--out', join(t.dir, 'md', 'results.md'))).code).toBe(0);
    const md = readFileSync(join(t.dir, 'md', 'results.md'), 'utf8');
    expect(md).toMatch(/^\| toy \| ppo, sac, sac-auto, sac-adaent, td3 \| `lab reproduce toy --algos ppo,sac,sac-auto,sac-adaent,td3` \| sac at \d+% \|$/m);
    expect(md).toContain('![toy-in-progress.svg](results/toy-in-progress.svg)');
    expect(readFileSync(join(t.dir, 'md', 'results', 'toy-in-progress.svg'), 'utf8')).toContain('sac (in progress): mean over seeds 0, 1 of the piece');
    expect(existsSync(join(t.dir, 'md', 'results', 'hopper-in-progress.svg'))).toBe(false);
    const plan = await lab('reproduce', 'toy', '--algos', 'sac', '--seeds', '2', '--steps', STEPS, '--pieces', pieces, '--plan', '--db', join(t.dir, 'b.db'));
    expect(plan.stdout).toContain(`toy: would continue from the piece ${join(pieces, FILE)} (runs at steps ${piece.runs.map((r) => r.entry.globalStep).join(', ')})`);
    expect(plan.stdout).toMatch(/toy +2 runs, \d+ environment steps; from its piece, 0\/2 runs completed; done in ~\d+ min \(1 seed group\)\n/); // timed at the speed its runs were measured at; b.db gets nothing (the run below continues from the piece)

    const second = await lab(...args(join(t.dir, 'b.db'), pieces, join(t.dir, 'res-b')));
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`toy: continued from the piece .*${FILE} \\(experiment 1; runs at steps ${piece.runs.map((r) => r.entry.globalStep).join(', ')}\\)`));
    expect(second.stdout).toMatch(/toy: all runs completed; wrote /);
    expect(second.stdout).toContain(`toy: completed; removed its piece ${join(pieces, FILE)}`);
    expect(existsSync(join(pieces, FILE))).toBe(false);
    // continued, not trained again: what the piece held comes through as it was (its wall times too)
    const final = readBundle(readFileSync(join(t.dir, 'res-b', FILE)));
    for (const r of piece.runs) {
      const upTo = (x: typeof r) => x.entry.evaluations.filter((e) => e.step <= r.entry.globalStep).map((e) => [e.step, e.mode, e.wallTime]);
      expect(upTo(r).length).toBeGreaterThan(1);
      expect(upTo(final.runs.find((f) => f.entry.seed === r.entry.seed)!)).toEqual(upTo(r));
    }

    // the command the piece named, on a new store once the task is finished: its bundle is there and its piece gone, so nothing trains
    const again = await lab(...args(join(t.dir, 'd.db'), pieces, join(t.dir, 'res-b')));
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`toy: finished, not trained again: its bundle ${join(t.dir, 'res-b', FILE)} is in the results folder and ${pieces} holds no piece of it`);
    const d = openStore(join(t.dir, 'd.db'));
    expect(d.runs.list({ sort: 'id' }).rows).toHaveLength(0);
    d.close();
    expect(readBundle(readFileSync(join(t.dir, 'res-b', FILE))).runs.map((r) => r.entry.status)).toEqual(['completed', 'completed']);

    const whole = await lab(...args(join(t.dir, 'c.db'), join(t.dir, 'no-pieces'), join(t.dir, 'res-c')));
    expect(whole.code).toBe(0);
    const resumed = content(join(t.dir, 'res-b', FILE));
    expect(Object.keys(resumed)).toHaveLength(2);
    expect(resumed).toEqual(content(join(t.dir, 'res-c', FILE)));
    expect(Object.values(resumed).map((r) => (r as { status: string }).status)).toEqual(['completed', 'completed']);
  }, 240_000);

  it('a truncated piece, or a bundle that is not a piece, is refused by name and nothing is imported', async () => {
    const pieces = join(t.dir, 'bad-pieces');
    mkdirSync(pieces, { recursive: true });
    const good = join(t.dir, 'res-c', FILE); // a compact bundle from results/, not a piece
    copyFileSync(good, join(pieces, FILE));
    const db = join(t.dir, 'bad.db');
    expect((await lab('reproduce', 'toy', '--pieces-every', '5', '--db', db)).stderr).toContain('--pieces-every goes with --pieces');
    expect((await lab(...args(db, pieces, join(t.dir, 'res-bad'), '0'))).stderr).toContain("--pieces-every: '0' is not a positive number of minutes");
    const notPiece = await lab(...args(db, pieces, join(t.dir, 'res-bad')));
    expect(notPiece.code).toBe(2);
    expect(notPiece.stderr).toContain(`${join(pieces, FILE)}: a bundle but not a campaign piece`);
    const listed = await lab('report', '--db', db, '--pieces', pieces);
    expect(listed.stdout).toContain(`  ${FILE}: unreadable (a bundle but not a campaign piece)`);
    const bytes = readFileSync(good);
    writeFileSync(join(pieces, FILE), bytes.subarray(0, Math.floor(bytes.length / 2)));
    const truncated = await lab(...args(db, pieces, join(t.dir, 'res-bad')));
    expect(truncated.code).toBe(2);
    expect(truncated.stderr).toMatch(new RegExp(`${join(pieces, FILE)}: .*; nothing was imported`));
    const store = openStore(db);
    try {
      expect(store.experiments.list()).toEqual([]);
    } finally {
      store.close();
    }
  }, 60_000);

  it('is refused with --on slurm', async () => {
    const r = await lab('reproduce', 'toy', '--on', 'slurm', '--workdir', t.dir, '--pieces', t.dir, '--db', join(t.dir, 'slurm.db'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--pieces is for local runs');
  });
});
