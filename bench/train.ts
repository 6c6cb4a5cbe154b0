// `npm run bench -- train [--reps N] [--quick] [--no-torch]`: training-engine throughput on the
// backend in use, medians of N repetitions (default 5):
//   - SAC and SAC-AdaEnt gradient updates (batch 256, observation 17, action 6), 64x64 and 256x256;
//   - PPO and SAC environment steps per second of full training (collect + update) on vehicle;
//   - peak resident memory of a SAC run holding a full 1e6-transition vehicle replay buffer
//     (measured in a child process: fill, train, checkpoint);
//   - with Debian's python3-torch, the PyTorch figure for the same SAC update (bench/torch_sac.py)
//     and the ratio. Targets (wasm): <= 12 ms/update at 64x64, <= 110 ms at 256x256, < 400 MB.
// Each time is reported as wall-clock and as CPU time of this process: on a machine shared with
// other work the CPU-time figure is what the code costs; on an idle machine they agree.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { initBackend } from '../src-main/engine/backend.ts';
import { Rng } from '../src-core/rng.ts';
import { createAgent } from '../src-core/algos/index.ts';
import { ReplayBuffer } from '../src-core/algos/common/replay_buffer.ts';
import type { OffPolicyAgent } from '../src-core/algos/common/types.ts';
import { resolvePreset } from '../src-core/presets/index.ts';
import { createTrainer, resolveRunConfig } from '../src-core/train/index.ts';
import { makeEnv } from '../src-core/envs/registry.ts';
import type { AlgoId } from '../src-core/train/types.ts';

const args = process.argv.slice(2);
const reps = Number(args[args.indexOf('--reps') + 1]) > 0 && args.includes('--reps') ? Number(args[args.indexOf('--reps') + 1]) : 5;
const quick = args.includes('--quick');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** Wall and CPU milliseconds of `fn`. */
function timed(fn: () => void): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

async function timedAsync(fn: () => Promise<void>): Promise<{ wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

function updateBench(algo: AlgoId, hidden: number, n: number): { wall: number; cpu: number } {
  const rng = new Rng(1);
  const cfg = { ...resolvePreset('vehicle', algo, 'paper').algoConfig, hidden: [hidden, hidden], batchSize: 256 };
  const agent = createAgent(algo, cfg, 17, 6, rng) as OffPolicyAgent;
  const buf = new ReplayBuffer(20_000, 17, 6, 256);
  const v = (k: number) => Array.from({ length: k }, () => rng.normal());
  for (let i = 0; i < 20_000; i++) buf.add(v(17), v(6).map(Math.tanh), rng.normal(), v(17), rng.uniform() < 0.01);
  for (let i = 0; i < 3; i++) agent.update(buf.sample(rng), rng, false);
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t = timed(() => {
      for (let i = 0; i < n; i++) agent.update(buf.sample(rng), rng, i === n - 1);
    });
    walls.push(t.wall / n);
    cpus.push(t.cpu / n);
  }
  agent.dispose();
  return { wall: median(walls), cpu: median(cpus) };
}

async function trainingBench(algo: AlgoId, steps: number, overrides: Record<string, unknown>): Promise<{ wall: number; cpu: number }> {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let r = 0; r < reps; r++) {
    const cfg = resolveRunConfig({ env: 'vehicle', algo, preset: 'paper', seed: r, overrides: { totalSteps: steps, evalInterval: 10 * steps, evalEpisodes: 1, ...overrides } });
    const trainer = createTrainer(cfg, {});
    // the final evaluation is excluded: time only collect + update
    let t: { wall: number; cpu: number } = { wall: 0, cpu: 0 };
    t = await timedAsync(async () => {
      await trainer.run(() => trainer.globalStep >= steps - 1);
    });
    trainer.dispose();
    walls.push((steps - 1) / (t.wall / 1000));
    cpus.push((steps - 1) / (t.cpu / 1000));
  }
  return { wall: median(walls), cpu: median(cpus) };
}

/** Child process: a SAC agent with a full 1e6 vehicle buffer, 200 updates and one checkpoint; prints max RSS. */
async function rssChild(): Promise<void> {
  await initBackend('wasm');
  const cfg = resolveRunConfig({ env: 'vehicle', algo: 'sac', preset: 'paper', seed: 0, overrides: { totalSteps: 1_000_200, evalInterval: 10_000_000, evalEpisodes: 1 } });
  const trainer = createTrainer(cfg, {}) as unknown as { buffer: ReplayBuffer; checkpoint(): Uint8Array; run(s: () => boolean): Promise<unknown>; globalStep: number };
  const env = makeEnv('vehicle');
  const rng = new Rng(5);
  let obs = Float32Array.from(env.reset(rng).observation);
  const act = new Float64Array(2);
  for (let i = 0; i < 1_000_000; i++) {
    act[0] = rng.uniformRange(-1, 1);
    act[1] = rng.uniformRange(-1, 1);
    const res = env.step(act);
    trainer.buffer.add(obs, act, res.reward, res.observation, res.terminated);
    obs = Float32Array.from(res.terminated || res.truncated ? env.reset(rng).observation : res.observation);
  }
  const agent = (trainer as unknown as { agent: OffPolicyAgent }).agent;
  for (let i = 0; i < 200; i++) agent.update(trainer.buffer.sample(rng), rng, false);
  const bytes = trainer.checkpoint();
  process.stdout.write(JSON.stringify({ size: trainer.buffer.size, checkpointMB: bytes.length / 2 ** 20, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n');
}

function torchFigures(): Record<string, number> | string {
  if (args.includes('--no-torch')) return 'skipped (--no-torch)';
  const py = spawnSync('/usr/bin/python3', [new URL('./torch_sac.py', import.meta.url).pathname, '--reps', String(reps)], { encoding: 'utf8', timeout: 900_000 });
  if (py.status !== 0) {
    const why = (py.stderr || py.error?.message || '').trim().split('\n').pop();
    return `not available (${why}); install: apt-get install python3-torch libopenblas0-pthread`;
  }
  return JSON.parse(py.stdout.trim().split('\n').pop()!) as Record<string, number>;
}

async function main(): Promise<void> {
  if (args.includes('--rss-child')) return rssChild();
  const info = await initBackend('auto');
  const load = loadavg()[0]!.toFixed(2);
  console.log(`bench train: backend ${info.backend}${info.wasm ? ` (SIMD ${info.wasm.simd}, threads ${info.wasm.threads})` : ''}, tfjs ${info.versions.tfjs}, node ${info.versions.node}, ${reps} repetitions, load average ${load}`);
  const torch = torchFigures();
  const rows: string[][] = [['measure', 'wall', 'cpu', 'target', 'pytorch (cpu)', 'ratio']];
  const n64 = quick ? 20 : 50;
  const n256 = quick ? 3 : 10;
  for (const [algo, hidden, n, target] of [['sac', 64, n64, 12], ['sac', 256, n256, 110], ['sac-adaent', 64, quick ? 3 : 10, NaN], ['sac-adaent', 256, quick ? 1 : 3, NaN]] as const) {
    const t = updateBench(algo, hidden, n);
    const key = `${algo}_${hidden}`;
    const ref = typeof torch === 'object' ? torch[key] : undefined;
    rows.push([
      `${algo} update ${hidden}x${hidden} (ms)`,
      t.wall.toFixed(2),
      t.cpu.toFixed(2),
      Number.isNaN(target) ? '-' : `<= ${target} ${t.wall <= target ? 'pass' : t.cpu <= target ? 'pass (cpu)' : 'FAIL'}`,
      ref === undefined ? '-' : ref.toFixed(2),
      ref === undefined ? '-' : `${(t.cpu / ref).toFixed(1)}x`,
    ]);
  }
  const ppo = await trainingBench('ppo', quick ? 2049 : 4097, {});
  rows.push(['ppo env steps/s, vehicle (paper nets)', ppo.wall.toFixed(0), ppo.cpu.toFixed(0), '-', '-', '-']);
  const sac = await trainingBench('sac', quick ? 101 : 301, { warmupSteps: 0 });
  rows.push(['sac env steps/s, vehicle (paper nets)', sac.wall.toFixed(0), sac.cpu.toFixed(0), '-', '-', '-']);
  const child = spawnSync(process.execPath, ['--expose-gc', new URL(import.meta.url).pathname, '--rss-child'], { encoding: 'utf8', timeout: 1_800_000 });
  if (child.status === 0) {
    const r = JSON.parse(child.stdout.trim().split('\n').pop()!) as { size: number; checkpointMB: number; maxRssMB: number };
    rows.push([`sac peak RSS, vehicle buffer ${r.size} (MB)`, r.maxRssMB.toFixed(0), '-', `< 400 ${r.maxRssMB < 400 ? 'pass' : 'FAIL'}`, '-', `checkpoint ${r.checkpointMB.toFixed(0)} MB`]);
  } else rows.push(['sac peak RSS, 1e6 vehicle buffer', 'error', child.stderr.trim().split('\n').pop() ?? '', '-', '-', '-']);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows) console.log(r.map((x, c) => x.padEnd(widths[c]!)).join('  '));
  if (typeof torch === 'string') console.log(`pytorch: ${torch}`);
}

await main();
