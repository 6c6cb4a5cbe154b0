// In Chromium through `lab serve` on a temporary database: design a toy experiment in the form
// (PPO and SAC with alpha = 1, two seeds each, quick preset, a tiny budget), launch it, watch the
// Live view progress, and find four completed runs with evaluation returns in the Runs table.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startLab, type Lab } from './harness.ts';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab({ serveArgs: ['--concurrency', '2'] });
});
afterAll(async () => {
  await lab?.close();
});

const BUDGET = 3000;

test('design, launch, watch Live, find four completed runs with evaluation returns', async () => {
  const { page } = lab;
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Design', exact: true }).click();
  // the form is prefilled: toy, quick preset, PPO and SAC with the preset's hyperparameters
  await expect.poll(() => page.locator('#f-environments-0-id').inputValue()).toBe('toy');
  await expect.poll(() => page.locator('#f-algorithms-1-hyperparameters-alpha').count()).toBe(1);
  expect(await page.locator('#f-algorithms-0-algo').inputValue()).toBe('ppo');
  expect(await page.locator('#f-algorithms-1-algo').inputValue()).toBe('sac');
  expect(await page.getByLabel('quick').isChecked()).toBe(true);

  await page.locator('#f-name').fill('toy-e2e');
  await page.locator('#f-algorithms-1-hyperparameters-alpha').fill('1');
  await page.locator('#f-seeds-count').fill('2');
  await page.locator('#f-seeds-base').fill('0');
  // 3,000 steps: a SAC run trains for several seconds (long enough to be watched while running),
  // a PPO run for about one (it is queued behind nothing and ends before the page could look)
  await page.locator('#f-budget').fill(String(BUDGET));
  await page.locator('#f-eval-interval').fill('1000');
  await page.locator('#f-eval-episodes').fill('3');
  // an edited hyperparameter is marked against the preset
  await page.locator('#f-algorithms-1-hyperparameters-gamma').fill('0.95');
  await expect.poll(() => page.locator('#f-algorithms-1-hyperparameters-gamma').locator('xpath=..').getAttribute('class')).toMatch(/edited/);
  await page.locator('#f-algorithms-1-hyperparameters-gamma').fill('0.99');
  await expect.poll(() => page.locator('#f-algorithms-1-hyperparameters-gamma').locator('xpath=..').getAttribute('class')).not.toMatch(/edited/);

  const summary = page.getByTestId('grid-summary');
  await expect.poll(() => summary.textContent(), { timeout: 10_000 }).toMatch(/^2 algorithms x 2 seeds = 4 runs, 12k environment steps, /);
  await lab.screenshot('design');

  await page.getByRole('button', { name: 'Launch', exact: true }).click();
  await expect.poll(() => page.locator('main').getAttribute('data-view')).toBe('live');
  // Live shows a run progressing (steps grow) with its speed and ETA: focus a SAC run (queued or
  // running) from the list of runs in flight
  await page.getByRole('list', { name: 'Runs in flight' }).getByRole('button', { name: /sac s0$/ }).click();
  const progress = page.getByTestId('live-progress');
  await expect.poll(() => progress.textContent(), { timeout: 60_000 }).toMatch(/^\d+ \/ 3000 environment steps/);
  await expect.poll(async () => Number(/^(\d+)/.exec((await progress.textContent()) ?? '')?.[1] ?? 0), { timeout: 90_000, interval: 200 }).toBeGreaterThan(0);
  await expect.poll(() => page.getByTestId('live-speed').textContent(), { timeout: 60_000 }).toMatch(/steps\/s · ETA /);
  // the return curve fills as metric batches arrive
  const returns = page.getByTestId('chart-return');
  await expect.poll(async () => Number(await returns.getAttribute('data-points')), { timeout: 60_000, interval: 250 }).toBeGreaterThan(10);
  await lab.screenshot('live');

  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Runs', exact: true }).click();
  const completed = page.locator('[role=row][data-status="completed"]');
  await expect.poll(() => completed.count(), { timeout: 180_000, interval: 1000 }).toBe(4);
  // every completed run shows an evaluation return with its mode (the row's status arrives by event
  // first; its final evaluation follows with the table's reload moments later)
  const evalPattern = /^-?\d+(\.\d+)? det\.$/;
  await expect
    .poll(async () => (await completed.getByTestId('last-eval').allTextContents()).filter((t) => evalPattern.test(t)).length, { timeout: 10_000, interval: 250 })
    .toBe(4);
  const algos = await completed.locator('[role=cell]:nth-child(4)').allTextContents();
  expect(algos.sort()).toEqual(['ppo', 'ppo', 'sac', 'sac']);
  await lab.screenshot('runs');

  // the same runs through the contract: each reached the budget on one global_step axis
  const list = await lab.call<{ rows: { status: string; globalStep: number; seed: number; hyper: Record<string, unknown> }[] }>('runs.list', {});
  expect(list.ok).toBe(true);
  if (list.ok) {
    expect(list.value.rows.map((r) => r.globalStep)).toEqual([BUDGET, BUDGET, BUDGET, BUDGET]);
    expect(list.value.rows.map((r) => r.seed).sort()).toEqual([0, 0, 1, 1]);
  }

  // tags and notes of one run, saved from its details panel and shown in the table
  const row4 = page.locator('[role=row][data-run-id="4"]');
  await row4.locator('[role=cell]:nth-child(3)').click();
  await page.getByLabel('Tags (comma-separated)').fill('e2e, alpha-one');
  await page.getByLabel('Notes').fill('SAC with alpha = 1 ends on the -1 branch');
  await page.getByRole('button', { name: 'Save tags and notes' }).click();
  await expect.poll(() => row4.locator('[role=cell]:nth-child(10)').textContent()).toBe('alpha-one, e2e'); // stored tags come back sorted
  await expect.poll(() => row4.locator('[role=cell]:nth-child(11)').textContent()).toBe('SAC with alpha = 1 ends on the -1 branch');

  // delete asks first; "No, keep" keeps the run, "Yes, delete" removes it with its data
  await page.getByRole('button', { name: 'Delete…' }).click();
  const confirm = page.getByRole('alertdialog');
  await expect.poll(() => confirm.textContent()).toMatch(/Delete 1 run with their metrics, evaluations, trajectories and checkpoints\?/);
  await confirm.getByRole('button', { name: 'No, keep' }).click();
  expect(await row4.count()).toBe(1);
  await page.getByRole('button', { name: 'Delete…' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Yes, delete' }).click();
  await expect.poll(() => row4.count()).toBe(0);
  const after = await lab.call<{ total: number }>('runs.list', {});
  expect(after.ok && after.value.total).toBe(3);

  // the Design summary now estimates the time from the speed these runs measured here
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Design', exact: true }).click();
  await page.locator('#f-budget').fill('300');
  await page.locator('#f-eval-interval').fill('150');
  await expect.poll(() => page.getByTestId('grid-summary').textContent(), { timeout: 10_000 }).toMatch(/environment steps, about \d+ (s|min) at the speed measured on this machine$/);

  // open the completed runs in Compare
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Runs', exact: true }).click();
  await page.getByRole('checkbox', { name: 'Select all shown runs' }).check();
  await page.getByRole('button', { name: 'Open in Compare' }).click();
  await expect.poll(() => page.locator('main').getAttribute('data-view')).toBe('compare');
  expect(lab.foreignRequests()).toEqual([]);
});
