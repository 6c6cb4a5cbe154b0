// `npm run bench -- scenes [--frames N] [--width W] [--height H]`: median frame time of each
// environment's scene in Debian's chromium under software WebGL (SwiftShader), default 1280x720,
// the same browser and flags as the browser tests. Target: below 16 ms per frame.
// A frame = set the step's drawn state + render + wait for the GPU (1-pixel readback).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { DRAWABLE_ENVS, drawEpisode } from '../src-core/draw/index.ts';
import { makeEnv } from '../src-core/envs/registry.ts';
import { Rng } from '../src-core/rng.ts';
import { loadPhysics } from '../src-main/engine/mujoco.ts';
import type { BenchEpisode } from './scene-episode.ts';

const ROOT = resolve(import.meta.dirname, '..');

await loadPhysics(); // hopper and opencat episodes are rolled out here, in Node

/** A seeded random-action episode of every drawable environment (default variant), as frames. */
function benchEpisodes(): BenchEpisode[] {
  return DRAWABLE_ENVS.map((envId) => {
    const env = makeEnv(envId);
    const rng = new Rng(1, 1);
    env.reset(new Rng(1));
    const states: number[] = Array.from(env.getState());
    const actions: number[] = [];
    for (let t = 0; t < env.maxEpisodeSteps; t++) {
      const a = env.actionSpace.sample(rng);
      const r = env.step(a);
      actions.push(...a);
      states.push(...env.getState());
      if (r.terminated || r.truncated) break;
    }
    const frames = drawEpisode(envId, env.variant, env.params, states, env.stateNames.length, actions, env.actionSpace.dim);
    env.close?.();
    return { env: envId, variant: env.variant, frames };
  });
}
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v <= 0) {
    console.error(`bench scenes: --${name} must be a positive integer, got '${process.argv[i + 1]}'`);
    process.exit(2);
  }
  return v;
}

const frames = flag('frames', 120);
const width = flag('width', 1280);
const height = flag('height', 720);

const out = mkdtempSync(join(tmpdir(), 'lab-bench-scenes-'));
try {
  await build({
    configFile: false,
    logLevel: 'error',
    root: ROOT,
    build: {
      outDir: out,
      emptyOutDir: true,
      minify: true,
      lib: { entry: join(ROOT, 'bench/browser/scenes-entry.ts'), formats: ['iife'], name: 'LabSceneBenchBundle', fileName: () => 'scenes.js' },
    },
  });
  const browser = await chromium.launch({ executablePath: process.env.LAB_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: width + 40, height: height + 40 } });
    await page.setContent('<!doctype html><html><body style="margin:0"></body></html>');
    await page.addScriptTag({ content: readFileSync(join(out, 'scenes.js'), 'utf8') });
    type Row = { env: string; variant: string; frames: number; medianMs: number; p90Ms: number; renderer: string };
    // The function runs in the page (globalThis is its window, which the bundle extended).
    const rows = (await page.evaluate(
      ([w, h, n, eps]) => (globalThis as unknown as { labSceneBench: (w: number, h: number, n: number, warm: number, e: unknown) => Promise<unknown> }).labSceneBench(w as number, h as number, n as number, 10, eps),
      [width, height, frames, benchEpisodes()] as const,
    )) as Row[];
    console.log(`scene frame time at ${width}x${height}, ${frames} frames each after 10 warm-up frames (renderer: ${rows[0]?.renderer})`);
    console.log(`${'scene'.padEnd(22)}${'median ms'.padStart(10)}${'p90 ms'.padStart(10)}${'fps (median)'.padStart(14)}  target < 16 ms`);
    for (const r of rows) {
      const name = `${r.env}/${r.variant}`;
      console.log(`${name.padEnd(22)}${r.medianMs.toFixed(2).padStart(10)}${r.p90Ms.toFixed(2).padStart(10)}${(1000 / r.medianMs).toFixed(0).padStart(14)}  ${r.medianMs < 16 ? 'ok' : 'SLOW'}`);
    }
  } finally {
    await browser.close();
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
