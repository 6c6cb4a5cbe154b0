// In Chromium through `lab serve`: pause a running run from the Runs view, resume it, and check it
// completes on one global_step axis (the metric stream has no repeated or missing-order steps and
// the worker resumed from the checkpoint written at the pause).
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startLab, type Lab } from './harness.ts';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab?.close();
});

// long enough (several seconds of SAC on the toy) that the run is still running when the page acts
const BUDGET = 3000;

test('pause and resume a run from the Runs view; it completes on one global_step axis', async () => {
  const spec = {
    name: 'pause-resume',
    preset: 'quick',
    budget: BUDGET,
    eval: { interval: 1000, episodes: 2 },
    seeds: [3],
    environments: [{ id: 'toy' }],
    algorithms: [{ algo: 'sac', hyperparameters: { alpha: 1 } }],
  };
  const created = await lab.call<{ runIds: number[] }>('experiments.create', { spec, launch: true });
  expect(created.ok).toBe(true);
  const id = created.ok ? created.value.runIds[0]! : 0;

  const { page } = lab;
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Runs', exact: true }).click();
  const row = page.locator(`[role=row][data-run-id="${id}"]`);
  const stepOf = async () => Number(/^(\d+(?:\.\d+)?)(k?) \//.exec((await row.locator('.progress .label').textContent()) ?? '')?.[1] ?? 0);
  await expect.poll(() => row.getAttribute('data-status'), { timeout: 60_000 }).toBe('running');
  // past the first loss log (every 100 steps) so both series have points before the pause
  await expect.poll(stepOf, { timeout: 90_000, interval: 100 }).toBeGreaterThan(110);

  await row.getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect.poll(() => row.getAttribute('data-status'), { timeout: 60_000 }).toBe('paused');
  const pausedAt = await lab.call<{ globalStep: number; status: string }>('runs.get', { id });
  expect(pausedAt.ok && pausedAt.value.status).toBe('paused');
  const pausedStep = pausedAt.ok ? pausedAt.value.globalStep : -1;
  expect(pausedStep).toBeGreaterThan(0);
  expect(pausedStep).toBeLessThan(BUDGET);
  await lab.screenshot('runs-paused');

  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await expect.poll(() => row.getAttribute('data-status'), { timeout: 150_000, interval: 1000 }).toBe('completed');
  await expect.poll(() => row.getByTestId('last-eval').textContent()).toMatch(/^-?\d+(\.\d+)? det\.$/);

  // one global_step axis: the resumed worker continued from the pause checkpoint
  const log = await lab.call<{ message: string }[]>('runs.log', { id, tail: 200 });
  expect(log.ok && log.value.some((l) => l.message === `resuming from the checkpoint at step ${pausedStep}`)).toBe(true);
  const series = await lab.call<{ steps: number[]; total: number }[]>('metrics.series', { runIds: [id], keys: ['charts/episodic_return', 'losses/qf1_loss'], maxPoints: 100000 });
  expect(series.ok).toBe(true);
  if (series.ok) {
    for (const s of series.value) {
      expect(s.steps.length).toBe(s.total);
      for (let i = 1; i < s.steps.length; i++) expect(s.steps[i]!).toBeGreaterThan(s.steps[i - 1]!);
      expect(s.steps[0]!).toBeLessThanOrEqual(pausedStep);
      expect(s.steps.at(-1)!).toBeGreaterThan(pausedStep);
      expect(s.steps.at(-1)!).toBeLessThanOrEqual(BUDGET);
    }
  }
  const done = await lab.call<{ globalStep: number }>('runs.get', { id });
  expect(done.ok && done.value.globalStep).toBe(BUDGET);
  expect(lab.foreignRequests()).toEqual([]);
});

test('a run whose worker dies shows the reason in Live and in Runs (SIGKILL of the worker)', async () => {
  const spec = { name: 'crash', preset: 'quick', budget: 20_000, eval: { interval: 5000, episodes: 2 }, seeds: [4], environments: [{ id: 'toy' }], algorithms: [{ algo: 'sac' }] };
  const created = await lab.call<{ runIds: number[] }>('experiments.create', { spec, launch: true });
  const id = created.ok ? created.value.runIds[0]! : 0;
  const { page } = lab;
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Runs', exact: true }).click();
  const row = page.locator(`[role=row][data-run-id="${id}"]`);
  await expect.poll(() => row.getAttribute('data-status'), { timeout: 60_000 }).toBe('running');
  await row.locator('[role=cell]:nth-child(3)').dblclick(); // opens the run in Live
  await expect.poll(() => page.locator('main').getAttribute('data-view')).toBe('live');
  await expect.poll(() => page.getByTestId('live-summary').getAttribute('data-status')).toBe('running');

  // the training worker is the lab server's only child process now: kill it as a crash would
  const workers = execFileSync('pgrep', ['-P', String(lab.serverPid)], { encoding: 'utf8' }).trim().split('\n').map(Number);
  expect(workers).toHaveLength(1);
  process.kill(workers[0]!, 'SIGKILL');

  const alert = page.getByTestId('live-summary').getByRole('alert');
  await expect.poll(() => alert.textContent(), { timeout: 30_000 }).toMatch(/^Run (failed|interrupted): .*SIGKILL/);
  await lab.screenshot('live-interrupted');
  const run = await lab.call<{ status: string; reason: string }>('runs.get', { id });
  expect(run.ok && ['failed', 'interrupted'].includes(run.value.status)).toBe(true);
  expect(run.ok && (await alert.textContent())).toBe(`Run ${run.ok ? run.value.status : ''}: ${run.ok ? run.value.reason : ''}`);
  // the Runs table says the same
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Runs', exact: true }).click();
  await expect.poll(() => row.locator('.status').getAttribute('title')).toBe(run.ok ? run.value.reason : '');
});
