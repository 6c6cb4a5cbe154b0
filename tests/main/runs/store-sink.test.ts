// recordRunToStore: an in-process training run (as `lab train` runs it) lands in the store, and a
// resumed one replaces what it recorded after its checkpoint.
import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src-main/store/index.ts';
import { combineCallbacks, recordRunToStore } from '../../../src-main/runs/store-sink.ts';
import { createFakeTrainer } from './fixtures/fake-trainer.ts';
import { runConfig, useTempStore } from '../store/helpers.ts';

let store: Store;
useTempStore((opened) => (store = opened));

describe('recordRunToStore', () => {
  it('records metrics, episodes, evaluations and checkpoints; a resume continues the same run', async () => {
    const config = runConfig({ totalSteps: 300, evalInterval: 100 });
    const sink = recordRunToStore(store, config, { backend: 'cpu', versions: { tfjs: 'x' } });
    let ckpt: Uint8Array | undefined;
    const own = {
      onCheckpoint: ({ step, bytes }: { step: number; bytes: Uint8Array }) => {
        if (step === 200) ckpt = bytes;
        sink.recordCheckpoint(step, `/ckpt/${step}`, bytes.length);
      },
    };
    // run to 250, as if interrupted there
    const trainer = createFakeTrainer({ ...config, totalSteps: 250 }, combineCallbacks(own, sink.callbacks));
    await trainer.run();
    sink.finish('interrupted', 'test');
    expect(store.runs.get(sink.runId)!.status).toBe('interrupted');
    expect(store.metrics.series(sink.runId, 'charts/fake').count).toBe(250);

    const resumed = recordRunToStore(store, config, { runId: sink.runId, resumeStep: 200 });
    expect(store.metrics.series(sink.runId, 'charts/fake').count).toBe(200);
    const t2 = createFakeTrainer(config, resumed.callbacks, { resume: ckpt });
    await t2.run();
    resumed.finish('completed');
    const r = store.runs.get(sink.runId)!;
    expect(r.status).toBe('completed');
    expect(r.backend).toBe('cpu');
    expect(Array.from(store.metrics.series(sink.runId, 'charts/fake').step)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(store.episodes.count(sink.runId)).toBe(30);
    expect(store.evaluations.list(sink.runId).map((e) => e.step)).toEqual([100, 200, 300]);
    expect(store.checkpoints.list(sink.runId).map((c) => c.step)).toEqual([100, 200]);
  });
});
