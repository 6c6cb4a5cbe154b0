// `npm run bench -- compare [--runs N] [--steps N] [--reps N] [--look MS] [--no-blocks]`: the Compare view in Chromium (the
// same Debian chromium and `lab serve` the browser tests use). A store holds 20 runs x 100,000
// steps of three metrics (policy/entropy, losses/qf1_loss and losses/actor_loss, 2 million rows
// each) in 4 groups, the three SAC-family groups with a 5,000-step warm-up; the
// benchmark clicks controls of the Compare view and measures, in the page, the time from the click
// to the main chart having drawn the new answer (the canvas's lab:drawn event, then a frame), and
// how much of it the request took (server, transfer, JSON). Median of repetitions per setting;
// target under 500 ms. First clicks are reported on their own, with how long the curve had been
// open: the server reads a long series ahead (in chunks, between requests) once its curve is
// shown, so the smoothing slider, moved --look ms (default 4000) after the curve opened, finds it in
// memory; a curve opened with smoothing already on cannot be read ahead and shows the cost of
// reading 2 million points cold: from the series' packed blocks (written by the store as the runs
// were recorded and ended), or, with --no-blocks (the blocks deleted after filling, as in a
// database recorded before they existed), from 2 million rows. Last, a third curve is opened on the
// learning-step axis (each run shifted by its warm-up; values at the grid by index seeks too).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { RunConfig } from '../src-core/train/types.ts';
import { openStore } from '../src-main/store/index.ts';
import { medianOf as median } from '../src-core/stats/estimators.ts';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const RUNS = arg('runs', 20);
const STEPS = arg('steps', 100_000);
const REPS = arg('reps', 7);
/** How long the user looks at a newly opened curve before moving the smoothing slider. */
const LOOK_MS = arg('look', 4000);
const NO_BLOCKS = process.argv.includes('--no-blocks');
const ROOT = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'lab-bench-compare-'));
const db = join(dir, 'lab.db');
const KEYS = ['policy/entropy', 'losses/qf1_loss', 'losses/actor_loss'] as const;
/** The SAC family's off-policy warm-up in the filled runs (the learning-step axis shifts them by it). */
const WARMUP = 5000;

function config(i: number): RunConfig {
  const algos = ['ppo', 'sac', 'sac-auto', 'sac-adaent'] as const;
  return {
    env: { id: 'vehicle', variant: 'dynamic', params: {} },
    algo: algos[i % 4]!,
    preset: 'paper',
    seed: Math.floor(i / 4),
    totalSteps: STEPS,
    evalInterval: 10_000,
    evalEpisodes: 10,
    evalModes: ['deterministic', 'stochastic'],
    recordEpisodes: 0,
    evalSeed: 1,
    algoConfig: i % 4 === 0 ? {} : { warmupSteps: WARMUP },
  };
}

function fill(): number {
  const store = openStore(db);
  const exp = store.experiments.insert({ name: `bench ${RUNS} x ${STEPS}`, spec: {} });
  const t0 = performance.now();
  for (let i = 0; i < RUNS; i++) {
    const id = store.runs.insert(config(i), { experimentId: exp });
    const batch: { key: string; step: number; wallTime: number; value: number }[] = [];
    for (let s = 1; s <= STEPS; s++) {
      const base = Math.exp(-s / STEPS) * (1 + 0.3 * Math.sin(s * 0.37 + i)) - (i % 4) * 0.1;
      batch.push({ key: KEYS[0], step: s, wallTime: s / 500, value: base }, { key: KEYS[1], step: s, wallTime: s / 500, value: 2 * base * base + 0.1 * Math.cos(s * 0.11) }, { key: KEYS[2], step: s, wallTime: s / 500, value: -base + 0.05 * Math.sin(s * 0.07) });
      if (batch.length >= 10_000) store.metrics.append(id, batch.splice(0));
    }
    if (batch.length) store.metrics.append(id, batch);
    for (let s = 10_000; s <= STEPS; s += 10_000) {
      for (const mode of ['deterministic', 'stochastic'] as const) {
        store.evaluations.insert(id, { step: s, mode, returns: Array.from({ length: 10 }, (_, k) => s / STEPS + k * 0.01 - (i % 4)), lengths: Array(10).fill(100), startSeeds: Array.from({ length: 10 }, (_, k) => k), wallTime: s / 500 });
      }
    }
    store.runs.markEnded(id, 'completed');
  }
  if (NO_BLOCKS) store.db.prepare('DELETE FROM metric_blocks').run();
  const blocks = store.db.prepare('SELECT count(*) FROM metric_blocks').pluck().get() as number;
  process.stdout.write(`filled ${RUNS} runs x ${STEPS} steps (${((KEYS.length * RUNS * STEPS) / 1e6).toFixed(1)}M rows, ${KEYS.length} metrics) in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${blocks} packed blocks\n`);
  store.close();
  return exp;
}

async function main(): Promise<void> {
  fill();
  const child = spawn(process.execPath, [join(ROOT, 'bin/lab.js'), 'serve', '--db', db, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const url = await new Promise<string>((resolve) => child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    const m = /open (http\S+)/.exec(out);
    if (m) resolve(m[1]!);
  }));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${url}#/compare`);
    await page.getByTestId('main-key').locator(`option[value="${KEYS[0]}"]`).waitFor({ state: 'attached', timeout: 60_000 });
    await page.getByTestId('main-panel').locator('canvas').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="compare-view"][data-loading="false"]').waitFor({ timeout: 60_000 });

    type Act = { kind: 'statistic' } | { kind: 'members' } | { kind: 'smoothing'; value: number } | { kind: 'key'; key: string } | { kind: 'x'; value: 'step' | 'learning' };
    /**
     * Click-to-drawn time of one control change, measured inside the page, and the request's part
     * of it (the view's own "answered in" figure). Browser code as text: this file is type-checked for Node.
     */
    const timed = async (act: Act): Promise<{ total: number; request: number }> => {
      const total = (await page.evaluate(`new Promise((resolve) => {
        const act = ${JSON.stringify(act)};
        const canvas = document.querySelector('[data-testid="main-panel"] canvas');
        const t0 = performance.now();
        canvas.addEventListener('lab:drawn', () => requestAnimationFrame(() => resolve(performance.now() - t0)), { once: true });
        const select = (sel, value) => { sel.value = value; sel.dispatchEvent(new Event('change', { bubbles: true })); };
        if (act.kind === 'statistic') {
          const sel = document.querySelector('select:has(option[value="iqm"])');
          select(sel, sel.value === 'iqm' ? 'mean' : 'iqm');
        } else if (act.kind === 'members') document.querySelector('[data-testid="members"]').click();
        else if (act.kind === 'key') select(document.querySelector('[data-testid="main-key"]'), act.key);
        else if (act.kind === 'x') select(document.querySelector('select:has(option[value="learning"])'), act.value);
        else {
          const r = document.querySelector('input[type=range]');
          r.value = String(act.value);
          r.dispatchEvent(new Event('input', { bubbles: true }));
          r.dispatchEvent(new Event('change', { bubbles: true }));
        }
      })`)) as number;
      await page.locator('[data-testid="compare-view"][data-loading="false"]').waitFor();
      const text = (await page.getByTestId('groups-summary').textContent()) ?? '';
      return { total, request: Number(/answered in (\d+) ms/.exec(text)?.[1] ?? Number.NaN) };
    };

    const table: { name: string; total: number; request: number; max: number }[] = [];
    const first = (name: string, r: { total: number; request: number }) => table.push({ name, total: r.total, request: r.request, max: r.total });
    const later = async (name: string, acts: () => Act) => {
      const rs: { total: number; request: number }[] = [];
      for (let r = 0; r < REPS; r++) rs.push(await timed(acts()));
      table.push({ name: `${name}: later clicks`, total: median(rs.map((r) => r.total)), request: median(rs.map((r) => r.request)), max: Math.max(...rs.map((r) => r.total)) });
    };
    const since = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} s after the curve opened`;

    // 1. the first long curve, smoothing 0: opened (values at the grid by index seeks), then statistic switches
    let opened = performance.now();
    first(`open ${KEYS[0]} (smoothing 0): first click`, await timed({ kind: 'key', key: KEYS[0] }));
    opened = performance.now();
    first('statistic switch, smoothing 0: first click', await timed({ kind: 'statistic' }));
    await later('statistic switch, smoothing 0', () => ({ kind: 'statistic' }));
    // 2. the smoothing slider on that curve, after a user's look at it (LOOK_MS after it opened): read
    //    ahead meanwhile, unless the machine was too busy (then the rest is read on the click)
    await new Promise((r) => setTimeout(r, Math.max(0, LOOK_MS - (performance.now() - opened))));
    first(`smoothing 0 -> 0.9: first click (${since(opened)})`, await timed({ kind: 'smoothing', value: 0.9 }));
    first('statistic switch, smoothing 0.9: first click', await timed({ kind: 'statistic' }));
    await later('statistic switch, smoothing 0.9', () => ({ kind: 'statistic' }));
    let w = 0.9;
    await later('smoothing weight change (0.9 <-> 0.8, full resolution)', () => ({ kind: 'smoothing', value: (w = w === 0.9 ? 0.8 : 0.9) }));
    await timed({ kind: 'smoothing', value: 0.9 });
    first('member runs on/off, smoothing 0.9: first click', await timed({ kind: 'members' }));
    await later('member runs on/off, smoothing 0.9 (raw + smoothed, 20 runs)', () => ({ kind: 'members' }));
    // 3. a second long curve opened with smoothing already on: nothing was read ahead
    first(`open ${KEYS[1]} with smoothing 0.9 on: first click (nothing read ahead, 2M points read cold from ${NO_BLOCKS ? 'rows' : 'blocks'})`, await timed({ kind: 'key', key: KEYS[1] }));
    await timed({ kind: 'smoothing', value: 0 });
    if ((await page.getByTestId('members').isChecked())) await timed({ kind: 'members' });
    first('member runs on, smoothing 0: first click', await timed({ kind: 'members' }));
    await later('member runs on/off, smoothing 0 (20 runs raw, down-sampled)', () => ({ kind: 'members' }));
    // 4. the learning-step axis: a third long curve opened on it (nothing read ahead), then axis switches
    await timed({ kind: 'members' });
    first('x axis -> learning steps: first click (the curve shown, read whole)', await timed({ kind: 'x', value: 'learning' }));
    first(`open ${KEYS[2]} on learning steps (smoothing 0): first click`, await timed({ kind: 'key', key: KEYS[2] }));
    await later('statistic switch, learning steps, smoothing 0', () => ({ kind: 'statistic' }));
    let x: 'step' | 'learning' = 'learning';
    await later('x axis learning steps <-> global_step, smoothing 0', () => ({ kind: 'x', value: (x = x === 'learning' ? 'step' : 'learning') }));

    process.stdout.write(`\nCompare view, ${RUNS} runs x ${STEPS.toLocaleString('en')} steps, click to chart drawn (median of ${REPS}; target < 500 ms)\n`);
    process.stdout.write(`${'setting'.padEnd(96)} ${'median ms'.padStart(10)} ${'request'.padStart(8)} ${'max ms'.padStart(8)}  target\n`);
    for (const r of table) {
      process.stdout.write(`${r.name.padEnd(96)} ${r.total.toFixed(0).padStart(10)} ${r.request.toFixed(0).padStart(8)} ${r.max.toFixed(0).padStart(8)}  ${r.total < 500 ? 'ok' : 'MISSED'}\n`);
    }
    process.stdout.write('(request: from sending the request to its answer parsed in the page, the rest is drawing; first clicks are single measurements)\n');
    process.stdout.write(`(load average while measuring: ${loadavg().map((v) => v.toFixed(2)).join(' ')}; this machine has ${availableParallelism()} cores)\n`);
  } finally {
    await browser.close();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
