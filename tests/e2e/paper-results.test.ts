// The Paper results view in Chromium through `lab serve`: a results folder holding one compact
// bundle (the synthetic toy experiment of tests/main/bundle/fixture.ts, no training; SAC-AdaEnt
// seed 0 with hand-set weights, no other run with any: tests/main/evidence/paper-fixture.ts) is what
// the view opens at the first start: the outcome table in both modes and the verdicts, a replay of
// a shipped run's final evaluation episode, PPO beside SAC, the critical-state strips and the
// landscape of the shipped run that kept its weights (and the reason where one did not), and the
// campaign's experiment still training (a piece in the campaign folder), a shipped run's rollout fan
// with the `lab fan` command that prints the same returns; the user's store stays empty.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PIECE_COMMAND, writePaperPiece, writePaperResults } from '../main/evidence/paper-fixture.ts';
import { lab as labCli } from '../main/cli/lab-cli.ts';
import { num } from '../../src-renderer/lib/format.ts';
import { startLab, type Lab } from './harness.ts';

let lab: Lab;
const results = mkdtempSync(join(tmpdir(), 'lab-e2e-results-'));
const campaign = mkdtempSync(join(tmpdir(), 'lab-e2e-campaign-'));

beforeAll(async () => {
  await writePaperResults(results);
  writePaperPiece(campaign);
  lab = await startLab({ viewport: { width: 1280, height: 1400 }, env: { LAB_RESULTS_DIR: results, LAB_CAMPAIGN_DIR: campaign } });
}, 120_000);
afterAll(async () => {
  await lab?.close();
  rmSync(results, { recursive: true, force: true });
  rmSync(campaign, { recursive: true, force: true });
});

const sceneState = (page: Page, id: string) => page.evaluate((k) => window.__labScenes?.[k] ?? null, id);

describe('Paper results', () => {
  test('the first start opens Paper results with the outcome table in both modes and the verdicts', async () => {
    const { page } = lab;
    await expect.poll(() => page.getByRole('button', { name: 'Paper results' }).getAttribute('aria-current')).toBe('page');
    const table = page.getByTestId('paper-table');
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 20_000 }).toBe(3);
    expect(await page.getByTestId('paper-loading').count()).toBe(0); // the note while the report is computed is gone
    const first = await table.locator('tbody tr').first().locator('td').allTextContents();
    // fixture PPO: final deterministic 1, 1, 0.98; stochastic 0.9, 0.95, 0.8 (IQM of 3 runs = their mean)
    expect(first.slice(0, 4)).toEqual(['toy', 'ppo', '3', '3k']); // the fixture's runs: 3,000 learning steps
    expect(first[4]).toMatch(/^0\.993 \[/);
    expect(first[5]).toMatch(/^0\.883 \[/);
    expect(first[7]).toBe('1.00, 1.00, 0.98');
    expect(await page.getByTestId('paper-caveat').textContent()).toMatch(/^Caveat: N = 3 < 5/);
    const verdicts = await page.getByTestId('paper-verdicts').locator('tbody tr').allTextContents();
    expect(verdicts.filter((v) => v.startsWith('toy'))).toHaveLength(2);
    expect(verdicts.find((v) => v.includes('ppo better than sac'))).toMatch(/reproduced/);
    // beside each verdict, the sensitivity check (the same rule on the mean of each run's last 3 evaluations)
    expect(await page.getByTestId('paper-verdicts').locator('thead th').last().textContent()).toBe('on the mean of the last 3 evaluations');
    expect(verdicts.find((v) => v.includes('ppo better than sac'))).toMatch(/same \(P = 1\.00 \[1\.00, 1\.00\]\)$/);
    // the paper's summary claim pooled over its precision-control tasks: the toy fixture has none of them
    expect((await page.getByTestId('paper-pooled-verdict').textContent())!.replace(/\s+/g, ' ').trim()).toMatch(/Claim "ppo better than sac, pooled" over no task: not reproduced \(fewer than two of its tasks have the runs to pool \(0\)\)\.$/);
    // the campaign's cells the fixture lacks, with the command that measures them
    // ... one of them in progress: the campaign piece of the fixture's TD3, listed with how far it got
    expect(await page.getByTestId('paper-unmeasured').locator('li').first().textContent()).toBe('toy: sac-auto, td3 (lab reproduce toy --algos sac-auto,td3); in progress: td3 at 66% (below)');
    const piece = page.getByTestId('paper-in-progress').locator('li');
    expect(await piece.locator('.head').allTextContents()).toEqual([expect.stringMatching(new RegExp(`^toy: td3, 3 runs at 2,000 of 3,000 steps \\(66%\\), written \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC; continue: ${PIECE_COMMAND}$`))]);
    // its latest evaluation by seed, beside SAC's completed runs of the same seeds at the same step (the fixture's returns grow linearly to their final value)
    const interim = piece.getByTestId('paper-interim');
    expect(await interim.locator('caption').textContent()).toBe('toy: deterministic evaluation return at step 2,000 (mean over its episodes; interim, decides nothing)');
    expect(await interim.locator('thead th').allTextContents()).toEqual(['seed', 'td3 (in progress)', 'sac (completed)']);
    expect(await interim.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...(r as HTMLTableRowElement).cells].map((c) => c.textContent)))).toEqual([
      ['0', '0.33', '-0.67'],
      ['1', '0.27', '-0.67'],
      ['2', '0.40', '-0.68'],
    ]);
    // ... under it what both logged in training since the piece's previous evaluation (the fixture's policy/entropy, 1 - step / 3,000 + noise: about 0.5 there)
    const mechanism = piece.getByTestId('paper-interim-mechanism');
    expect((await mechanism.locator('caption').textContent())!.replace(/\s+/g, ' ').trim()).toBe(
      'toy: what the runs logged in training over steps 1,001-2,000 (the completed runs: over the same learning steps), mean per run',
    );
    expect(await mechanism.locator('thead th').allTextContents()).toEqual(['seed', 'policy/entropy, td3 (in progress)', 'policy/entropy, sac (completed)']);
    const means = await mechanism.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...(r as HTMLTableRowElement).cells].map((c) => c.textContent)));
    expect(means.map((r) => r[0])).toEqual(['0', '1', '2']);
    for (const cell of means.flatMap((r) => r.slice(1))) expect(Math.abs(Number(cell) - 0.5)).toBeLessThan(0.03);
    // ... and its curves so far beside SAC's, up to the same step
    const fig = piece.locator('figure');
    expect(await fig.getAttribute('aria-label')).toBe('toy-in-progress.svg');
    expect(await fig.locator('svg text').allTextContents()).toEqual(expect.arrayContaining(['td3 (in progress): mean over seeds 0, 1, 2 of the piece, band: lowest to highest seed', "sac (completed): mean over seeds 0, 1, 2, up to the piece's step, band: lowest to highest seed"]));
    expect(await page.locator('figure svg').count()).toBe(5); // the piece's and the task's four
    await piece.scrollIntoViewIfNeeded();
    await lab.screenshot('paper-results-in-progress');
    // the exact toy solution with the shipped toy runs over it (PPO on +1, SAC on -1)
    const toyRuns = page.getByTestId('toy-runs').locator('tbody tr');
    await expect.poll(() => toyRuns.count(), { timeout: 10_000 }).toBe(9);
    expect((await toyRuns.allTextContents()).filter((r) => /sac\d*1\.000.*safe/.test(r.replace(/\s+/g, '')))).toHaveLength(3);
    await lab.screenshot('paper-results');
  });

  test('a shipped run opens in a replay, and two algorithms side by side from the same start state (PPO beside SAC by default)', async () => {
    const { page } = lab;
    const options = await page.getByLabel('Shipped run').locator('option').allTextContents();
    const ppo = options.find((o) => / ppo seed 0/.test(o))!;
    await page.getByLabel('Shipped run').selectOption({ label: ppo });
    await page.getByRole('button', { name: 'Replay', exact: true }).click();
    await expect.poll(() => page.getByTestId('paper-replay-label').textContent(), { timeout: 10_000 }).toMatch(/shipped run \d+ \(ppo, seed 0\), eval step 3000, deterministic/);
    await expect.poll(async () => (await sceneState(page, 'paper-replay'))?.steps, { timeout: 10_000 }).toBe(3);
    // PPO beside SAC by default; any other two algorithms of the task on choice, never one against itself
    const side = page.getByRole('button', { name: 'Side by side (same start)' });
    await side.click();
    const labels = page.getByTestId('paper-pair-label');
    await expect.poll(() => labels.count(), { timeout: 10_000 }).toBe(2);
    const [a, b] = await labels.allTextContents();
    expect(a).toMatch(/\(ppo, seed \d\).*start seed 11/);
    expect(b).toMatch(/\(sac, seed \d\), eval step 3000, deterministic.*start seed 11/); // not its last evaluation (3100): the shared one
    expect(await page.getByLabel('Left algorithm').locator('option').allTextContents()).toEqual(['ppo', 'sac', 'sac-adaent']);
    await page.getByLabel('Left algorithm').selectOption('sac');
    expect(await side.isDisabled()).toBe(true);
    await page.getByLabel('Left algorithm').selectOption('sac-adaent');
    await side.click();
    await expect.poll(async () => (await labels.allTextContents())[0], { timeout: 10_000 }).toMatch(/\(sac-adaent, seed \d\).*start seed 11/);
    expect((await labels.allTextContents())[1]).toMatch(/\(sac, seed \d\).*start seed 11/);
    // the shipped runs never entered the user's store
    const runs = await lab.call<{ total: number }>('runs.list', {});
    expect(runs.ok && runs.value.total).toBe(0);
    expect(lab.foreignRequests()).toEqual([]);
  });

  test('the Analysis views open on a shipped run: critical steps and a landscape from its weights; a run without weights says so', async () => {
    const { page } = lab;
    // PPO kept no weights in this bundle: the strips under its replay say why
    await expect.poll(() => page.getByTestId('critical').getByRole('alert').textContent(), { timeout: 10_000 }).toMatch(/shipped run \d+ \(ppo, seed 0\) kept no weights/);
    const options = await page.getByLabel('Shipped run').locator('option').allTextContents();
    await page.getByLabel('Shipped run').selectOption({ label: options.find((o) => / sac-adaent seed 0/.test(o))! });
    await page.getByRole('button', { name: 'Replay', exact: true }).click();
    await expect.poll(() => page.getByTestId('paper-replay-label').textContent(), { timeout: 10_000 }).toMatch(/\(sac-adaent, seed 0\)/);
    await page.getByTestId('critical-score').click();
    await expect.poll(() => page.getByTestId('critical-steps').textContent(), { timeout: 90_000 }).toBe('critical steps: 0, 1');
    await page.getByTestId('critical-open').click();
    const landscape = page.getByTestId('critical').getByTestId('landscape');
    await expect.poll(() => landscape.count(), { timeout: 90_000 }).toBe(1);
    expect(await landscape.textContent()).toMatch(/sac-adaent/);
    // the task's landscape panel lists the shipped runs, not the user's
    const panel = page.getByTestId('landscape-panel').last();
    const runsListed = await panel.getByLabel('Landscape run').locator('option').allTextContents();
    expect(runsListed.filter((o) => o.startsWith('shipped run'))).toHaveLength(9);
    await lab.screenshot('paper-results-analysis');
    const runs = await lab.call<{ total: number }>('runs.list', {});
    expect(runs.ok && runs.value.total).toBe(0);
    expect(lab.foreignRequests()).toEqual([]);
  }, 240_000);

  test("a shipped run's rollout fan, with the lab fan command that prints the same returns", async () => {
    const { page } = lab;
    const panel = page.getByTestId('fan-panel').first();
    const options = await panel.getByLabel('Fan run', { exact: true }).locator('option').allTextContents();
    await panel.getByLabel('Fan run', { exact: true }).selectOption({ label: options.find((o) => / sac-adaent seed 0/.test(o))! });
    await expect.poll(() => panel.getByLabel('Fan checkpoint', { exact: true }).inputValue()).toBe('3000');
    await panel.getByLabel('Fan count').fill('4');
    await panel.getByLabel('Fan sampling seed').fill('5');
    await panel.getByTestId('fan-compute').click();
    await expect.poll(() => panel.getByTestId('fan-command-0').count(), { timeout: 90_000 }).toBe(1);
    const command = (await panel.getByTestId('fan-command-0').locator('code').textContent())!;
    expect(command).toBe(`lab fan --results ${results} --task toy --algo sac-adaent --seed 0 --step 3000 --start-seed 0 --count 4 --sampling-seed 5`);
    const cli = await labCli(...command.split(' ').slice(1), '--json');
    expect(cli.stderr).toBe('');
    const j = JSON.parse(cli.stdout) as { deterministic: { return: number }; summary: { mean: number; lowest: number; highest: number } };
    const shown = (await panel.getByTestId('fan-returns-0').textContent())!;
    expect(shown).toContain(`deterministic ${num(j.deterministic.return)}; stochastic (K = 4) mean ${num(j.summary.mean)}`);
    expect(shown).toContain(`lowest ${num(j.summary.lowest)}, highest ${num(j.summary.highest)}`);
  }, 240_000);
});
