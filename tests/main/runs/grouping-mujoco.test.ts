// Seed groups of MuJoCo tasks (issue 16): the run manager plans groups in main (and in `lab
// experiment run`, `lab reproduce`), which never loads MuJoCo. The automatic group size reads a
// seed's replay-buffer size from the registry's spaces; building a hopper there threw ("MuJoCo,
// which this process has not loaded") and stopped the queue. This file loads no MuJoCo.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { resolveRunConfig } from '../../../src-core/train/index.ts';
import type { Store } from '../../../src-main/store/index.ts';
import { RunManager } from '../../../src-main/runs/manager.ts';
import { NodeWorkerHost } from '../../../src-main/runs/host.ts';
import { seedBatchLimit, seedMemoryBytes } from '../../../src-main/runs/grouping.ts';
import { useTempStore } from '../store/helpers.ts';

const ENTRY = new URL('./fixtures/fake-worker.ts', import.meta.url).pathname;

let store: Store;
let dir: string;
useTempStore((opened, d) => {
  store = opened;
  dir = d;
});

describe('seed groups of hopper and opencat runs, planned where MuJoCo is not loaded', () => {
  it('a seed needs 60 MiB plus its replay buffer of float32 (s, a, r, s\', terminated)', () => {
    for (const [env, obs, act] of [['hopper', 11, 3], ['opencat', 246, 8]] as const) {
      const c = resolveRunConfig({ env, algo: 'sac', preset: 'quick', seed: 0 });
      const buffer = (c.algoConfig as { bufferSize: number }).bufferSize;
      expect(seedMemoryBytes(c), env).toBe(60 * 2 ** 20 + buffer * (2 * obs + act + 2) * 4);
      const k = seedBatchLimit(c, undefined, 1);
      expect(k >= 1 && k <= 5, `${env}: ${k}`).toBe(true);
    }
  });

  it('the manager plans two hopper SAC seeds under seed_batch auto and runs them', async () => {
    const manager = new RunManager({ store, host: new NodeWorkerHost({ entry: ENTRY }), concurrency: 1, checkpointDir: (id) => join(dir, `ckpt-${id}`) });
    const config = (seed: number) => ({ ...resolveRunConfig({ env: 'hopper', algo: 'sac', preset: 'quick', seed }), totalSteps: 40, evalInterval: 20 });
    const ids = [0, 1].map((seed) => store.runs.insert(config(seed)));
    try {
      manager.enqueue(ids);
      await manager.waitIdle();
    } finally {
      await manager.shutdown('kill');
    }
    for (const id of ids) expect(store.runs.get(id)!.status).toBe('completed');
    // auto sizes groups by free memory: two seeds share a worker where two fit
    const together = seedBatchLimit(config(0), undefined, 1) >= 2;
    expect(store.runs.get(ids[0]!)!.versions!.seedGroup).toBe(together ? ids.join(',') : undefined);
  });
});
