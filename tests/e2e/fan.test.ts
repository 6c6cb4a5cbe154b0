// The rollout fan in Chromium through `lab serve`: two trained (tiny) pendulum checkpoints of the
// same task, fanned out from one start seed side by side; the returns shown are analysis.fan's, the
// CSV export holds each stochastic episode's state at every step as the API gives it, and both
// charts share one y range; as a phase plot (one state component against another) each episode is
// its own path in the CSV, and both charts share the x range too.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { FanResult } from '../../src-core/contract/methods/analysis.ts';
import { createTrainer, resolveRunConfig } from '../../src-core/train/index.ts';
import { initBackend } from '../../src-main/engine/backend.ts';
import { Store } from '../../src-main/store/index.ts';
import { num } from '../../src-renderer/lib/format.ts';
import { parseCsv } from './csv.ts';
import { startLab, type Lab } from './harness.ts';

let lab: Lab;
const runIds: number[] = [];

beforeAll(async () => {
  lab = await startLab({ viewport: { width: 1280, height: 1600 } });
  await initBackend('wasm');
  const store = new Store(lab.dbPath);
  try {
    for (const seed of [5, 6]) {
      const cfg = resolveRunConfig({
        env: 'pendulum', algo: 'sac-auto', preset: 'quick', seed,
        overrides: { totalSteps: 120, evalInterval: 120, evalEpisodes: 1, hidden: '16,16', batchSize: 32, warmupSteps: 60 },
      });
      const trainer = createTrainer(cfg, {});
      expect(await trainer.run()).toBe('completed');
      const bytes = trainer.checkpoint();
      trainer.dispose();
      const file = join(lab.tmp, `pendulum-seed${seed}-120.ckpt`);
      writeFileSync(file, bytes);
      store.tx(() => {
        const id = store.runs.insert(cfg);
        store.checkpoints.insert(id, 120, file, bytes.length);
        runIds.push(id);
      });
    }
  } finally {
    store.db.close();
  }
}, 180_000);
afterAll(async () => {
  await lab?.close();
});

test('Analysis, rollout fan: two runs from one start seed, the returns and CSV of analysis.fan, one y range', async () => {
  const { page } = lab;
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Analysis', exact: true }).click();
  const panel = page.getByTestId('fan-panel');
  await panel.getByLabel('Fan run', { exact: true }).selectOption(String(runIds[0]));
  await expect.poll(() => panel.getByLabel('Fan checkpoint', { exact: true }).inputValue()).toBe('120');
  await panel.getByLabel('Fan second run').selectOption(String(runIds[1]));
  await expect.poll(() => panel.getByLabel('Fan second checkpoint').inputValue()).toBe('120');
  await panel.getByLabel('Fan start seed').fill('7');
  await panel.getByLabel('Fan count').fill('4');
  await panel.getByLabel('Fan sampling seed').fill('30');
  await panel.getByLabel('Fan steps').fill('50');
  await panel.getByTestId('fan-compute').click();
  await expect.poll(() => panel.getByTestId('fan-returns-1').count(), { timeout: 90_000 }).toBe(1);

  const args = (runId: number) => ({ run: { runId, step: 120 }, start: { kind: 'seed', seed: 7 }, count: 4, samplingSeed: 30, steps: 50 });
  const api = await Promise.all(runIds.map((id) => lab.call<FanResult>('analysis.fan', args(id))));
  const fans = api.map((r) => (r.ok ? r.value : (() => { throw new Error(r.error.message); })()));
  for (const [i, f] of fans.entries()) {
    const mean = f.stochastic.reduce((a, e) => a + e.return, 0) / 4;
    const text = (await panel.getByTestId(`fan-returns-${i}`).textContent())!;
    expect(text).toContain(`run ${runIds[i]} (sac-auto, seed ${5 + i}) at step 120: deterministic ${num(f.deterministic.return)}; stochastic (K = 4) mean ${num(mean)}`);
    expect(text).toMatch(/episode lengths: deterministic 50, stochastic 50 steps\.\s*$/); // the 50 steps asked for
  }
  expect(fans[0]!.stochastic[0]!.states.slice(0, 2)).toEqual(fans[1]!.stochastic[0]!.states.slice(0, 2)); // one start for both runs

  // the CSV of the first chart: each stochastic episode's first state component at every step
  const chart = panel.getByTestId('fan-chart-0');
  const [dl] = await Promise.all([page.waitForEvent('download'), chart.getByRole('button', { name: /as CSV/ }).click()]);
  const rows = parseCsv(readFileSync((await dl.path())!, 'utf8'));
  for (const [k, e] of fans[0]!.stochastic.entries()) {
    const mine = rows.filter((r) => r.kind === 'member_raw' && r.legend === `sampling seed ${30 + k}`);
    expect(mine.map((r) => Number(r.value))).toEqual(Array.from({ length: e.length + 1 }, (_, t) => e.states[t * 2]!));
  }
  const det = rows.filter((r) => r.kind === 'aggregate' && r.series === 'deterministic');
  expect(det.map((r) => Number(r.value))).toEqual(Array.from({ length: 51 }, (_, t) => fans[0]!.deterministic.states[t * 2]!));
  expect(rows[0]!.start).toBe("the environment's reset from seed 7");

  // side by side on one y range, covering every value of both fans
  const ranges = await panel.locator('[data-y-range]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.yRange!.split(',').map(Number)));
  expect(ranges).toHaveLength(2);
  expect(ranges[0]).toEqual(ranges[1]);
  const all = fans.flatMap((f) => [f.deterministic, ...f.stochastic].flatMap((e) => Array.from({ length: e.length + 1 }, (_, t) => e.states[t * 2]!)));
  expect(ranges[0]![0]).toBeLessThanOrEqual(Math.min(...all));
  expect(ranges[0]![1]).toBeGreaterThanOrEqual(Math.max(...all));
  // the return so far, for both
  await panel.getByLabel('Fan variable').selectOption('return');
  await expect.poll(() => chart.locator('.title').textContent()).toMatch(/return so far/);
  await lab.screenshot('analysis-fan');

  // a phase plot: the second state component against the first, every episode its own path
  await panel.getByLabel('Fan variable').selectOption('1');
  await panel.getByLabel('Fan horizontal axis').selectOption('0');
  await expect.poll(() => chart.locator('.title').textContent()).toMatch(/against state/);
  const [dl2] = await Promise.all([page.waitForEvent('download'), chart.getByRole('button', { name: /as CSV/ }).click()]);
  const phase = parseCsv(readFileSync((await dl2.path())!, 'utf8'));
  const states = (e: FanResult['deterministic'], j: number) => Array.from({ length: e.length + 1 }, (_, t) => e.states[t * 2 + j]!);
  for (const [k, e] of fans[0]!.stochastic.entries()) {
    const mine = phase.filter((r) => r.kind === 'member_raw' && r.legend === `sampling seed ${30 + k}`);
    expect(mine.map((r) => [Number(r.x), Number(r.value)])).toEqual(states(e, 0).map((x, t) => [x, states(e, 1)[t]]));
  }
  const detPath = phase.filter((r) => r.kind === 'aggregate' && r.series === 'deterministic');
  expect(detPath.map((r) => [Number(r.x), Number(r.value)])).toEqual(states(fans[0]!.deterministic, 0).map((x, t) => [x, states(fans[0]!.deterministic, 1)[t]]));
  expect(phase.some((r) => r.kind === 'aggregate' && r.series !== 'deterministic')).toBe(false); // paths are not averaged
  // both phase plots on one x range too, covering every first component
  const xRanges = await panel.locator('[data-x-range]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.xRange!.split(',').map(Number)));
  expect(xRanges[0]).toEqual(xRanges[1]);
  const firsts = fans.flatMap((f) => [f.deterministic, ...f.stochastic].flatMap((e) => states(e, 0)));
  expect(xRanges[0]![0]).toBeLessThanOrEqual(Math.min(...firsts));
  expect(xRanges[0]![1]).toBeGreaterThanOrEqual(Math.max(...firsts));
  await lab.screenshot('analysis-fan-phase');
  expect(lab.foreignRequests()).toEqual([]);
});
