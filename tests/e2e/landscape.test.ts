// The landscape analysis in Chromium through `lab serve` (issue 15): on a replay, score the critical
// steps, scrub to a critical step, open its landscape (computed by a worker process), export the
// CSV and check its rows against the networks' closed form; fan the policy out from the episode's
// start. Fixture: a toy SAC-AdaEnt run whose networks are set by hand
// (tests/fixtures/landscape/hand-set.ts: every state critical by construction) and one recorded
// evaluation episode s0 -> s1 -> s3, written through the store.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../src-main/engine/backend.ts';
import { Store } from '../../src-main/store/index.ts';
import { handSetAdaEnt, plainQ, softQ } from '../fixtures/landscape/hand-set.ts';
import { startLab, type Lab } from './harness.ts';

let lab: Lab;
let runId = 0;
const oneHot = (i: number) => [0, 1, 2, 3, 4, 5].map((k) => (k === i ? 1 : 0));

beforeAll(async () => {
  lab = await startLab({ viewport: { width: 1280, height: 1400 } });
  await initBackend('wasm');
  const { cfg, agent, bytes } = handSetAdaEnt();
  agent.dispose();
  const file = join(lab.tmp, 'toy-hand-set-200.ckpt');
  writeFileSync(file, bytes);
  const store = new Store(lab.dbPath);
  try {
    store.tx(() => {
      runId = store.runs.insert(cfg);
      store.checkpoints.insert(runId, 200, file, bytes.length);
      store.trajectories.insert(runId, {
        step: 200,
        mode: 'deterministic',
        episode: 0,
        startSeed: 0,
        length: 2,
        obsDim: 6,
        actDim: 1,
        stateDim: 1,
        observations: Float32Array.from([...oneHot(0), ...oneHot(1), ...oneHot(3)]),
        actions: Float32Array.from([-0.5, 0.05]),
        rewards: Float32Array.from([0, 1]),
        rewardComponents: { outcome: Float32Array.from([0, 1]) },
        logProbs: Float32Array.from([-0.3, 0.2]),
        entropies: Float32Array.from([0.4, 0.1]),
        states: Float64Array.from([0, 1, 3]),
      });
    });
  } finally {
    store.db.close();
  }
}, 120_000);
afterAll(async () => {
  await lab?.close();
});

describe('landscape analysis on a replay', () => {
  test('score critical steps, scrub to one, open its landscape, export the CSV', async () => {
    const { page } = lab;
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Environments', exact: true }).click();
    await page.getByRole('tab', { name: 'Replay' }).click();
    await page.getByLabel('Replay run').selectOption(String(runId));
    await expect.poll(() => page.getByTestId('replay-label').textContent(), { timeout: 20_000 }).toMatch(/eval step 200, deterministic, episode 0/);
    // reward and entropy overlays under the replay
    await expect.poll(() => page.getByRole('slider', { name: 'policy entropy over steps' }).count()).toBe(1);
    await expect.poll(() => page.getByRole('slider', { name: 'reward over steps' }).count()).toBe(1);

    await page.getByTestId('critical-score').click();
    await expect.poll(() => page.getByTestId('critical-steps').textContent(), { timeout: 90_000 }).toBe('critical steps: 0, 1');
    expect(await page.getByTestId('critical-definition').textContent()).toMatch(/peakedness = \(max - mean\) \/ \(max - min\) of plain Q over a uniform grid covering the whole action box/);
    await expect.poll(() => page.locator('[data-testid=critical] rect.crit').count()).toBe(4); // 2 steps x 2 strips
    const [scores] = await Promise.all([page.waitForEvent('download'), page.getByTestId('critical-csv').click()]);
    const scoreRows = readFileSync((await scores.path())!, 'utf8').trim().split('\n').filter((l) => !l.startsWith('#'));
    expect(scoreRows[0]).toBe('step,plain_q_peakedness,soft_plain_cosine,critical,adaent_switch,reward,policy_entropy');
    expect(scoreRows.slice(1).map((l) => l.split(',')[3])).toEqual(['1', '1']);
    // beside the scores, the episode's own reward and recorded entropy per step, and AdaEnt's switch (cosine below its threshold)
    const [meta] = await lab.call<{ id: number }[]>('trajectories.list', { runId }).then((r) => (r.ok ? r.value : []));
    const traj = await lab.call<{ rewards: number[]; entropies: number[] }>('trajectories.get', { id: meta!.id });
    if (!traj.ok) throw new Error('trajectories.get failed');
    const threshold = Number(/the cosine is below (\d+(\.\d+)?)/.exec(readFileSync((await scores.path())!, 'utf8'))?.[1]);
    expect(threshold).toBeGreaterThan(0);
    for (const [t, line] of scoreRows.slice(1).entries()) {
      const c = line.split(',');
      expect(Number(c[5])).toBeCloseTo(traj.value.rewards[t]!, 6);
      expect(Number(c[6])).toBeCloseTo(traj.value.entropies[t]!, 6);
      expect(c[4]).toBe(Number(c[2]) < threshold ? '1' : '0');
    }

    // scrub the replay to step 1 (a critical step: s1), then open its landscape
    await page.getByLabel('Step', { exact: true }).fill('1');
    await expect.poll(() => page.getByTestId('step-readout').textContent()).toMatch(/^step 1 \/ 2/);
    await page.getByTestId('critical-open').click();
    const landscape = page.getByTestId('landscape');
    await expect.poll(() => landscape.count(), { timeout: 90_000 }).toBe(1);
    expect(await landscape.textContent()).toMatch(/at trajectory \d+ \(eval step 200, deterministic, episode 0\) at step 1/);
    expect(await landscape.locator('[data-k=adaent]').textContent()).toMatch(/follows plain Q/);
    await lab.screenshot('landscape-replay');

    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('landscape-csv').click()]);
    const csv = readFileSync((await dl.path())!, 'utf8').trim().split('\n');
    const comments = csv.filter((l) => l.startsWith('#'));
    const rows = csv.filter((l) => !l.startsWith('#'));
    expect(comments.join('\n')).toMatch(/# state: trajectory \d+ .* at step 1; observation \[0, 1, 0, 0, 0, 0\]/);
    expect(comments.join('\n')).toMatch(/# alpha: 1\n/);
    const header = rows[0]!;
    expect(header).toMatch(/^"a0: [^"]*","q_soft: Q_soft = min\(Q1, Q2\), run \d+ \(sac-adaent\) at step 200","boltzmann: .*","q_plain: .*","policy_density: .*"$/);
    const data = rows.slice(1).map((l) => l.split(',').map(Number));
    expect(data).toHaveLength(201);
    expect(data[0]![0]).toBe(-1);
    expect(data[200]![0]).toBe(1);
    for (const [a, qSoft, , qPlain] of data) {
      expect(qSoft).toBeCloseTo(softQ(a!), 5);
      expect(qPlain).toBeCloseTo(plainQ(a!), 5);
    }

    // a click on a strip at a step seeks the replay there and opens that step's landscape
    const strip = page.getByRole('slider', { name: /^plain-Q peakedness .* over steps$/ });
    const box = (await strip.boundingBox())!;
    await strip.click({ position: { x: 2, y: box.height / 2 } });
    await expect.poll(() => page.getByTestId('step-readout').textContent()).toMatch(/^step 0 \/ 2/);
    await expect.poll(() => landscape.textContent(), { timeout: 90_000 }).toMatch(/episode 0\) at step 0/);

    // fan the policy out from the episode's start: its deterministic action tanh(MU) > 0 takes the safe branch (-1)
    await page.getByTestId('critical-fan').click();
    const returns = page.getByTestId('fan-panel').getByTestId('fan-returns-0');
    await expect.poll(() => returns.count(), { timeout: 90_000 }).toBe(1);
    expect(await returns.textContent()).toMatch(new RegExp(`run ${runId} \\(sac-adaent, seed 0\\) at step 200: deterministic -1; stochastic \\(K = 16\\)`));
    expect(await page.getByTestId('fan-panel').textContent()).toContain("from the environment's reset from seed 0");
    expect(lab.foreignRequests()).toEqual([]);
  }, 240_000);

  test('Analysis: a ready-made case (toy s0) of the stored checkpoint, its SVG export labelled', async () => {
    const { page } = lab;
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Analysis', exact: true }).click();
    const panel = page.getByTestId('analysis-view').getByTestId('landscape-panel');
    await panel.getByLabel('Landscape run').selectOption(String(runId));
    await expect.poll(() => panel.getByLabel('Landscape checkpoint').inputValue()).toBe('200');
    await panel.getByLabel('Landscape case').selectOption('toy-s0');
    await panel.getByTestId('landscape-compute').click();
    const landscape = panel.getByTestId('landscape');
    await expect.poll(() => landscape.count(), { timeout: 90_000 }).toBe(1);
    expect(await landscape.textContent()).toMatch(/at toy s0 \(left: the precise branch, right: the safe branch\)/);
    expect(await landscape.locator('[data-k=alpha]').textContent()).toBe('1.0000');
    const [dl] = await Promise.all([page.waitForEvent('download'), landscape.getByRole('button', { name: 'SVG' }).first().click()]);
    const svg = readFileSync((await dl.path())!, 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('Q values, toy s0');
    expect(svg).toContain(`Q_soft = min(Q1, Q2), run ${runId} (sac-adaent) at step 200`);
    expect(svg).toContain('>Q(s, a)<');
    await lab.screenshot('landscape-analysis');
  }, 180_000);
});
