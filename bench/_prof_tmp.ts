import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src-main/engine/backend.ts';
import { Rng } from '../src-core/rng.ts';
import { createAgent } from '../src-core/algos/index.ts';
import { ReplayBuffer } from '../src-core/algos/common/replay_buffer.ts';
import type { OffPolicyAgent } from '../src-core/algos/common/types.ts';
import { resolvePreset } from '../src-core/presets/index.ts';
await initBackend('wasm');
for (const [algo, hidden, n] of [['sac', 4, 100], ['sac', 64, 100], ['sac', 256, 20], ['sac-adaent', 64, 10]] as const) {
  const rng = new Rng(1);
  const cfg = { ...resolvePreset('vehicle', algo, 'paper').algoConfig, hidden: [hidden, hidden], batchSize: 256 };
  const agent = createAgent(algo, cfg, 17, 6, rng) as OffPolicyAgent;
  const buf = new ReplayBuffer(5000, 17, 6, 256);
  const v = (k: number) => Array.from({ length: k }, () => rng.normal());
  for (let i = 0; i < 5000; i++) buf.add(v(17), v(6).map(Math.tanh), rng.normal(), v(17), false);
  for (let i = 0; i < 5; i++) agent.update(buf.sample(rng), rng, false);
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) agent.update(buf.sample(rng), rng, false);
    times.push((performance.now() - t0) / n);
  }
  times.sort((a, b) => a - b);
  const prof = await tf.profile(() => { agent.update(buf.sample(rng), rng, false); });
  const byKernel: Record<string, [number, number]> = {};
  for (const k of prof.kernels) { const e = (byKernel[k.name] ??= [0, 0]); e[0]++; e[1] += Number(k.kernelTimeMs) || 0; }
  console.log(algo, hidden, 'median ms', times[2]!.toFixed(2), 'kernels', prof.kernels.length, JSON.stringify(Object.entries(byKernel).sort((a, b) => b[1][1] - a[1][1]).slice(0, 8).map(([k, [c, t]]) => `${k}:${c}/${t.toFixed(2)}`)));
  agent.dispose();
}
