// The Environments view in Chromium through `lab serve`: every environment's scene renders and
// changes when the preview steps; the replay scrubber shows step k's state (read from the scene's
// published drawn-state values, checked against the stored states); a side-by-side replay of two
// runs keeps both viewports on the same step and marks the first divergence; PNG and WebM export.
// Fixture: two vehicle "runs" whose evaluation episodes are real environment rollouts written to
// the lab's database through the store (no training needed to test replays).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { drawEpisode } from '../../src-core/draw/index.ts';
import { firstDivergence } from '../../src-core/draw/divergence.ts';
import { makeEnv } from '../../src-core/envs/registry.ts';
import { Rng } from '../../src-core/rng.ts';
import { createTrainer, resolveRunConfig } from '../../src-core/train/index.ts';
import type { RunConfig, Trajectory } from '../../src-core/train/types.ts';
import { initBackend } from '../../src-main/engine/backend.ts';
import { Store } from '../../src-main/store/index.ts';
import { startLab, type Lab } from './harness.ts';

let lab: Lab;
const runIds: number[] = [];
const fixtures: Trajectory[] = [];
let policyRun = { id: 0, final: null as Trajectory | null };

/** A tiny real training run (sac-auto on pendulum) with its final checkpoint and deterministic evaluation episode. */
async function trainedPendulum(): Promise<{ cfg: RunConfig; bytes: Uint8Array; final: Trajectory }> {
  await initBackend('wasm');
  const cfg = resolveRunConfig({
    env: 'pendulum', algo: 'sac-auto', preset: 'quick', seed: 3,
    overrides: { totalSteps: 120, evalInterval: 120, evalEpisodes: 1, recordEpisodes: 1, hidden: '16,16', batchSize: 32, warmupSteps: 60 },
  });
  const trajectories: Trajectory[] = [];
  const trainer = createTrainer(cfg, { onTrajectory: (t) => trajectories.push(t) });
  await trainer.run();
  const bytes = trainer.checkpoint();
  trainer.dispose();
  return { cfg, bytes, final: trajectories.find((t) => t.step === 120 && t.mode === 'deterministic')! };
}

/** A real episode under a constant action, recorded like an evaluation episode. */
function constantEpisode(envId: string, action: number[], mode: 'deterministic' | 'stochastic'): Trajectory {
  const env = makeEnv(envId);
  const T = env.maxEpisodeSteps;
  const obs: number[] = Array.from(env.reset(new Rng(11)).observation);
  const states: number[] = Array.from(env.getState());
  const actions: number[] = [];
  const rewards: number[] = [];
  const comps: Record<string, number[]> = {};
  let t = 0;
  for (; t < T; t++) {
    const r = env.step(action);
    obs.push(...r.observation);
    states.push(...env.getState());
    actions.push(...action);
    rewards.push(r.reward);
    for (const [k, v] of Object.entries(r.info.rewardComponents)) (comps[k] ??= []).push(v);
    if (r.terminated || r.truncated) {
      t++;
      break;
    }
  }
  const length = t;
  return {
    step: 2000, mode, episode: 0, startSeed: 11, length, obsDim: env.observationSpace.dim, actDim: action.length, stateDim: env.stateNames.length,
    observations: Float32Array.from(obs), actions: Float32Array.from(actions), rewards: Float32Array.from(rewards),
    rewardComponents: Object.fromEntries(Object.entries(comps).map(([k, v]) => [k, Float32Array.from(v)])),
    logProbs: new Float32Array(length).fill(-1.5), entropies: new Float32Array(length).fill(0.7), states: Float64Array.from(states),
  };
}

function config(algo: RunConfig['algo'], seed: number, envId = 'vehicle', variant = 'dynamic'): RunConfig {
  return {
    env: { id: envId, variant, params: {} }, algo, preset: 'quick', seed, totalSteps: 2000, evalInterval: 1000,
    evalEpisodes: 1, evalModes: ['deterministic'], recordEpisodes: 1, evalSeed: 11, algoConfig: {},
  };
}

/** Pixels of a scene canvas: how many differ from the background, distinct colours, and a checksum. */
function pixelStats(page: Page, sceneId: string): Promise<{ painted: number; colours: number; sum: number }> {
  return page.evaluate((id) => {
    const src = document.querySelector<HTMLCanvasElement>(`canvas[data-scene-id="${id}"]`)!;
    const c = document.createElement('canvas');
    c.width = src.width;
    c.height = src.height;
    const g = c.getContext('2d')!;
    g.drawImage(src, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    const colours = new Set<number>();
    let painted = 0;
    let sum = 0;
    for (let i = 0; i < d.length; i += 4) {
      const v = (d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!;
      if (v !== 0xfafafa) painted++;
      if (colours.size < 5000) colours.add(v);
      sum = (sum * 31 + v + i) % 2147483647;
    }
    return { painted, colours: colours.size, sum };
  }, sceneId);
}

const sceneState = (page: Page, id: string) => page.evaluate((k) => window.__labScenes?.[k] ?? null, id);

beforeAll(async () => {
  lab = await startLab({ viewport: { width: 1280, height: 900 } });
  const trained = await trainedPendulum();
  const ckptFile = join(lab.tmp, 'pendulum-120.ckpt');
  writeFileSync(ckptFile, trained.bytes);
  const store = new Store(lab.dbPath);
  try {
    store.tx(() => {
      const id = store.runs.insert(trained.cfg);
      store.checkpoints.insert(id, 120, ckptFile, trained.bytes.length);
      store.trajectories.insert(id, trained.final);
      policyRun = { id, final: trained.final };
    });
    fixtures.push(constantEpisode('vehicle', [0, 0], 'deterministic'), constantEpisode('vehicle', [0.5, 0.3], 'deterministic'));
    fixtures.push(constantEpisode('obstacle2d', [0.5, 0.4], 'deterministic'), constantEpisode('obstacle2d', [0.5, -0.4], 'deterministic'));
    store.tx(() => {
      for (const [i, algo] of (['ppo', 'sac'] as const).entries()) {
        const id = store.runs.insert(config(algo, i));
        store.trajectories.insert(id, fixtures[i]!);
        runIds.push(id);
      }
      for (const [i, algo] of (['ppo', 'td3'] as const).entries()) {
        const id = store.runs.insert(config(algo, i, 'obstacle2d', 'default'));
        store.trajectories.insert(id, fixtures[2 + i]!);
        runIds.push(id);
      }
    });
  } finally {
    store.db.close();
  }
  await lab.page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Environments', exact: true }).click();
});
afterAll(async () => {
  await lab?.close();
});

describe('Environments view', () => {
  test('each environment scene renders (not blank) and changes when the preview steps', async () => {
    const { page } = lab;
    await page.getByRole('tab', { name: 'Preview' }).click();
    const select = page.getByLabel('Environment', { exact: true });
    await expect.poll(() => select.locator('option').count()).toBeGreaterThanOrEqual(8);
    // hopper and opencat: MuJoCo in main (the preview), drawn from the model's geoms in the page
    for (const env of ['toy', 'vehicle', 'quadrotor', 'acrobot', 'obstacle2d', 'pendulum', 'hopper', 'opencat']) {
      await select.selectOption(env);
      await page.getByLabel('Policy').selectOption('random');
      await page.getByRole('button', { name: 'Run preview' }).click();
      await expect.poll(async () => (await sceneState(page, 'main'))?.env, { timeout: 10_000 }).toBe(env);
      await expect.poll(async () => (await sceneState(page, 'main'))?.steps).toBeGreaterThan(1);
      const before = await pixelStats(page, 'main');
      expect(before.painted, `${env}: painted pixels`).toBeGreaterThan(2000);
      expect(before.colours, `${env}: distinct colours`).toBeGreaterThan(5);
      const f0 = (await sceneState(page, 'main'))!.frame!;
      await page.getByRole('button', { name: 'Step forward' }).click();
      await expect.poll(async () => (await sceneState(page, 'main'))?.step).toBe(1);
      const f1 = (await sceneState(page, 'main'))!.frame!;
      expect(f1.step).toBe(1);
      expect(JSON.stringify(f1)).not.toBe(JSON.stringify(f0));
      const after = await pixelStats(page, 'main');
      expect(after.sum, `${env}: the canvas changes when the preview steps`).not.toBe(before.sum);
      await lab.screenshot(`scenes-${env}`);
    }
  });

  test('a bad constant action is refused with a message naming the field', async () => {
    const { page } = lab;
    await page.getByLabel('Environment', { exact: true }).selectOption('pendulum');
    await page.getByLabel('Policy').selectOption('constant');
    await page.getByLabel('Constant action').fill('1, 2');
    await page.getByRole('button', { name: 'Run preview' }).click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toMatch(/policy\.action: constant action has 2 values, the environment expects 1/);
  });

  test('a stored policy previewed at its checkpoint replays its final evaluation episode', async () => {
    const { page } = lab;
    await page.getByLabel('Environment', { exact: true }).selectOption('pendulum');
    await page.getByLabel('Policy').selectOption('checkpoint');
    await expect.poll(() => page.getByLabel('Run', { exact: true }).locator('option').count()).toBe(2);
    await page.getByLabel('Run', { exact: true }).selectOption(String(policyRun.id));
    await expect.poll(() => page.getByLabel('Checkpoint').locator('option').count()).toBe(1);
    const final = policyRun.final!;
    await page.getByLabel('Seed').fill(String(final.startSeed));
    await page.getByRole('button', { name: 'Run preview' }).click();
    const summary = page.getByTestId('preview-summary');
    await expect.poll(() => summary.textContent(), { timeout: 20_000 }).toContain(`run ${policyRun.id} at step 120 (deterministic): 200 steps`);
    const shown = Number(/return (-?[\d.]+)/.exec((await summary.textContent())!)![1]);
    const recorded = final.rewards.reduce((a, r) => a + r, 0);
    expect(shown).toBeCloseTo(recorded, 2);
    const s = await sceneState(page, 'main');
    expect(s?.steps).toBe(201);
    expect((s!.frame as { theta: number }).theta).toBeCloseTo(final.states[0]!, 9);
  });

  test('a preview exports as a WebM video (EBML header) and keeps its step', async () => {
    const { page } = lab;
    await page.getByLabel('Environment', { exact: true }).selectOption('toy');
    await page.getByLabel('Policy').selectOption('random');
    await page.getByRole('button', { name: 'Run preview' }).click();
    await expect.poll(async () => (await sceneState(page, 'main'))?.env).toBe('toy');
    await page.getByRole('button', { name: 'Step forward' }).click();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export WebM video' }).click();
    const file = await (await download).path();
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 4)]).toEqual([0x1a, 0x45, 0xdf, 0xa3]);
    expect(bytes.length).toBeGreaterThan(1000);
    expect((await sceneState(page, 'main'))?.step).toBe(1);
  });

  test('Runs -> Open in Replay opens that run\'s final evaluation episode in the Replay tab', async () => {
    const { page } = lab;
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Runs', exact: true }).click();
    await page.locator(`[role=row][data-run-id="${runIds[1]}"] [role=cell]:nth-child(3)`).click();
    await page.getByRole('button', { name: 'Open in Replay' }).click();
    await expect.poll(() => page.getByRole('tab', { name: 'Replay' }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.getByLabel('Replay run').inputValue()).toBe(String(runIds[1]));
    await expect.poll(async () => (await sceneState(page, 'replay'))?.steps, { timeout: 10_000 }).toBe(201);
  });

  test('moving the replay scrubber to step k shows step k of the stored episode', async () => {
    const { page } = lab;
    await page.getByRole('tab', { name: 'Replay' }).click();
    await page.getByLabel('Replay run').selectOption(String(runIds[1]));
    await expect.poll(async () => (await sceneState(page, 'replay'))?.steps, { timeout: 10_000 }).toBe(201);
    const states = fixtures[1]!.states;
    for (const k of [17, 150, 0, 200]) {
      await page.getByLabel('Step', { exact: true }).fill(String(k));
      await expect.poll(async () => (await sceneState(page, 'replay'))?.step).toBe(k);
      const f = (await sceneState(page, 'replay'))!.frame as { position: number[]; heading: number; step: number };
      expect(f.step).toBe(k);
      expect(f.position[0]).toBeCloseTo(states[k * 6]!, 9);
      expect(f.position[1]).toBeCloseTo(states[k * 6 + 1]!, 9);
      expect(f.heading).toBeCloseTo(states[k * 6 + 2]!, 9);
      await expect.poll(() => page.getByTestId('step-readout').textContent()).toContain(`step ${k} / 200`);
    }
    // The strip charts share the cursor: reward, its components, both action dimensions, log-prob, entropy.
    const strips = page.getByLabel('Strip charts').locator('svg');
    expect(await strips.count()).toBeGreaterThanOrEqual(5);
    await page.getByLabel('Step', { exact: true }).fill('40');
    expect(await strips.first().getAttribute('aria-valuenow')).toBe('40');
    // Exports: the current frame as PNG, the episode as WebM.
    const png = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export PNG of this frame' }).click();
    const pngFile = await (await png).path();
    expect([...readFileSync(pngFile).subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
  });

  test('side by side: two runs from the same start state stay on the same step; divergence marked', async () => {
    const { page } = lab;
    await page.getByRole('tab', { name: 'Side by side' }).click();
    await page.getByLabel('Run 1', { exact: true }).selectOption(String(runIds[0]));
    await page.getByLabel('Run 2', { exact: true }).selectOption(String(runIds[1]));
    await expect.poll(() => page.getByLabel('Start seed').locator('option').count()).toBe(1);
    await page.getByLabel('Divergence distance').fill('0.5');
    await page.getByRole('button', { name: 'Show side by side' }).click();
    await expect.poll(async () => (await sceneState(page, 'side-1'))?.steps, { timeout: 10_000 }).toBe(201);
    const bothAt = async () => [(await sceneState(page, 'side-0'))?.step, (await sceneState(page, 'side-1'))?.step];
    for (const k of [33, 120]) {
      await page.getByLabel('Step', { exact: true }).fill(String(k));
      await expect.poll(bothAt).toEqual([k, k]);
    }
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForTimeout(600);
    await page.getByRole('button', { name: 'Pause' }).click();
    const [a, b] = await bothAt();
    expect(a).toBe(b);
    expect(a).toBeGreaterThan(120);
    const frames = fixtures.slice(0, 2).map((t) => drawEpisode('vehicle', 'dynamic', {}, t.states, 6, t.actions, 2));
    const expected = firstDivergence(frames, 0.5);
    expect(expected).not.toBeNull();
    expect(await page.locator('[data-mark-step]').getAttribute('data-mark-step')).toBe(String(expected));
    // Strip charts: each viewport's reward and policy entropy and the largest distance between them, on the shared cursor.
    expect(await page.getByLabel('Strip charts').locator('svg').count()).toBe(5);
    expect(await page.getByRole('slider', { name: 'policy entropy, viewport 2 over steps' }).count()).toBe(1);
    await lab.screenshot('scenes-side-by-side');
  });

  test('side by side exports one WebM of all viewports and restores their step', async () => {
    const { page } = lab;
    await page.getByLabel('Run 1', { exact: true }).selectOption(String(runIds[2]));
    await page.getByLabel('Run 2', { exact: true }).selectOption(String(runIds[3]));
    await page.getByRole('button', { name: 'Show side by side' }).click();
    const T = fixtures[2]!.length;
    expect(T).toBeLessThan(20); // the agent walks into the wall within a few steps
    await expect.poll(async () => (await sceneState(page, 'side-1'))?.env, { timeout: 10_000 }).toBe('obstacle2d');
    const bothAt = async () => [(await sceneState(page, 'side-0'))?.step, (await sceneState(page, 'side-1'))?.step];
    await page.getByLabel('Step', { exact: true }).fill('2');
    await expect.poll(bothAt).toEqual([2, 2]);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export WebM video of all viewports' }).click();
    const video = readFileSync(await (await download).path());
    expect([...video.subarray(0, 4)]).toEqual([0x1a, 0x45, 0xdf, 0xa3]);
    expect(video.length).toBeGreaterThan(1000);
    await expect.poll(bothAt).toEqual([2, 2]);
  });
});
