// `npm run bench -- train --backend webgpu [--reps N] [--updates N] [--algos sac,sac-adaent] [--sizes 64,256] [--ks 1,8,32,128]`
// (also `npm run bench -- webgpu ...`): per-seed gradient-update times on the webgpu backend beside
// wasm, measured side by side in this process, medians of N repetitions (default 5) of `--updates`
// updates each (default 20). Batch 256, observation 17, action 6, as bench/train.ts. Seed batches
// K (the seed-batched agents of issue 12: K seeds updated as one computation, each seed its own
// replay batch): the time of one update of all K seeds divided by K.
// --record [--record-to FILE]: also store the table as this adapter's measurement (default
// src-main/engine/webgpu-speed.ts's speedFilePath()), from which `auto` picks webgpu for a run
// only where it is faster for that run's algorithm, hidden sizes and seed batch.
// A GPU's queue runs ahead of the host: each repetition ends with an awaited read of the actor's
// weights, so the time covers all the work queued. The adapter (vendor, architecture, software or
// not) is printed first: on SwiftShader (no GPU) the numbers say nothing about a real GPU.
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { selectBackend, type WebgpuHandle } from '../src-core/nn/backend.ts';
import { createWebgpuDevice } from '../src-main/engine/webgpu.ts';
import { SPEED_FORMAT, speedFilePath, type SpeedEntry, type SpeedFile } from '../src-main/engine/webgpu-speed.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Rng } from '../src-core/rng.ts';
import { createSeedBatchedAgent } from '../src-core/algos/index.ts';
import { ReplayBuffer } from '../src-core/algos/common/replay_buffer.ts';
import type { SeedBatchedOffPolicyAgent } from '../src-core/algos/common/types.ts';
import { resolvePreset } from '../src-core/presets/index.ts';
import type { AlgoId } from '../src-core/train/types.ts';
import { medianOf as median } from '../src-core/stats/estimators.ts';

const args = process.argv.slice(2);
function flag(name: string, dflt: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : dflt;
}
const reps = Math.max(1, Number(flag('reps', '5')));
const updates = Math.max(1, Number(flag('updates', '20')));
const algos = flag('algos', 'sac,sac-adaent').split(',') as AlgoId[];
const sizes = flag('sizes', '64,256').split(',').map(Number);
const seedBatches = flag('ks', '1,8,32,128').split(',').map(Number);


/** Median ms per seed-update of `algo` at hidden x hidden, K seeds batched, on the active backend. */
async function perUpdateMs(algo: AlgoId, hidden: number, K: number): Promise<number> {
  const rng = new Rng(1);
  const cfg = { ...resolvePreset('vehicle', algo, 'paper').algoConfig, hidden: [hidden, hidden], batchSize: 256 };
  const agent = createSeedBatchedAgent(algo, cfg, 17, 6, Array.from({ length: K }, (_, k) => new Rng(1, k))) as SeedBatchedOffPolicyAgent;
  const buf = new ReplayBuffer(20_000, 17, 6, 256);
  const v = (k: number) => Array.from({ length: k }, () => rng.normal());
  for (let i = 0; i < 5_000; i++) buf.add(v(17), v(6).map(Math.tanh), rng.normal(), v(17), rng.uniform() < 0.01);
  const rngs = Array.from({ length: K }, (_, k) => new Rng(2, k)); // each seed's noise
  // one buffer and its reused batch object: every seed gets the same rows, the same work (timing only)
  const step = () => agent.update(rngs.map(() => buf.sample(rng)), rngs, rngs.map(() => false));
  const sync = async () => {
    await Promise.all(Object.values(tf.engine().state.registeredVariables).map((x) => x.data()));
  };
  for (let i = 0; i < 3; i++) await step(); // compile shaders, warm caches
  await sync();
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    for (let i = 0; i < updates; i++) await step();
    await sync();
    times.push((performance.now() - t0) / updates / K);
  }
  agent.dispose();
  return median(times);
}

async function main(): Promise<void> {
  const require = createRequire(import.meta.url);
  const wasmPaths = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + path.sep;
  await selectBackend('wasm', { wasmPaths });
  let handle: WebgpuHandle | null = null;
  try {
    await selectBackend('webgpu', { loadWebgpu: async () => (handle = await createWebgpuDevice()) });
  } catch (err) {
    console.error(`webgpu: ${(err as Error).message}`);
    console.error('No GPU? A software adapter for checking the path: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json (Debian chromium + libvulkan1).');
    process.exit(1);
  }
  const a = handle!.adapter;
  console.log(`adapter: ${a.vendor} / ${a.architecture}${a.description ? ` (${a.description})` : ''}, ${a.software ? 'SOFTWARE (SwiftShader or a fallback adapter: not a GPU measurement)' : 'hardware'}`);
  console.log(`batch 256, obs 17, act 6; median of ${reps} x ${updates} updates; ms per seed-update\n`);
  console.log(['algo', 'hidden', 'K', 'webgpu ms', 'wasm ms', 'wasm/webgpu'].map((s) => s.padEnd(12)).join(''));
  const entries: SpeedEntry[] = [];
  for (const algo of algos) {
    for (const h of sizes) {
      for (const K of seedBatches) {
        await tf.setBackend('webgpu');
        const gpu = await perUpdateMs(algo, h, K);
        await tf.setBackend('wasm');
        const cpu = await perUpdateMs(algo, h, K);
        entries.push({ algo, hidden: [h, h], K, webgpuMs: gpu, cpuBackend: 'wasm', cpuMs: cpu });
        console.log([algo, `${h}x${h}`, String(K), gpu.toFixed(2), cpu.toFixed(2), (cpu / gpu).toFixed(2)].map((s) => s.padEnd(12)).join(''));
      }
    }
  }
  if (args.includes('--record')) {
    const file = flag('record-to', speedFilePath());
    const record: SpeedFile = { format: SPEED_FORMAT, version: 1, adapter: a, measuredAt: new Date().toISOString(), entries };
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(record, null, 2) + '\n');
    console.log(`\nrecorded to ${file}${a.software ? ' (a software adapter: auto never picks it)' : ''}`);
  }
  process.exit(0); // Dawn's device would keep the event loop alive
}

void main();
