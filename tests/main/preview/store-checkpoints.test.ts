// The scenes handlers over a real run store: a run's checkpoints as stored, unknown runs refused,
// and a stored policy at a checkpoint whose file is not a checkpoint reported, not crashing main.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PreviewArgs } from '../../../src-core/contract/methods/scenes.ts';
import { resolveRunConfig } from '../../../src-core/train/index.ts';
import { sceneHandlers } from '../../../src-main/api/scenes.ts';
import type { Services } from '../../../src-main/api/services.ts';
import { Store } from '../../../src-main/store/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'lab-scenes-store-'));
const store = new Store(join(dir, 'lab.db'));
afterAll(() => store.db.close());

describe('scenes handlers on the run store', () => {
  const cfg = resolveRunConfig({ env: 'pendulum', algo: 'sac-auto', preset: 'quick', seed: 1 });
  const runId = store.runs.insert(cfg);
  const bad = join(dir, 'not-a-checkpoint.bin');
  writeFileSync(bad, 'hello');
  store.checkpoints.insert(runId, 1000, bad, 5);
  store.checkpoints.insert(runId, 2000, bad, 5);
  const h = sceneHandlers({ store } as unknown as Services);

  it('lists the checkpoints of a run in step order', async () => {
    expect(await h['scenes.checkpoints']({ runId })).toEqual([
      { step: 1000, size: 5 },
      { step: 2000, size: 5 },
    ]);
    await expect(Promise.resolve().then(() => h['scenes.checkpoints']({ runId: runId + 99 }))).rejects.toMatchObject({ code: 'not_found', path: 'runId' });
  });

  it('a file that is not a checkpoint is reported with the reason', async () => {
    await expect(h['scenes.preview'](PreviewArgs.parse({ envId: 'pendulum', policy: { kind: 'checkpoint', runId, step: 2000 } }))).rejects.toThrow(/bad magic|not a MaxEnt Lab checkpoint|too short/);
  });
});
