// `npm run bench -- train [--reps N] [--quick] [--no-torch] [--json]`: training-engine throughput on
// the backend in use, medians of N repetitions (default 5):
//   - SAC and SAC-AdaEnt gradient updates (batch 256, observation 17, action 6), 64x64 and 256x256,
//     one seed (sac_64, ...) and per seed in a K = 5 seed group (sac_64_k5, ...; issue 12), and
//     SAC-AdaEnt with the vehicle quick preset's settings in a K = 5 group (adaent_quick_64_k5);
//   - PPO and SAC environment steps per second of full training (collect + update) on vehicle, and
//     PPO's in a K = 5 seed group, all seeds' steps counted (ppo_vehicle_steps_s_k5);
//   - peak resident memory of a SAC run holding a full 1e6-transition vehicle replay buffer
//     (measured in a child process: fill, train, checkpoint);
//   - with Debian's python3-torch, the PyTorch figure for the same single-seed update
//     (bench/torch_sac.py, run with OPENBLAS_NUM_THREADS=1 and OMP_NUM_THREADS=1: an uncapped
//     OpenBLAS pool oversubscribes 2 cores) and the ratio lab / torch, with the BLAS torch loaded
//     (a warning when it is the reference BLAS, 5-20x slower than OpenBLAS).
// Update times are CPU milliseconds of this process (torch's are CPU time too): on a machine shared
// with other work that is what the code costs; wall-clock is shown beside it in the table.
// --json prints one JSON object instead of the table: per measure { lab_ms, torch_ms?, ratio? }
// (lab_ms holds steps per second for the *_steps_s measures).
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { initBackend } from '../src-main/engine/backend.ts';
import { Rng } from '../src-core/rng.ts';
import { createSeedBatchedAgent } from '../src-core/algos/index.ts';
import { ReplayBuffer } from '../src-core/algos/common/replay_buffer.ts';
import type { Batch, SeedBatchedOffPolicyAgent } from '../src-core/algos/common/types.ts';
import { resolvePreset } from '../src-core/presets/index.ts';
import { createGroupTrainer, resolveRunConfig } from '../src-core/train/index.ts';
import { encodeCheckpoint } from '../src-core/train/codec.ts';
import { makeEnv } from '../src-core/envs/registry.ts';
import type { AlgoId } from '../src-core/train/types.ts';
import { medianOf as median } from '../src-core/stats/estimators.ts';

const args = process.argv.slice(2);
const reps = Number(args[args.indexOf('--reps') + 1]) > 0 && args.includes('--reps') ? Number(args[args.indexOf('--reps') + 1]) : 5;
const quick = args.includes('--quick');
const asJson = args.includes('--json');


/** Wall and CPU milliseconds of `fn`. */
async function timedAsync(fn: () => Promise<void>): Promise<{ wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

/** Per-seed milliseconds of one update of a K-seed agent (each seed its own buffer and generator). */
async function updateBench(algo: AlgoId, cfgOverrides: Record<string, unknown>, K: number, n: number): Promise<{ wall: number; cpu: number }> {
  const rng = new Rng(1);
  const cfg = { ...resolvePreset('vehicle', algo, 'paper').algoConfig, batchSize: 256, ...cfgOverrides };
  const agent = createSeedBatchedAgent(algo, cfg, 17, 6, Array.from({ length: K }, (_, k) => new Rng(1, k))) as SeedBatchedOffPolicyAgent;
  const rngs = Array.from({ length: K }, (_, k) => new Rng(2, k));
  const bufs = rngs.map(() => new ReplayBuffer(20_000, 17, 6, 256));
  const v = (k: number) => Array.from({ length: k }, () => rng.normal());
  for (const buf of bufs) for (let i = 0; i < 20_000; i++) buf.add(v(17), v(6).map(Math.tanh), rng.normal(), v(17), rng.uniform() < 0.01);
  const step = async (metrics: boolean) => {
    const batches: Batch[] = bufs.map((b, k) => b.sample(rngs[k]!));
    await agent.update(batches, rngs, rngs.map(() => metrics));
  };
  for (let i = 0; i < 3; i++) await step(false);
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t = await timedAsync(async () => {
      for (let i = 0; i < n; i++) await step(i === n - 1);
    });
    walls.push(t.wall / n / K);
    cpus.push(t.cpu / n / K);
  }
  agent.dispose();
  return { wall: median(walls), cpu: median(cpus) };
}

async function trainingBench(algo: AlgoId, steps: number, overrides: Record<string, unknown>, K = 1): Promise<{ wall: number; cpu: number }> {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let r = 0; r < reps; r++) {
    const cfgs = Array.from({ length: K }, (_, k) => resolveRunConfig({ env: 'vehicle', algo, preset: 'paper', seed: r * K + k, overrides: { totalSteps: steps, evalInterval: 10 * steps, evalEpisodes: 1, ...overrides } }));
    const group = createGroupTrainer(cfgs, cfgs.map(() => ({})));
    // the final evaluation is excluded: time only collect + update
    const t = await timedAsync(async () => {
      await group.run(() => cfgs.every((_, k) => group.globalStep(k) >= steps - 1));
    });
    group.dispose();
    // the group's throughput: K seeds advanced steps - 1 each in one process (for K = 1, one run's)
    walls.push((K * (steps - 1)) / (t.wall / 1000));
    cpus.push((K * (steps - 1)) / (t.cpu / 1000));
  }
  return { wall: median(walls), cpu: median(cpus) };
}

/** Child process: a SAC agent with a full 1e6 vehicle buffer, 200 updates and one checkpoint; prints max RSS. */
async function rssChild(): Promise<void> {
  await initBackend('wasm');
  const cfg = resolveRunConfig({ env: 'vehicle', algo: 'sac', preset: 'paper', seed: 0, overrides: { totalSteps: 1_000_200, evalInterval: 10_000_000, evalEpisodes: 1 } });
  const agent = createSeedBatchedAgent('sac', cfg.algoConfig, 17, 2, [new Rng(0)]) as SeedBatchedOffPolicyAgent;
  const buffer = new ReplayBuffer(1_000_000, 17, 2, 256);
  const env = makeEnv('vehicle');
  const rng = new Rng(5);
  let obs = Float32Array.from(env.reset(rng).observation);
  const act = new Float64Array(2);
  for (let i = 0; i < 1_000_000; i++) {
    act[0] = rng.uniformRange(-1, 1);
    act[1] = rng.uniformRange(-1, 1);
    const res = env.step(act);
    buffer.add(obs, act, res.reward, res.observation, res.terminated);
    obs = Float32Array.from(res.terminated || res.truncated ? env.reset(rng).observation : res.observation);
  }
  for (let i = 0; i < 200; i++) await agent.update([buffer.sample(rng)], [rng], [false]);
  // what a checkpoint holds: the agent state and the buffer arrays
  const state = agent.saveState(0);
  const saved = buffer.save('replay');
  const arrays: Record<string, { shape: number[]; data: Float32Array }> = { ...saved.tensors };
  for (const [k, t] of Object.entries(state.tensors)) arrays[`agent/${k}`] = t;
  const bytes = encodeCheckpoint({ format: 'maxent-lab-checkpoint', buffer: saved.json }, arrays).length;
  process.stdout.write(JSON.stringify({ size: buffer.size, checkpointMB: bytes / 2 ** 20, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n');
}

interface TorchFigures {
  figures: Record<string, number>;
  /** The BLAS library torch loaded, and whether it is OpenBLAS or the (slow) reference BLAS. */
  blas: string;
  blasKind: 'openblas' | 'reference' | 'other';
}

function torchFigures(): TorchFigures | string {
  if (args.includes('--no-torch')) return 'skipped (--no-torch)';
  // one thread for OpenBLAS and OpenMP: uncapped pools oversubscribe a 2-core machine (~3x slower)
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' };
  const py = spawnSync('/usr/bin/python3', [new URL('./torch_sac.py', import.meta.url).pathname, '--reps', String(reps)], { encoding: 'utf8', timeout: 900_000, env });
  if (py.status !== 0) {
    const why = (py.stderr || py.error?.message || '').trim().split('\n').pop();
    return `not available (${why}); install: apt-get install python3-torch libopenblas0-pthread`;
  }
  const out = JSON.parse(py.stdout.trim().split('\n').pop()!) as { blas: string; blas_kind: TorchFigures['blasKind']; [k: string]: unknown };
  const figures: Record<string, number> = {};
  for (const [k, v] of Object.entries(out)) if (typeof v === 'number') figures[k] = v;
  return { figures, blas: out.blas, blasKind: out.blas_kind };
}

type Measure = { lab_ms: number; wall_ms?: number; torch_ms?: number; ratio?: number };

async function main(): Promise<void> {
  if (args.includes('--rss-child')) return rssChild();
  const info = await initBackend('auto');
  const load = loadavg()[0]!.toFixed(2);
  const log = (line: string) => (asJson ? process.stderr.write(line + '\n') : console.log(line));
  log(`bench train: backend ${info.backend}${info.wasm ? ` (SIMD ${info.wasm.simd}, threads ${info.wasm.threads})` : ''}, tfjs ${info.versions.tfjs}, node ${info.versions.node}, ${reps} repetitions, load average ${load}`);
  const torch = torchFigures();
  const json: Record<string, Measure> = {};
  const rows: string[][] = [['measure', 'cpu ms', 'wall ms', 'pytorch (cpu)', 'ratio', 'target']];
  const quickAdaEnt = resolvePreset('vehicle', 'sac-adaent', 'quick').algoConfig;
  const measures: [string, AlgoId, Record<string, unknown>, number, number, string, string][] = [
    // key, algo, config, K, updates per repetition, torch key, target
    ['sac_64', 'sac', { hidden: [64, 64] }, 1, quick ? 20 : 50, 'sac_64', '-'],
    ['sac_256', 'sac', { hidden: [256, 256] }, 1, quick ? 3 : 10, 'sac_256', '-'],
    ['adaent_64', 'sac-adaent', { hidden: [64, 64] }, 1, quick ? 3 : 10, 'sac-adaent_64', '-'],
    ['adaent_256', 'sac-adaent', { hidden: [256, 256] }, 1, quick ? 1 : 3, 'sac-adaent_256', '-'],
    ['sac_64_k5', 'sac', { hidden: [64, 64] }, 5, quick ? 4 : 10, 'sac_64', 'ratio <= 1.0'],
    ['sac_256_k5', 'sac', { hidden: [256, 256] }, 5, quick ? 1 : 3, 'sac_256', 'ratio <= 1.5'],
    ['adaent_64_k5', 'sac-adaent', { hidden: [64, 64] }, 5, quick ? 1 : 3, 'sac-adaent_64', '-'],
    [`adaent_quick_64_k5`, 'sac-adaent', { hidden: [64, 64], numSamples: quickAdaEnt.numSamples }, 5, quick ? 1 : 3, '', '<= 2x sac_64_k5'],
  ];
  for (const [key, algo, cfg, K, n, torchKey, target] of measures) {
    const t = await updateBench(algo, cfg, K, n);
    const ref = typeof torch === 'object' && torchKey ? torch.figures[torchKey] : undefined;
    const m: Measure = { lab_ms: t.cpu, wall_ms: t.wall };
    if (ref !== undefined) {
      m.torch_ms = ref;
      m.ratio = t.cpu / ref;
    }
    json[key] = m;
    const hid = (cfg.hidden as number[])[0];
    const label = `${algo}${cfg.numSamples !== undefined ? ` quick (N ${String(cfg.numSamples)})` : ''} update ${hid}x${hid}${K > 1 ? `, per seed of K = ${K}` : ''}`;
    rows.push([label, t.cpu.toFixed(2), t.wall.toFixed(2), ref === undefined ? '-' : ref.toFixed(2), m.ratio === undefined ? '-' : `${m.ratio.toFixed(2)}x`, target]);
  }
  const sacK5 = json['sac_64_k5']!.lab_ms;
  const q = json['adaent_quick_64_k5']!;
  rows[rows.length - 1]![5] = `<= 2x sac_64_k5: ${(q.lab_ms / sacK5).toFixed(1)}x`;
  const ppo = await trainingBench('ppo', quick ? 2049 : 4097, {});
  json['ppo_vehicle_steps_s'] = { lab_ms: ppo.cpu, wall_ms: ppo.wall };
  rows.push(['ppo env steps/s, vehicle (paper nets)', ppo.cpu.toFixed(0), ppo.wall.toFixed(0), '-', '-', '-']);
  const ppoK5 = await trainingBench('ppo', quick ? 2049 : 4097, {}, 5);
  json['ppo_vehicle_steps_s_k5'] = { lab_ms: ppoK5.cpu, wall_ms: ppoK5.wall };
  rows.push(['ppo env steps/s of a K = 5 group (all seeds), vehicle (paper nets)', ppoK5.cpu.toFixed(0), ppoK5.wall.toFixed(0), '-', '-', `${(ppoK5.cpu / ppo.cpu).toFixed(2)}x K = 1`]);
  const sac = await trainingBench('sac', quick ? 101 : 301, { warmupSteps: 0 });
  json['sac_vehicle_steps_s'] = { lab_ms: sac.cpu, wall_ms: sac.wall };
  rows.push(['sac env steps/s, vehicle (paper nets)', sac.cpu.toFixed(0), sac.wall.toFixed(0), '-', '-', '-']);
  if (asJson) {
    const meta = { backend: info.backend, load_average: Number(load), reps, time: 'cpu ms of this process (wall_ms beside)', torch: typeof torch === 'object' ? `${torch.blas} (${torch.blasKind})` : torch };
    process.stdout.write(JSON.stringify({ ...json, _meta: meta }) + '\n');
    return;
  }
  if (!args.includes('--no-rss')) {
    const child = spawnSync(process.execPath, ['--expose-gc', new URL(import.meta.url).pathname, '--rss-child'], { encoding: 'utf8', timeout: 1_800_000 });
    if (child.status === 0) {
      const r = JSON.parse(child.stdout.trim().split('\n').pop()!) as { size: number; checkpointMB: number; maxRssMB: number };
      rows.push([`sac peak RSS, vehicle buffer ${r.size} (MB)`, r.maxRssMB.toFixed(0), '-', '-', `checkpoint ${r.checkpointMB.toFixed(0)} MB`, `< 400 ${r.maxRssMB < 400 ? 'pass' : 'FAIL'}`]);
    } else rows.push(['sac peak RSS, 1e6 vehicle buffer', 'error', child.stderr.trim().split('\n').pop() ?? '', '-', '-', '-']);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows) console.log(r.map((x, c) => x.padEnd(widths[c]!)).join('  '));
  if (typeof torch === 'string') console.log(`pytorch: ${torch}`);
  else {
    console.log(`pytorch: BLAS ${torch.blas} (${torch.blasKind}), OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1`);
    if (torch.blasKind === 'reference') console.log('WARNING: torch runs on the reference BLAS (5-20x slower than OpenBLAS): the ratios flatter the lab. Install libopenblas0-pthread and select it with update-alternatives --config libblas.so.3-x86_64-linux-gnu.');
  }
}

await main();
