// What a run costs on this machine, measured by training briefly (used by `lab reproduce --plan
// --measure` for tasks no stored run has timed yet, and by `npm run bench -- suite`). Per seed, in
// CPU milliseconds of this process (tfjs-wasm computes on one thread, so one run or seed group
// occupies one core):
//   - learning, ms per environment step (collect + update): the difference between two group
//     trainings that differ only in length, a warm-up of W steps alone and W + L steps (PPO: whole
//     rollouts), medians of `reps` repetitions, divided by L and by the group's K seeds;
//   - warm-up (uniform random actions: environment steps only), ms per step;
//   - evaluation, ms per environment step (the deterministic actor, then an environment step).
// A run then costs warm-up x warm-up time + (budget - warm-up) x learning time + evaluation steps x
// evaluation time, with evaluation steps = (budget / interval + 1) x episodes x modes x the
// episode limit (an upper bound: episodes that end early cost less).
import { createAgent } from '../../src-core/algos/index.ts';
import { getEnvSpec, makeEnv } from '../../src-core/envs/registry.ts';
import { Rng } from '../../src-core/rng.ts';
import { medianOf } from '../../src-core/stats/estimators.ts';
import { createGroupTrainer } from '../../src-core/train/index.ts';
import type { RunConfig } from '../../src-core/train/types.ts';
import { ensurePhysicsFor } from '../engine/mujoco.ts';

export interface SpeedProbe {
  /** Per seed, CPU ms per learning step (K seeds trained as one group). */
  learnMs: number;
  /** CPU ms per warm-up step (random actions). */
  warmMs: number;
  /** CPU ms per evaluation step. */
  evalMs: number;
  /** The group size measured. */
  k: number;
}

/** Seconds of CPU time of this process spent in `fn`. */
async function cpuSeconds(fn: () => Promise<void>): Promise<number> {
  const c0 = process.cpuUsage();
  await fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
}

/** CPU seconds of training K seeds of `cfg` for `total` steps (construction and one final evaluation episode included). */
async function trainSeconds(cfg: RunConfig, K: number, total: number, overrides: Record<string, unknown>): Promise<number> {
  const configs = Array.from({ length: K }, (_, k) => ({ ...cfg, seed: 1000 + k, totalSteps: total, evalInterval: total, evalEpisodes: 1, evalModes: ['deterministic' as const], recordEpisodes: 0, algoConfig: { ...cfg.algoConfig, ...overrides } }));
  return cpuSeconds(async () => {
    const g = createGroupTrainer(configs, configs.map(() => ({})));
    await g.run();
    g.dispose();
  });
}

/** Measure `cfg` (its environment, algorithm and networks) as a group of K seeds; the tensor backend must be started. */
export async function probeSpeed(cfg: RunConfig, K: number, opts: { reps: number; learnSteps: number }): Promise<SpeedProbe> {
  await ensurePhysicsFor(cfg.env.id);
  const ac = cfg.algoConfig as { warmupSteps?: number; batchSize?: number; rolloutSteps?: number };
  let W: number;
  let L: number;
  let over: Record<string, unknown>;
  if (cfg.algo === 'ppo') {
    W = ac.rolloutSteps!;
    L = Math.max(1, Math.round(opts.learnSteps / W)) * W;
    over = {};
  } else {
    W = Math.max(ac.batchSize ?? 256, 256);
    L = opts.learnSteps;
    over = { warmupSteps: W, bufferSize: W + L + 10 };
  }
  const short: number[] = [];
  const long: number[] = [];
  for (let r = 0; r < opts.reps; r++) {
    short.push(await trainSeconds(cfg, K, W, over));
    long.push(await trainSeconds(cfg, K, W + L, over));
  }
  // the learning steps' cost is the difference of the two; where timing noise swallows it (a tiny
  // toy PPO costs milliseconds), the long run's whole cost per step, an upper bound, instead of 0
  const diff = medianOf(long) - medianOf(short);
  const learnMs = ((diff > 0 ? diff / L : medianOf(long) / (W + L)) * 1000) / K;
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
  env.close?.();
  const probe = makeEnv(cfg.env.id, cfg.env.variant, cfg.env.params);
  const agent = createAgent(cfg.algo, cfg.algoConfig, probe.observationSpace.dim, probe.actionSpace.dim, new Rng(2));
  const m = 300;
  const evalSecs = await cpuSeconds(async () => {
    let obs = Float32Array.from(probe.reset(rng).observation);
    for (let i = 0; i < m; i++) {
      await agent.act(obs, 1, 'deterministic', rng);
      const res = probe.step(a.fill(0));
      obs = Float32Array.from(res.terminated || res.truncated || probe.elapsedSteps >= probe.maxEpisodeSteps ? probe.reset(rng).observation : res.observation);
    }
  });
  agent.dispose();
  probe.close?.();
  return { learnMs, warmMs: (warmSecs * 1000) / n, evalMs: (evalSecs * 1000) / m, k: K };
}

/** CPU seconds one run of `cfg` costs at the measured speed (left: the steps still to train; default all). */
export function runCoreSeconds(cfg: RunConfig, m: SpeedProbe, left = cfg.totalSteps): number {
  const done = cfg.totalSteps - left;
  const warm = cfg.algo === 'ppo' ? 0 : Math.min(cfg.totalSteps, (cfg.algoConfig as { warmupSteps?: number }).warmupSteps ?? 0);
  const warmLeft = Math.max(0, warm - done);
  const maxSteps = getEnvSpec(cfg.env.id).maxEpisodeSteps;
  const evals = Math.floor(cfg.totalSteps / cfg.evalInterval) + 1;
  const evalsLeft = Math.max(1, Math.ceil((evals * left) / cfg.totalSteps));
  const evalSteps = evalsLeft * cfg.evalEpisodes * cfg.evalModes.length * maxSteps;
  return (warmLeft * m.warmMs + (left - warmLeft) * m.learnMs + evalSteps * m.evalMs) / 1000;
}
