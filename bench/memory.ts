// `npm run bench -- memory [--k K]`: resident memory per seed of a seed group (issue 12, section 4:
// at most 350 MB per seed with a full vehicle replay buffer in a K = 5 group). In a child process
// per K (1 and K, default 5): a group of K SAC runs on vehicle (quick preset, a 1e6-transition
// buffer each), every buffer filled to capacity by random-action environment steps, 100 group
// updates, then each seed's checkpoint encoded in turn (as the worker writes them); prints the
// peak resident set size of the process, in total and per seed.
import { spawnSync } from 'node:child_process';
import { initBackend } from '../src-main/engine/backend.ts';
import type { Batch, SeedBatchedOffPolicyAgent } from '../src-core/algos/common/types.ts';
import type { ReplayBuffer } from '../src-core/algos/common/replay_buffer.ts';
import { makeEnv } from '../src-core/envs/registry.ts';
import { Rng } from '../src-core/rng.ts';
import { createGroupTrainer, resolveRunConfig } from '../src-core/train/index.ts';

const args = process.argv.slice(2);
const K = Number(args.includes('--k') ? args[args.indexOf('--k') + 1] : 5);
const TARGET_MB_PER_SEED = 350;

async function child(k: number): Promise<void> {
  await initBackend('wasm');
  const configs = Array.from({ length: k }, (_, s) => resolveRunConfig({ env: 'vehicle', variant: 'dynamic', algo: 'sac', preset: 'quick', seed: s, overrides: { bufferSize: 1_000_000 } }));
  const group = createGroupTrainer(configs, configs.map(() => ({})));
  const inner = group as unknown as { runs: { buffer: ReplayBuffer; updateRng: Rng }[]; agent: SeedBatchedOffPolicyAgent };
  const env = makeEnv('vehicle', 'dynamic');
  const rng = new Rng(5);
  const act = new Float64Array(env.actionSpace.dim);
  for (const r of inner.runs) {
    let obs = Float32Array.from(env.reset(rng).observation);
    for (let i = 0; i < r.buffer.capacity; i++) {
      for (let j = 0; j < act.length; j++) act[j] = rng.uniformRange(-1, 1);
      const res = env.step(act);
      r.buffer.add(obs, act, res.reward, res.observation, res.terminated);
      obs = Float32Array.from(res.terminated || res.truncated || env.elapsedSteps >= env.maxEpisodeSteps ? env.reset(rng).observation : res.observation);
    }
  }
  for (let i = 0; i < 100; i++) {
    const batches: Batch[] = inner.runs.map((r) => r.buffer.sample(r.updateRng));
    await inner.agent.update(batches, inner.runs.map((r) => r.updateRng), inner.runs.map(() => i === 99));
  }
  let checkpointMB = 0;
  for (let s = 0; s < k; s++) checkpointMB = group.checkpoint(s).length / 2 ** 20;
  const rssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ k, filled: inner.runs.map((r) => r.buffer.size), checkpointMB, maxRssMB: rssMB, perSeedMB: rssMB / k }) + '\n');
  group.dispose();
}

async function main(): Promise<void> {
  if (args.includes('--child')) return child(Number(args[args.indexOf('--child') + 1]));
  console.log(`bench memory: SAC on vehicle (quick preset), 1e6-transition buffers filled, 100 updates, every seed checkpointed; peak RSS of the process`);
  for (const k of [...new Set([1, K])]) {
    const r = spawnSync(process.execPath, ['--no-warnings', new URL(import.meta.url).pathname, '--child', String(k)], { encoding: 'utf8', timeout: 3_600_000 });
    if (r.status !== 0) {
      console.log(`  K = ${k}: error: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`);
      continue;
    }
    const m = JSON.parse(r.stdout.trim().split('\n').pop()!) as { k: number; filled: number[]; checkpointMB: number; maxRssMB: number; perSeedMB: number };
    const verdict = k > 1 ? `  (target <= ${TARGET_MB_PER_SEED} per seed: ${m.perSeedMB <= TARGET_MB_PER_SEED ? 'pass' : 'FAIL'})` : '';
    console.log(`  K = ${k}: peak RSS ${m.maxRssMB.toFixed(0)} MB, ${m.perSeedMB.toFixed(0)} MB per seed, buffers ${m.filled.join(', ')}, checkpoint ${m.checkpointMB.toFixed(0)} MB${verdict}`);
  }
}

await main();
