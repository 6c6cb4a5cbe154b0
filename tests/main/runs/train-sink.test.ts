// openTrainStore: a `lab train` run folder linked to its row in the store; --resume continues it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../../src-main/store/index.ts';
import { openTrainStore } from '../../../src-main/runs/train-sink.ts';
import { createFakeTrainer } from './fixtures/fake-trainer.ts';
import { runConfig, tempDir } from '../store/helpers.ts';

let t: ReturnType<typeof tempDir>;
beforeEach(() => (t = tempDir()));
afterEach(() => t.cleanup());

describe('openTrainStore', () => {
  it('writes the run to the store, links the folder, and resumes the same run id', async () => {
    const folder = join(t.dir, 'run');
    mkdirSync(folder);
    const db = join(t.dir, 'lab.db');
    const config = runConfig({ totalSteps: 300, evalInterval: 100 });
    const backend = { backend: 'cpu', versions: { tfjs: 'x' } };
    const a = openTrainStore(db).begin({ folderDir: folder, config, backend });
    let saved: Uint8Array | undefined;
    const tr = createFakeTrainer({ ...config, totalSteps: 230 }, {
      ...a.callbacks,
      onCheckpoint: ({ step, bytes }) => {
        const f = join(folder, `c${step}`);
        writeFileSync(f, bytes);
        if (step === 200) saved = bytes;
        if (step === 200) rmSync(join(folder, 'c100')); // the folder prunes old files
        a.checkpoint(step, f);
      },
    });
    await tr.run(() => false);
    a.finish('stopped');
    expect(JSON.parse(readFileSync(join(folder, 'store.json'), 'utf8')).runId).toBe(a.runId);

    const b = openTrainStore(db).begin({ folderDir: folder, config, resumeStep: 200, backend });
    expect(b.runId).toBe(a.runId);
    await createFakeTrainer(config, b.callbacks, { resume: saved }).run(() => false);
    b.finish('completed');
    const s = openStore(db);
    const r = s.runs.get(a.runId)!;
    expect(r.status).toBe('completed');
    expect(Array.from(s.metrics.series(a.runId, 'charts/fake').step)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(s.checkpoints.list(a.runId).map((c) => c.step)).toEqual([200]);
    s.close();
    expect(() => openTrainStore(t.dir)).toThrow(/is a directory/);
  });
});
