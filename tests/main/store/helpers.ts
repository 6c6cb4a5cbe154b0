// Shared helpers of the store tests: a temp folder per test (or a fresh store in one), and a
// minimal RunConfig.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { RunConfig } from '../../../src-core/train/types.ts';
import { openStore, type Store } from '../../../src-main/store/index.ts';

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'lab-store-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A fresh store (lab.db in a temp folder) for each test of the calling file, closed and removed
 * after it: `let store: Store; useTempStore((s) => (store = s));`. `dir` is the temp folder.
 */
export function useTempStore(opened: (store: Store, dir: string) => void): void {
  let t: ReturnType<typeof tempDir> | null = null;
  let store: Store | null = null;
  beforeEach(() => {
    t = tempDir();
    store = openStore(join(t.dir, 'lab.db'));
    opened(store, t.dir);
  });
  afterEach(() => {
    store?.close();
    t?.cleanup();
    store = null;
    t = null;
  });
}

export function runConfig(over: Partial<RunConfig> = {}): RunConfig {
  return {
    env: { id: 'toy', variant: 'default', params: {} },
    algo: 'ppo',
    preset: 'quick',
    seed: 0,
    totalSteps: 1000,
    evalInterval: 100,
    evalEpisodes: 2,
    evalModes: ['deterministic'],
    recordEpisodes: 0,
    evalSeed: 7,
    algoConfig: { gamma: 0.99, learning_rate: 0.001 },
    ...over,
  };
}

/** Run `fn` with process.stdout.write captured; returns what it wrote and the result. */
export async function captureStdout<T>(fn: () => Promise<T>): Promise<{ out: string; value: T }> {
  const orig = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  }) as typeof process.stdout.write;
  try {
    const value = await fn();
    return { out, value };
  } finally {
    process.stdout.write = orig;
  }
}

/** A store with one experiment and `n` runs holding a few metrics, episodes and evaluations. */
export function seedStore(store: Store, n = 3): number[] {
  const exp = store.experiments.insert({ name: 'seeded', spec: { name: 'seeded' }, tags: ['t1'] });
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const id = store.runs.insert(runConfig({ seed: i, algo: i % 2 ? 'sac' : 'ppo', env: { id: i === 2 ? 'acrobot' : 'toy', variant: 'default', params: {} } }), {
      experimentId: exp,
      tags: i === 0 ? ['best'] : [],
    });
    store.metrics.append(id, [
      { key: 'charts/SPS', step: 10, wallTime: 1, value: 100 },
      { key: 'losses/qf1_loss', step: 10, wallTime: 1, value: 2 },
      { key: 'losses/qf2_loss', step: 10, wallTime: 1, value: 4 },
      { key: 'losses/actor_loss', step: 20, wallTime: 2, value: Number.NaN },
      { key: 'eval/deterministic/return_mean', step: 20, wallTime: 2.5, value: -1.5 },
    ]);
    store.tx(() => {
      store.episodes.insert(id, { step: 2, return: 1, length: 2, wallTime: 0.1 });
      store.episodes.insert(id, { step: 4, return: -1, length: 2, wallTime: 0.2 });
      store.episodes.insert(id, { step: 12, return: 3, length: 8, wallTime: 1.2 });
    });
    store.evaluations.insert(id, { step: 20, mode: 'deterministic', returns: [-1, -2], lengths: [2, 2], startSeeds: [1, 2], wallTime: 2.5 });
    store.runs.setLastEval(id, 'deterministic', -1.5);
    store.runs.setStatus(id, i === 0 ? 'completed' : 'paused');
    ids.push(id);
  }
  return ids;
}
