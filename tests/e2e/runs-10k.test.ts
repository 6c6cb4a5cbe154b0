// In Chromium through `lab serve`: the Runs view with 10,000 runs stays small in the DOM
// (virtualised rows), filters, sorts and scrolls to the last run. Timings are printed, not asserted
// (speed is shown by measurement, never by timed tests).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startLab, type Lab } from './harness.ts';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab?.close();
});

test('10,000 runs: virtualised rows, filter, sort and scroll', async () => {
  const algorithms = ['ppo', 'sac', 'sac-auto', 'sac-adaent', 'td3'].flatMap((algo) => [{ algo }, { algo, label: `${algo} (second)` }]);
  const spec = { name: 'ten-thousand', preset: 'quick', budget: 1000, eval: { interval: 500 }, seeds: { count: 1000, base: 0 }, environments: [{ id: 'toy' }], algorithms };
  const created = await lab.call<{ runIds: number[] }>('experiments.create', { spec, launch: false });
  expect(created.ok && created.value.runIds.length).toBe(10_000);

  const { page } = lab;
  const t0 = Date.now();
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Runs', exact: true }).click();
  const heading = page.getByRole('heading', { name: /^Runs/ });
  await page.locator('[role=row][data-run-id]').first().waitFor({ timeout: 30_000 });
  const firstRowsMs = Date.now() - t0;
  await expect.poll(() => heading.textContent(), { timeout: 30_000 }).toBe('Runs (10000 shown of 10000)');
  const loadMs = Date.now() - t0;
  const domRows = () => page.locator('[role=row][data-run-id]').count();
  expect(await domRows()).toBeGreaterThan(10);
  expect(await domRows()).toBeLessThan(100);
  await lab.screenshot('runs-10k');

  // scroll to the end: the oldest run (#1) is drawn, the DOM stays small
  const scroller = page.locator('.scroller');
  const frames = await scroller.evaluate(async (el) => {
    const times: number[] = [];
    for (let k = 1; k <= 20; k++) {
      const t = performance.now();
      el.scrollTop = (el.scrollHeight * k) / 20;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      times.push(performance.now() - t);
    }
    return times.sort((a, b) => a - b);
  });
  await expect.poll(() => page.locator('[role=row][data-run-id="1"]').count()).toBe(1);
  // wheel-like scrolling: 4 rows per frame
  const small = await scroller.evaluate(async (el) => {
    const times: number[] = [];
    el.scrollTop = el.scrollHeight / 2;
    await new Promise((r) => requestAnimationFrame(r));
    for (let k = 0; k < 40; k++) {
      const t = performance.now();
      el.scrollTop += 120;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      times.push(performance.now() - t);
    }
    el.scrollTop = el.scrollHeight;
    return times.sort((a, b) => a - b);
  });
  await expect.poll(() => page.locator('[role=row][data-run-id="1"]').count()).toBe(1);
  expect(await domRows()).toBeLessThan(100);

  // filter by text and sort by seed
  await page.getByLabel('Search').fill('td3 (second)');
  await expect.poll(() => heading.textContent()).toBe('Runs (1000 shown of 10000)');
  await page.getByRole('button', { name: /^Seed/ }).click();
  const firstSeed = await page.locator('[role=row][data-run-id] [role=cell]:nth-child(5)').first().textContent();
  expect(firstSeed).toBe('0');
  await page.getByRole('button', { name: /^Seed/ }).click();
  await expect.poll(() => page.locator('[role=row][data-run-id] [role=cell]:nth-child(5)').first().textContent()).toBe('999');

  console.log(`runs-10k: first rows ${firstRowsMs} ms, all 10,000 ${loadMs} ms after the click; jump of 1/20 of the table to two frames median ${frames[10]!.toFixed(1)} ms, max ${frames.at(-1)!.toFixed(1)} ms; 4-row scroll steps median ${small[20]!.toFixed(1)} ms`);
  expect(lab.foreignRequests()).toEqual([]);
});
