// In Chromium through `lab serve`: an invalid value shows its message next to the field and
// nothing is submitted; a malformed YAML import shows its error and changes nothing; the Slurm
// fields of "Run on" are checked the same way, in the form and then by main.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startLab, type Lab } from './harness.ts';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
  await lab.page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Design', exact: true }).click();
  await lab.page.locator('#f-algorithms-1-hyperparameters-gamma').waitFor();
});
afterAll(async () => {
  await lab?.close();
});

const creates = () => lab.requests.filter((u) => u.endsWith('/api/experiments.create'));

test('an invalid value shows the message beside its field, and Launch submits nothing', async () => {
  const { page } = lab;
  await page.locator('#f-algorithms-1-hyperparameters-gamma').fill('2');
  await expect.poll(() => page.locator('#err-algorithms-1-hyperparameters-gamma').textContent()).toMatch(/^2 is out of range; allowed \[0, 1\]/);
  expect(await page.locator('#f-algorithms-1-hyperparameters-gamma').getAttribute('aria-invalid')).toBe('true');

  await page.locator('#f-budget').fill('abc');
  await expect.poll(() => page.locator('#err-budget').textContent()).toBe("'abc' is not a number");
  expect(await page.locator('#f-budget').getAttribute('aria-invalid')).toBe('true');
  expect(await page.locator('#f-budget').getAttribute('aria-describedby')).toBe('err-budget');

  await page.locator('#f-budget').fill('-5');
  await expect.poll(() => page.locator('#err-budget').textContent()).toBe('-5 is out of range; allowed >= 1');
  // both problems are shown at once, each beside its field
  expect(await page.locator('#err-algorithms-1-hyperparameters-gamma').textContent()).toMatch(/^2 is out of range; allowed \[0, 1\]/);
  await lab.screenshot('design-invalid');

  await page.getByRole('button', { name: 'Launch', exact: true }).click();
  await expect.poll(() => page.getByTestId('design-message').textContent()).toMatch(/Fix the problems shown beside the fields first; nothing was saved/);
  expect(creates()).toEqual([]);
  const list = await lab.call<unknown[]>('experiments.list', {});
  expect(list).toEqual({ ok: true, value: [] });

  // fixing the fields clears the messages
  await page.locator('#f-budget').fill('3000');
  await page.locator('#f-algorithms-1-hyperparameters-gamma').fill('0.99');
  await expect.poll(() => page.locator('[data-error-for]').count()).toBe(0);
  await expect.poll(() => page.getByTestId('grid-summary').textContent()).toMatch(/^2 algorithms x 3 seeds = 6 runs, 18k environment steps, /);
});

test('a malformed YAML import shows its error and changes nothing; a valid one fills the form', async () => {
  const { page } = lab;
  const nameBefore = await page.locator('#f-name').inputValue();
  const summaryBefore = await page.getByTestId('grid-summary').textContent();
  const file = page.getByTestId('import-file');

  await file.setInputFiles({ name: 'broken.yaml', mimeType: 'application/yaml', buffer: Buffer.from('name: broken\nseeds: [1, 2\nenvironments:\n  - id: toy\n') });
  await expect.poll(() => page.getByTestId('import-error').textContent()).toMatch(/^Import failed, nothing changed: line \d+: \(syntax\): malformed YAML/);
  expect(await page.locator('#f-name').inputValue()).toBe(nameBefore);
  expect(await page.getByTestId('grid-summary').textContent()).toBe(summaryBefore);

  await file.setInputFiles({ name: 'bad-value.yaml', mimeType: 'application/yaml', buffer: Buffer.from('name: bad\nenvironments:\n  - id: toy\nalgorithms:\n  - algo: sac\n    hyperparameters: {gamma: 7}\n') });
  await expect.poll(() => page.getByTestId('import-error').textContent()).toMatch(/line 6: algorithms\[0\]\.hyperparameters\.gamma: 7 is out of range/);
  expect(await page.locator('#f-name').inputValue()).toBe(nameBefore);
  await lab.screenshot('design-import-error');

  await file.setInputFiles({ name: 'ok.yaml', mimeType: 'application/yaml', buffer: Buffer.from('name: from-file\npreset: quick\nbudget: 400\neval: {interval: 200, episodes: 3}\nseeds: [5, 6]\nenvironments:\n  - id: toy\nalgorithms:\n  - algo: ppo\n  - algo: sac\n    hyperparameters: {ent_coef: 1.0}\n') });
  await expect.poll(() => page.locator('#f-name').inputValue()).toBe('from-file');
  expect(await page.getByTestId('import-error').count()).toBe(0);
  expect(await page.locator('#f-budget').inputValue()).toBe('400');
  expect(await page.locator('#f-seeds').inputValue()).toBe('5, 6');
  await expect.poll(() => page.getByTestId('grid-summary').textContent()).toMatch(/^2 algorithms x 2 seeds = 4 runs, 1600 environment steps/);
  expect(creates()).toEqual([]);
  expect(lab.foreignRequests()).toEqual([]);
});

test('Run on: Slurm cluster shows its fields; a missing, malformed or unusable one is named beside its field and nothing is stored', async () => {
  const { page } = lab;
  await page.getByRole('radio', { name: 'Slurm cluster' }).check();
  await expect.poll(() => page.locator('#err-slurm-workdir').textContent()).toBe('the shared folder (DIR) the cluster nodes see is required');
  await page.locator('#f-slurm-time').fill('soon');
  await expect.poll(() => page.locator('#err-slurm-time').textContent()).toBe('a Slurm time limit like 12:00:00 or 1-00:00:00');
  await page.getByRole('button', { name: 'Launch', exact: true }).click();
  await expect.poll(() => page.getByTestId('design-message').textContent()).toMatch(/Fix the problems shown beside the fields first; nothing was saved/);
  expect(creates()).toEqual([]);

  // well-formed fields go to main, which checks the cluster before storing anything (.ci/run installs sbatch)
  await page.locator('#f-slurm-time').fill('01:00:00');
  await page.locator('#f-slurm-workdir').fill('/nonexistent/lab-runs');
  await expect.poll(() => page.locator('[data-error-for]').count()).toBe(0);
  await lab.screenshot('design-slurm');
  await page.getByRole('button', { name: 'Launch', exact: true }).click();
  await expect.poll(() => page.locator('#err-slurm-workdir').textContent()).toMatch(/^--workdir \/nonexistent\/lab-runs is not an existing folder/);
  expect(creates()).toHaveLength(1);
  expect(await lab.call<unknown[]>('experiments.list', {})).toEqual({ ok: true, value: [] });
  await page.getByRole('radio', { name: 'this machine' }).check();
});

test('one click reproduces the toy experiment: the paper preset is stored and launched', async () => {
  const { page } = lab;
  await page.getByRole('button', { name: 'Reproduce the toy experiment' }).click();
  await expect.poll(() => page.locator('main').getAttribute('data-view')).toBe('live');
  const list = await lab.call<{ id: number; name: string; runCount: number }[]>('experiments.list', {});
  expect(list.ok && list.value.map((e) => [e.name, e.runCount])).toEqual([['toy-quick', 15]]);
  const runs = await lab.call<{ rows: { id: number; algo: string; status: string }[] }>('runs.list', {});
  expect(runs.ok && runs.value.rows.map((r) => r.algo).sort()).toEqual(['ppo', 'sac', 'sac-adaent'].flatMap((a) => Array<string>(5).fill(a)));
  // stop them (this test checks the launch, not the training)
  if (runs.ok) for (const r of runs.value.rows) await lab.call('runs.cancel', { id: r.id });
  const after = await lab.call<{ rows: { status: string }[] }>('runs.list', {});
  expect(after.ok && after.value.rows.every((r) => r.status === 'cancelled')).toBe(true);
});
