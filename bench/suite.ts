// `npm run bench -- suite [--reps N] [--learn N] [--group K|off] [--only NAME] [--algos A,B] [--json]`: what
// the quick suite (resources/experiments/*.quick.yaml) costs on this machine's backend, in
// core-hours (issue 12, section 4). Per distinct run config (runs identical but for seed), medians
// of N repetitions (default 5) of:
//   - the learning phase, ms per environment step (collect + update), from two trainings that
//     differ only in length: a warm-up of W steps alone, and W + L steps (PPO: whole rollouts);
//     with --group K (default 5, at most the file's seeds), as one seed group of K, per seed;
//   - the warm-up phase (uniform random actions: environment steps only), ms per step;
//   - evaluation, ms per environment step (deterministic actor + environment step).
// A run costs warm-up x warm-up time + (budget - warm-up) x learning time + evaluation steps x
// evaluation time, where evaluation steps = (budget / interval + 1) x episodes x modes x the
// episode limit (an upper bound: episodes that end early cost less). An experiment costs the sum
// over its runs (each run on one core: tfjs-wasm uses one thread per process). It prints a line
// per experiment and the total, against the issue's target of 16 core-hours.
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { initBackend } from '../src-main/engine/backend.ts';
import { loadPhysics } from '../src-main/engine/mujoco.ts';
import { parseExperimentText } from '../src-core/contract/experiment.ts';
import { createAgent } from '../src-core/algos/index.ts';
import { makeEnv } from '../src-core/envs/registry.ts';
import { Rng } from '../src-core/rng.ts';
import { createGroupTrainer } from '../src-core/train/index.ts';
import type { RunConfig } from '../src-core/train/types.ts';
import { groupKey } from '../src-main/runs/grouping.ts';

const args = process.argv.slice(2);
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const reps = Number(flag('--reps') ?? 5);
const learnSteps = Number(flag('--learn') ?? 200);
const groupFlag = flag('--group') ?? '5';
const groupMax = groupFlag === 'off' ? 1 : Number(groupFlag);
const only = flag('--only');
const algos = flag('--algos')?.split(',');
const json = args.includes('--json');
const TARGET_CORE_HOURS = 16;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** Seconds of CPU time of this process spent in `fn`. */
async function cpuSeconds(fn: () => Promise<void>): Promise<number> {
  const c0 = process.cpuUsage();
  await fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
}

/** CPU seconds of training K seeds of `cfg` for `total` steps (construction and the final evaluation included). */
async function trainSeconds(cfg: RunConfig, K: number, total: number, overrides: Record<string, unknown>): Promise<number> {
  const configs = Array.from({ length: K }, (_, k) => ({ ...cfg, seed: 1000 + k, totalSteps: total, evalInterval: total, evalEpisodes: 1, evalModes: ['deterministic' as const], recordEpisodes: 0, algoConfig: { ...cfg.algoConfig, ...overrides } }));
  let secs = 0;
  secs = await cpuSeconds(async () => {
    const g = createGroupTrainer(configs, configs.map(() => ({})));
    await g.run();
    g.dispose();
  });
  return secs;
}

interface Measure {
  learnMs: number;
  warmMs: number;
  evalMs: number;
  k: number;
}

/** Per seed: ms per learning step (K seeds as one group), per warm-up step and per evaluation step. */
async function measure(cfg: RunConfig, K: number): Promise<Measure> {
  const ac = cfg.algoConfig as { warmupSteps?: number; batchSize?: number; rolloutSteps?: number; bufferSize?: number };
  const onPolicy = cfg.algo === 'ppo';
  let W: number;
  let L: number;
  let over: Record<string, unknown>;
  if (onPolicy) {
    W = ac.rolloutSteps!;
    L = Math.max(1, Math.round(learnSteps / W)) * W;
    over = {};
  } else {
    W = Math.max(ac.batchSize ?? 256, 256);
    L = learnSteps;
    over = { warmupSteps: W, bufferSize: W + L + 10 };
  }
  const short: number[] = [];
  const long: number[] = [];
  for (let r = 0; r < reps; r++) {
    short.push(await trainSeconds(cfg, K, W, over));
    long.push(await trainSeconds(cfg, K, W + L, over));
  }
  const learnMs = Math.max(0, (median(long) - median(short)) * 1000) / L / K;
  // warm-up: uniform random actions, environment steps only
  const env = makeEnv(cfg.env.id, cfg.env.variant, cfg.env.params);
  const rng = new Rng(1);
  const a = new Float64Array(env.actionSpace.dim);
  const n = 5000;
  const warmSecs = await cpuSeconds(async () => {
    env.reset(rng);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < a.length; j++) a[j] = rng.uniformRange(env.actionSpace.low[j]!, env.actionSpace.high[j]!);
      const res = env.step(a);
      if (res.terminated || res.truncated || env.elapsedSteps >= env.maxEpisodeSteps) env.reset(rng);
    }
  });
  // evaluation: the deterministic actor on one state, then an environment step
  const probe = makeEnv(cfg.env.id, cfg.env.variant, cfg.env.params);
  const agent = createAgent(cfg.algo, cfg.algoConfig, probe.observationSpace.dim, probe.actionSpace.dim, new Rng(2));
  const m = 300;
  const evalSecs = await cpuSeconds(async () => {
    let obs = Float32Array.from(probe.reset(rng).observation);
    for (let i = 0; i < m; i++) {
      agent.act(obs, 1, 'deterministic', rng);
      const res = probe.step(a.fill(0));
      obs = Float32Array.from(res.terminated || res.truncated || probe.elapsedSteps >= probe.maxEpisodeSteps ? probe.reset(rng).observation : res.observation);
    }
  });
  agent.dispose();
  return { learnMs, warmMs: (warmSecs * 1000) / n, evalMs: (evalSecs * 1000) / m, k: K };
}

interface Line {
  experiment: string;
  algo: string;
  budget: number;
  seeds: number;
  group: number;
  learnStepsPerSec: number;
  coreHours: number;
}

async function main(): Promise<void> {
  const info = await initBackend('auto');
  await loadPhysics(); // hopper, opencat: MuJoCo
  const dir = new URL('../resources/experiments/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.quick.yaml') && (!only || f.startsWith(only))).sort();
  if (!json) console.log(`bench suite: backend ${info.backend}, ${reps} repetitions, ${learnSteps} learning steps, seed groups ${groupMax > 1 ? `of up to ${groupMax}` : 'off'}, load average ${loadavg()[0]!.toFixed(2)}; CPU time per core`);
  const lines: Line[] = [];
  for (const f of files) {
    const r = parseExperimentText(readFileSync(new URL(f, dir), 'utf8'));
    if (!r.runs) throw new Error(`${f}: ${r.issues[0]?.message}`);
    const groups = new Map<string, RunConfig[]>();
    for (const run of r.runs) {
      const key = groupKey(run.config, -1);
      groups.set(key, [...(groups.get(key) ?? []), run.config]);
    }
    for (const configs of groups.values()) {
      const cfg = configs[0]!;
      if (algos && !algos.includes(cfg.algo)) continue;
      const K = Math.max(1, Math.min(groupMax, configs.length));
      const m = await measure(cfg, K);
      const warm = cfg.algo === 'ppo' ? 0 : Math.min(cfg.totalSteps, (cfg.algoConfig as { warmupSteps?: number }).warmupSteps ?? 0);
      const env = makeEnv(cfg.env.id, cfg.env.variant, cfg.env.params);
      const evalSteps = (Math.floor(cfg.totalSteps / cfg.evalInterval) + 1) * cfg.evalEpisodes * cfg.evalModes.length * env.maxEpisodeSteps;
      const runSecs = (warm * m.warmMs + (cfg.totalSteps - warm) * m.learnMs + evalSteps * m.evalMs) / 1000;
      const line: Line = {
        experiment: f.replace('.quick.yaml', ''),
        algo: cfg.algo,
        budget: cfg.totalSteps,
        seeds: configs.length,
        group: K,
        learnStepsPerSec: m.learnMs > 0 ? 1000 / m.learnMs : Infinity,
        coreHours: (runSecs * configs.length) / 3600,
      };
      lines.push(line);
      if (!json) console.log(`  ${line.experiment.padEnd(22)} ${line.algo.padEnd(10)} ${String(line.budget).padStart(8)} steps x ${line.seeds} seeds (groups of ${K})  ${line.learnStepsPerSec.toFixed(1).padStart(8)} learning steps/s  ${line.coreHours.toFixed(2).padStart(7)} core-h`);
    }
  }
  const perExperiment = new Map<string, number>();
  for (const l of lines) perExperiment.set(l.experiment, (perExperiment.get(l.experiment) ?? 0) + l.coreHours);
  const total = lines.reduce((a, l) => a + l.coreHours, 0);
  if (json) {
    console.log(JSON.stringify({ backend: info.backend, reps, learnSteps, group: groupMax, lines, experiments: Object.fromEntries(perExperiment), totalCoreHours: total, target: TARGET_CORE_HOURS }));
    return;
  }
  for (const [name, h] of perExperiment) console.log(`${name.padEnd(24)} ${h.toFixed(2).padStart(8)} core-hours`);
  console.log(`${'quick suite'.padEnd(24)} ${total.toFixed(2).padStart(8)} core-hours (target <= ${TARGET_CORE_HOURS}: ${total <= TARGET_CORE_HOURS ? 'pass' : 'FAIL'})`);
}

await main();
