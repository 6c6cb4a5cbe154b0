// `npm run bench -- landscape [--reps N] [--backend B]`: time of one landscape (issue 15) with the
// networks loaded, as the worker computes it: every layer (Q_soft, Q_plain, policy and Boltzmann
// densities), V_soft, AdaEnt's 100 sampled actions and cosine, and the plain-Q peakedness cover.
//   - 1-D: 201 points, the toy (observation 6, action 1);
//   - 2-D: a 64 x 64 heatmap, the vehicle (observation 6, action 2);
// each with SAC-AdaEnt networks of 64x64 and 256x256 (untrained, seeded: the cost does not depend on
// the weights). Target: median under 200 ms. The worker's start-up (process, tfjs, checkpoint
// load) comes on top once per request; it is reported separately (checkpoint load + first call).
// Wall and CPU time of this process are both given: on a loaded machine the CPU time is what the
// code costs (as in bench/train.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgent } from '../src-core/algos/index.ts';
import type { LandscapeJob } from '../src-core/contract/worker-protocol.ts';
import { makeEnv } from '../src-core/envs/registry.ts';
import { Rng } from '../src-core/rng.ts';
import { encodeCheckpoint } from '../src-core/train/codec.ts';
import { resolveRunConfig } from '../src-core/train/run_config.ts';
import { initRequestedBackend } from '../src-main/engine/backend.ts';
import { computeLandscape, loadJobNetworks } from '../src-main/preview/landscape-job.ts';
import { medianOf as median } from '../src-core/stats/estimators.ts';

const args = process.argv.slice(2);
const opt = (name: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
const reps = Number(opt('reps') ?? 15);
if (!Number.isInteger(reps) || reps < 1) {
  console.error(`bench landscape: --reps must be a positive integer, got '${opt('reps')}'`);
  process.exit(2);
}
const { info } = await initRequestedBackend(opt('backend'));


const dir = mkdtempSync(join(tmpdir(), 'lab-bench-landscape-'));
const rows: string[] = [];
try {
  for (const [envId, axes, points] of [['toy', [0], 201], ['vehicle', [0, 1], 64]] as const) {
    for (const hidden of [64, 256]) {
      const cfg = resolveRunConfig({ env: envId, algo: 'sac-adaent', preset: 'paper', seed: 0, overrides: { hidden: `${hidden},${hidden}` } });
      const env = makeEnv(envId, cfg.env.variant, cfg.env.params);
      const agent = createAgent('sac-adaent', cfg.algoConfig, env.observationSpace.dim, env.actionSpace.dim, new Rng(0, 2));
      const state = agent.saveState();
      agent.dispose();
      const arrays: Record<string, { shape: number[]; data: Float32Array }> = {};
      for (const [k, v] of Object.entries(state.tensors)) arrays[`agent/${k}`] = v;
      const file = join(dir, `${envId}-${hidden}.ckpt`);
      writeFileSync(file, encodeCheckpoint({ format: 'maxent-lab-checkpoint', config: cfg, agent: state.json }, arrays));
      const observation = Array.from(env.reset(new Rng(0, 0)).observation);
      const job: LandscapeJob = {
        kind: 'landscape',
        primary: { checkpointFile: file, runConfig: cfg as unknown as Record<string, unknown>, runId: 1, step: 0 },
        observations: [observation],
        axes: [...axes],
        points,
        seed: 0,
        context: { title: 'bench', stateLabel: 'reset', state: null },
      };
      const t0 = performance.now();
      const n = await loadJobNetworks(job, opt('backend'));
      computeLandscape(job, n.resolved);
      const first = performance.now() - t0;
      const times: number[] = [];
      const cpus: number[] = [];
      for (let i = 0; i < reps; i++) {
        const c = process.cpuUsage();
        const t = performance.now();
        computeLandscape(job, n.resolved);
        times.push(performance.now() - t);
        const u = process.cpuUsage(c);
        cpus.push((u.user + u.system) / 1000);
      }
      n.dispose();
      const shape = axes.length === 1 ? `1-D, ${points} points` : `2-D, ${points} x ${points}`;
      const m = median(times);
      rows.push(`| ${envId} | ${shape} | ${hidden}x${hidden} | ${m.toFixed(1)} | ${median(cpus).toFixed(1)} | ${Math.max(...times).toFixed(1)} | ${first.toFixed(0)} | ${m < 200 ? 'yes' : 'NO'} |`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`landscape (SAC-AdaEnt, every layer + V_soft + AdaEnt's 100 samples + peakedness), backend ${info.backend}, ${reps} reps, load average ${loadavg()[0]!.toFixed(1)}`);
console.log('| env | landscape | network | median wall ms | median CPU ms | max wall ms | load + first ms | wall < 200 ms |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
