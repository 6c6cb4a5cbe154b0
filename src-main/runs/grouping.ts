// Which queued runs may train together as one seed group (issue 12), and how many at most.
// Runs share a group when their resolved configs are equal except for the seed (same environment,
// variant, parameters, algorithm, hyperparameters, budget, evaluation schedule and backend) and
// they start from the same step (both fresh, or both from a checkpoint at the same step), so the
// group's members advance in lockstep. The limit K comes from, in order: the manager's override
// (`lab experiment run --seed-batch K|off`), the run's own `seedBatch` (the experiment's
// `seed_batch`, a Design field), else 'auto': 1 unless batching the algorithm over seeds saves more
// than the parallelism a group gives up (a group runs on one core, where one process per run
// spreads over all of them), and then at most SEED_BATCH_AUTO_MAX and as many as fit in the memory
// share of one worker.
import { freemem, totalmem } from 'node:os';
import { getEnvSpec } from '../../src-core/envs/registry.ts';
import type { RunConfig } from '../../src-core/train/types.ts';

export type SeedBatch = 'auto' | 'off' | number;

/** Largest automatic group: the size the issue's targets are measured at (bench train `_k5`). */
export const SEED_BATCH_AUTO_MAX = 5;

/**
 * Algorithms 'auto' groups. Every algorithm is seed-batched (createSeedBatchedAgent), but only
 * these save much by it: the SAC family and TD3 share the update's elementwise work and Adam over
 * seeds. A PPO group of 5 saves 4-8% of its time per seed (vehicle, 256x256 and 64x64 networks, tfjs-wasm: its
 * matrix products dominate and stay one per seed), less than the second core a group gives up, so
 * 'auto' trains PPO runs one per process; `--seed-batch K` groups them.
 */
export const AUTO_GROUPED_ALGOS: ReadonlySet<string> = new Set<string>(['sac', 'sac-auto', 'sac-adaent', 'td3']);

/** Resident memory of one seed besides its replay buffer (networks, optimiser, env, JS heap share). */
const SEED_OVERHEAD_BYTES = 60 * 2 ** 20;

/** Everything but the seed, as a stable string; with the resume step, the key of a group. */
export function groupKey(config: RunConfig, resumeStep: number): string {
  const { seed: _seed, ...rest } = config as RunConfig & Record<string, unknown>;
  return `${resumeStep}|${stableJson(rest)}`;
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Bytes of one seed's training state: its replay buffer (float32 s, a, r, s', terminated) and the rest. */
export function seedMemoryBytes(config: RunConfig): number {
  const cfg = config.algoConfig as { bufferSize?: number };
  if (!cfg.bufferSize) return SEED_OVERHEAD_BYTES;
  // sizes from the registry, not an environment instance: hopper and opencat would need MuJoCo,
  // which the process that plans groups (main, the CLI) has not loaded
  const spec = getEnvSpec(config.env.id);
  const v = spec.variants.find((x) => x.name === config.env.variant) ?? spec.variants[0]!;
  const perTransition = (2 * v.observationDim + v.actionLow.length + 2) * 4;
  return SEED_OVERHEAD_BYTES + cfg.bufferSize * perTransition;
}

/** Parse `--seed-batch` / `seed_batch`: 'auto', 'off' or an integer >= 1 (1 = off). */
export function parseSeedBatch(text: string): SeedBatch {
  if (text === 'auto' || text === 'off') return text;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`'${text}' is not auto, off or an integer from 1 to 64`);
  return n;
}

/**
 * The most members a group of runs like `config` may have (1: no grouping). `memoryBytes`: the
 * memory one group may use when the caller knows it (a Slurm task's --mem); else a share of this
 * machine's memory among `workers`.
 */
export function seedBatchLimit(config: RunConfig, override: SeedBatch | undefined, workers: number, memoryBytes?: number): number {
  const choice = override ?? (config as { seedBatch?: SeedBatch }).seedBatch ?? 'auto';
  if (choice === 'off') return 1;
  if (typeof choice === 'number') return choice;
  if (!AUTO_GROUPED_ALGOS.has(config.algo)) return 1;
  // half of the machine's memory (or what is free now, if less) shared among the workers
  const share = memoryBytes ?? Math.min(totalmem() / 2, freemem()) / Math.max(1, workers);
  return Math.max(1, Math.min(SEED_BATCH_AUTO_MAX, Math.floor(share / seedMemoryBytes(config))));
}

/**
 * Take the first run of `queue` and the runs after it that may share its seed group (same groupKey,
 * in queue order, at most `limitOf(config)` in all) out of `queue`, and return them. The run
 * manager takes its next worker's runs this way, a Slurm submission its array tasks' runs.
 */
export function takeSeedGroup(
  queue: number[],
  configOf: (id: number) => RunConfig | undefined,
  resumeStepOf: (id: number) => number,
  limitOf: (config: RunConfig) => number,
): number[] {
  const head = queue.shift()!;
  const config = configOf(head);
  if (!config) return [head];
  const limit = limitOf(config);
  if (limit <= 1) return [head];
  const key = groupKey(config, resumeStepOf(head));
  const ids = [head];
  for (let i = 0; i < queue.length && ids.length < limit; ) {
    const other = configOf(queue[i]!);
    if (other && groupKey(other, resumeStepOf(queue[i]!)) === key) ids.push(...queue.splice(i, 1));
    else i++;
  }
  return ids;
}
