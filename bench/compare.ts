// `npm run bench -- compare [--runs N] [--steps N] [--reps N]`: the Compare view in Chromium (the
// same Debian chromium and `lab serve` the browser tests use). A store holds 20 runs x 100,000
// steps of one metric (policy/entropy, 2 million rows) in 4 groups; the benchmark clicks controls
// of the Compare view and measures, in the page, the time from the click to the main chart having
// drawn the new answer (the canvas's lab:drawn event). Median of repetitions per setting; target
// under 500 ms. Settings: statistic switch (IQM <-> mean) with smoothing 0, with TensorBoard
// smoothing 0.9 (full-resolution smoothing before aggregation), and with member runs shown.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { RunConfig } from '../src-core/train/types.ts';
import { openStore } from '../src-main/store/index.ts';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const RUNS = arg('runs', 20);
const STEPS = arg('steps', 100_000);
const REPS = arg('reps', 7);
const ROOT = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'lab-bench-compare-'));
const db = join(dir, 'lab.db');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

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
    algoConfig: {},
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
      batch.push({ key: 'policy/entropy', step: s, wallTime: s / 500, value: Math.exp(-s / STEPS) * (1 + 0.3 * Math.sin(s * 0.37 + i)) - (i % 4) * 0.1 });
      if (batch.length === 10_000) store.metrics.append(id, batch.splice(0));
    }
    if (batch.length) store.metrics.append(id, batch);
    for (let s = 10_000; s <= STEPS; s += 10_000) {
      for (const mode of ['deterministic', 'stochastic'] as const) {
        store.evaluations.insert(id, { step: s, mode, returns: Array.from({ length: 10 }, (_, k) => s / STEPS + k * 0.01 - (i % 4)), lengths: Array(10).fill(100), startSeeds: Array.from({ length: 10 }, (_, k) => k), wallTime: s / 500 });
      }
    }
    store.runs.markEnded(id, 'completed');
  }
  process.stdout.write(`filled ${RUNS} runs x ${STEPS} steps (${(RUNS * STEPS / 1e6).toFixed(1)}M rows) in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
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
    await page.getByTestId('main-key').locator('option[value="policy/entropy"]').waitFor({ state: 'attached', timeout: 60_000 });
    await page.getByTestId('main-key').selectOption('policy/entropy');
    await page.getByTestId('main-panel').locator('canvas').waitFor({ timeout: 60_000 });

    /** Click-to-drawn time of one control change, measured inside the page (browser code as text: this file is type-checked for Node). */
    const timed = (act: 'statistic' | 'members') =>
      page.evaluate(`new Promise((resolve) => {
        const canvas = document.querySelector('[data-testid="main-panel"] canvas');
        const t0 = performance.now();
        canvas.addEventListener('lab:drawn', () => requestAnimationFrame(() => resolve(performance.now() - t0)), { once: true });
        if (${JSON.stringify(act)} === 'statistic') {
          const sel = document.querySelector('select:has(option[value="iqm"])');
          sel.value = sel.value === 'iqm' ? 'mean' : 'iqm';
          sel.dispatchEvent(new Event('change', { bubbles: true }));
        } else document.querySelector('[data-testid="members"]').click();
      })`) as Promise<number>;

    const setSmoothing = (v: number) =>
      page.evaluate(`(() => {
        const r = document.querySelector('input[type=range]');
        r.value = ${JSON.stringify(String(v))};
        r.dispatchEvent(new Event('input', { bubbles: true }));
      })()`);

    const table: [string, number, number][] = [];
    const measure = async (name: string, act: 'statistic' | 'members') => {
      const ms: number[] = [];
      const first = await timed(act); // the first click after a change of setting (cold caches), reported on its own
      table.push([`${name}: first click`, first, first]);
      for (let r = 0; r < REPS; r++) ms.push(await timed(act));
      table.push([`${name}: later clicks`, median(ms), Math.max(...ms)]);
    };
    await measure('statistic switch, smoothing 0', 'statistic');
    await setSmoothing(0.9);
    await measure('statistic switch, smoothing 0.9 (full resolution)', 'statistic');
    await setSmoothing(0);
    await measure('member runs on/off (20 runs raw, down-sampled)', 'members');

    process.stdout.write(`\nCompare view, ${RUNS} runs x ${STEPS.toLocaleString('en')} steps, click to chart drawn (median of ${REPS}; target < 500 ms)\n`);
    process.stdout.write(`${'setting'.padEnd(72)} ${'median ms'.padStart(10)} ${'max ms'.padStart(8)}  target\n`);
    for (const [name, med, max] of table) process.stdout.write(`${name.padEnd(72)} ${med.toFixed(0).padStart(10)} ${max.toFixed(0).padStart(8)}  ${med < 500 ? 'ok' : 'MISSED'}\n`);
    process.stdout.write(`(load average while measuring: ${loadavg().map((v) => v.toFixed(2)).join(' ')}; this machine has ${availableParallelism()} cores)\n`);
  } finally {
    await browser.close();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
