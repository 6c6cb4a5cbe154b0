// A run on a MuJoCo environment records the engine's version (issue 16): the training worker loads
// MuJoCo for hopper and opencat before it says ready and adds `mujoco` to the versions the store
// keeps with the run, as `lab train` does; a run on another environment records none.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { resolveRunConfig } from '../../../src-core/train/index.ts';
import { loadPhysics } from '../../../src-main/engine/mujoco.ts';
import type { Store } from '../../../src-main/store/index.ts';
import { RunManager } from '../../../src-main/runs/manager.ts';
import { NodeWorkerHost } from '../../../src-main/runs/host.ts';
import { useTempStore } from '../store/helpers.ts';

const TINY = { totalSteps: 40, evalInterval: 40, evalEpisodes: 1, recordEpisodes: 0, batchSize: 8, warmupSteps: 30, hidden: [8, 8] };

let store: Store;
let dir: string;
useTempStore((opened, d) => {
  store = opened;
  dir = d;
});

describe('versions recorded with a run by the training worker', () => {
  it('hopper records the MuJoCo version it ran on; the toy records none', async () => {
    const expected = (await loadPhysics()).mujoco.mj_versionString();
    expect(expected).toMatch(/^\d+\.\d+\.\d+/);
    const manager = new RunManager({ store, host: new NodeWorkerHost(), concurrency: 2, checkpointDir: (id) => join(dir, `ckpt-${id}`) });
    const hopper = store.runs.insert(resolveRunConfig({ env: 'hopper', algo: 'sac', preset: 'quick', seed: 1, overrides: TINY }));
    const toy = store.runs.insert(resolveRunConfig({ env: 'toy', algo: 'sac', preset: 'quick', seed: 1, overrides: TINY }));
    try {
      manager.enqueue([hopper, toy]);
      await manager.waitIdle();
    } finally {
      await manager.shutdown('kill');
    }
    const h = store.runs.get(hopper)!;
    expect(h.status, store.logs.tail(hopper, 20).map((l) => l.message).join('\n')).toBe('completed');
    expect(h.versions!.mujoco).toBe(expected);
    expect(h.versions!.backendRequested).toBe('auto'); // the backend's versions are kept beside it
    const o = store.runs.get(toy)!;
    expect(o.status).toBe('completed');
    expect(o.versions!.mujoco).toBeUndefined();
  }, 60_000);
});
