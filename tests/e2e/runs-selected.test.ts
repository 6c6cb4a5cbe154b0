// In Chromium through `lab serve`: the Runs view's actions on the selected runs.
// - Export: one .tar.gz in the format chosen; unpacked with the system's tar it holds exactly the
//   files `lab export` writes for the same runs (TensorBoard's event files byte for byte), and the
//   event file reads back with every CRC checked and every stored metric point in it.
// - Open in Compare with runs of two experiments on three environments: the final table adds
//   rliable's aggregates over the two environments every group ran, the numbers compare.final gives.
// - The Eval return column summarised as chosen (best, area per step, mean of the last K): the
//   numbers and the order `lab runs --summary ... --sort summary` gives; the search matches the key
//   hyperparameters as shown.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ROOT, startLab, type Lab } from './harness.ts';
import { openStore } from '../../src-main/store/index.ts';
import { TOY_LIKE, writeFixture } from '../main/bundle/fixture.ts';
import { readEventFile } from '../main/export/read-tfevents.ts';
import { num } from '../../src-renderer/lib/format.ts';
import { fileTree } from '../main/export/file-tree.ts';

let lab: Lab;
let runIds: number[] = [];
let otherIds: number[] = [];
let points = 0;
const tmp = mkdtempSync(join(tmpdir(), 'lab-runs-export-'));

beforeAll(async () => {
  lab = await startLab({
    prepare: (db) => {
      const s = openStore(db);
      runIds = writeFixture(s, TOY_LIKE, { checkpoint: false }).runIds;
      otherIds = [...writeFixture(s, TOY_LIKE, { checkpoint: false, envId: 'pendulum' }).runIds, ...writeFixture(s, TOY_LIKE.slice(0, 2), { checkpoint: false, envId: 'acrobot' }).runIds];
      points = [...s.metrics.all(runIds[3]!)].length;
      s.close();
    },
  });
}, 120_000);
afterAll(async () => {
  await lab?.close();
  rmSync(tmp, { recursive: true, force: true });
});

test('Runs view: the selected runs as TensorBoard event files, the files lab export writes', async () => {
  const { page } = lab;
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Runs', exact: true }).click();
  const [a, b] = [runIds[0]!, runIds[3]!];
  await page.getByRole('checkbox', { name: `Select run ${a}`, exact: true }).check();
  await page.getByRole('checkbox', { name: `Select run ${b}`, exact: true }).check();
  await page.getByTestId('export-format').selectOption('tensorboard');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-runs').click()]);
  const root = `runs-${a}-${b}-tensorboard`;
  expect(dl.suggestedFilename()).toBe(`${root}.tar.gz`);
  await expect.poll(() => page.getByTestId('export-msg').textContent()).toMatch(new RegExp(`^${root}\\.tar\\.gz: \\d+\\.\\d KiB$`));
  await lab.screenshot('runs-export');

  const tar = join(tmp, 'dl.tar');
  writeFileSync(tar, gunzipSync(readFileSync((await dl.path())!)));
  const got = join(tmp, 'got');
  mkdirSync(got);
  expect(spawnSync('tar', ['-xf', tar, '-C', got]).status).toBe(0);
  const ref = join(tmp, 'ref');
  const cli = spawnSync(process.execPath, ['bin/lab.js', 'export', String(a), String(b), '--format', 'tensorboard', '--out', ref, '--db', lab.dbPath], { cwd: ROOT, encoding: 'utf8' });
  expect(cli.stderr).toBe('');
  expect(fileTree(join(got, root))).toEqual(fileTree(ref));

  const dir = readdirSync(join(got, root)).find((d) => d.startsWith(`run-${b}-`))!;
  expect(dir).toBe(`run-${b}-sac-toy-default-seed0`);
  const [file] = readdirSync(join(got, root, dir));
  const events = readEventFile(readFileSync(join(got, root, dir, file!)));
  expect(events.length).toBe(2 + points); // the file version, the config text, every metric point
  expect(events[1]!.text).toMatch(new RegExp(`^run ${b}: sac`));
  expect(lab.foreignRequests()).toEqual([]);
});

test('Runs view, all selected, Open in Compare: rliable aggregates over the environments every group ran', async () => {
  const { page } = lab;
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Runs', exact: true }).click();
  await page.getByRole('checkbox', { name: 'Select all shown runs' }).check();
  await page.getByRole('button', { name: 'Open in Compare' }).click();
  const across = page.getByTestId('final-table-across');
  await expect.poll(() => across.locator('tbody tr').count(), { timeout: 20_000 }).toBe(3);
  const all = [...runIds, ...otherIds].sort((x, y) => x - y);
  const api = await lab.call<{ acrossTasks: { envs: string[]; groups: { group: string; iqm: { point: number }; optimalityGap: { point: number } }[] } }>('compare.final', { selection: { runIds: all }, groupBy: 'algo', mode: 'deterministic' });
  if (!api.ok) throw new Error('compare.final failed');
  expect([...api.value.acrossTasks.envs].sort()).toEqual(['pendulum', 'toy']);
  for (const g of api.value.acrossTasks.groups) {
    const row = across.locator(`tr[data-group="${g.group}"]`);
    expect(Number(await row.locator('td[data-iqm]').getAttribute('data-iqm'))).toBe(g.iqm.point);
    expect(Number(await row.locator('td[data-gap]').getAttribute('data-gap'))).toBe(g.optimalityGap.point);
  }
  expect(await across.locator('p[data-left="acrobot"]').textContent()).toBe('Not aggregated: acrobot (no run of sac-adaent).');
  expect(await across.locator('p.caption').first().textContent()).toMatch(/toy \[-20, 1\] \(preset\)/);
  // the aggregates as Markdown: the numbers shown, what they rest on in the caption
  const [md] = await Promise.all([page.waitForEvent('download'), across.getByRole('button', { name: 'Markdown' }).click()]);
  const text = readFileSync((await md.path())!, 'utf8');
  expect(text).toMatch(/^rliable's aggregates over 2 environments on scores min-max normalised per environment \((pendulum|toy) /);
  for (const g of api.value.acrossTasks.groups) expect(text).toContain(`| ${g.group} | 6 | ${g.iqm.point.toFixed(3)} [`);
  await across.scrollIntoViewIfNeeded();
  await lab.screenshot('compare-across-tasks');
});

test('Runs view: the Eval return column summarised as chosen, the numbers and order of lab runs --summary', async () => {
  const { page } = lab;
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Runs', exact: true }).click();
  const cell = (id: number) => page.locator(`[data-run-id="${id}"] [data-testid="last-eval"]`);
  const sac = runIds[3]!; // SAC seed 0: deterministic evaluations -1/3, -2/3, -1 at steps 1000, 2000, 3000
  await expect.poll(() => cell(sac).textContent()).toMatch(/^\s*-1 det\.\s*$/);
  await page.getByTestId('eval-summary').selectOption('best');
  await expect.poll(() => cell(sac).textContent()).toMatch(new RegExp(`^\\s*${num(-1 / 3)} det\\.`));
  expect(await cell(sac).locator('span[title]').first().getAttribute('title')).toMatch(/^best evaluation return of the run .*; deterministic evaluations; at step 1000$/);
  await page.getByTestId('eval-summary').selectOption('auc');
  await expect.poll(() => cell(sac).textContent()).toMatch(new RegExp(`^\\s*${num(-2 / 3)} det\\.`)); // a straight line from -1/3 to -1
  expect(await cell(sac).locator('span[title]').first().getAttribute('title')).toMatch(/; 3 evaluations, steps 1000-3000$/);
  await page.getByTestId('eval-summary').selectOption('mean-last');
  await page.getByTestId('eval-summary-k').fill('2');
  await expect.poll(() => cell(sac).textContent()).toMatch(new RegExp(`^\\s*${num(-5 / 6)} det\\.`));
  await expect.poll(() => page.getByTestId('eval-summary-label').textContent()).toMatch(/^mean over the run's last 2 evaluations/);
  await page.getByTestId('sort-lastEval').click();
  await expect.poll(() => page.getByTestId('sort-lastEval').textContent()).toBe('Eval return (mean of last 2) ▼');
  const shown = await page.locator('.canvas [data-run-id]').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.runId)));
  const cli = spawnSync(process.execPath, ['bin/lab.js', 'runs', '--summary', 'mean-last:2', '--sort', 'summary', '--desc', '--json', '--db', lab.dbPath], { cwd: ROOT, encoding: 'utf8' });
  expect(cli.stderr).toBe('');
  const rows = (JSON.parse(cli.stdout) as { rows: { id: number; evalSummary: { value: number } }[] }).rows;
  expect(shown).toEqual(rows.map((r) => r.id));
  for (const r of rows.slice(0, 4)) expect((await cell(r.id).locator('b').textContent())!.trim()).toBe(num(r.evalSummary.value));
  await lab.screenshot('runs-eval-summary');
  // the search matches the key hyperparameters as shown: PPO's entropy coefficient, no SAC run
  await page.getByRole('searchbox').fill('entcoef=0');
  const ppo = (JSON.parse(cli.stdout) as { rows: { id: number; algo: string }[] }).rows.filter((r) => r.algo === 'ppo').map((r) => r.id);
  await expect.poll(() => page.locator('.canvas [data-run-id]').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.runId)))).toEqual(ppo);
});
