// The rollout fan of a stored policy, through the shipped worker entry as the app runs it: the
// deterministic episode is the preview's from the same seed, every stochastic episode starts where
// it does, and stochastic episode k is the stochastic preview from that state with seed
// samplingSeed + k (so each is reproducible alone); distinct seeds fan out; bad requests name the field.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FanArgs } from '../../../src-core/contract/methods/analysis.ts';
import { PreviewArgs } from '../../../src-core/contract/methods/scenes.ts';
import { createTrainer, resolveRunConfig } from '../../../src-core/train/index.ts';
import { analysisHandlers } from '../../../src-main/api/analysis.ts';
import { sceneHandlers } from '../../../src-main/api/scenes.ts';
import type { Services } from '../../../src-main/api/services.ts';
import { initBackend } from '../../../src-main/engine/backend.ts';
import { fans } from '../../../src-main/preview/fans.ts';
import { workerFanRunner, workerPreviewRunner } from '../../../src-main/preview/preview-worker.ts';
import { storedPolicies } from '../../../src-main/preview/stored-policy.ts';
import { NodeWorkerHost } from '../../../src-main/runs/host.ts';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('rollout fan (sac-auto on pendulum, tiny networks)', () => {
  it('the deterministic preview and K stochastic previews from its start, one worker for all', async () => {
    const cfg = resolveRunConfig({
      env: 'pendulum', algo: 'sac-auto', preset: 'quick', seed: 5,
      overrides: { totalSteps: 120, evalInterval: 120, evalEpisodes: 1, hidden: '16,16', batchSize: 32, warmupSteps: 60 },
    });
    const trainer = createTrainer(cfg, {});
    expect(await trainer.run()).toBe('completed');
    const bytes = trainer.checkpoint();
    trainer.dispose();
    const file = join(mkdtempSync(join(tmpdir(), 'lab-fan-')), 'ckpt-120.bin');
    writeFileSync(file, bytes);
    const index = { list: () => [{ step: 120, file, size: bytes.length }], config: (id: number) => (id === 1 ? (cfg as unknown as Record<string, unknown>) : undefined) };
    const host = new NodeWorkerHost();
    let spawned = 0;
    const spawn = () => (spawned++, host.spawn());
    const fan = analysisHandlers({} as Services, null, fans(index, workerFanRunner({ spawn })))['analysis.fan'];
    const preview = sceneHandlers({} as Services, storedPolicies(index, workerPreviewRunner({ spawn })))['scenes.preview'];

    const r = await fan(FanArgs.parse({ run: { runId: 1, step: 120 }, start: { kind: 'seed', seed: 7 }, count: 3, samplingSeed: 40, steps: 60 }));
    expect(spawned).toBe(1);
    expect(r).toMatchObject({ runId: 1, step: 120, algo: 'sac-auto', envId: 'pendulum', label: 'run 1 (sac-auto, seed 5) at step 120', startLabel: "the environment's reset from seed 7", stateDim: 2 });
    expect(r.stochastic.map((e) => e.samplingSeed)).toEqual([40, 41, 42]);
    expect(r.deterministic.length).toBe(60);

    const det = await preview(PreviewArgs.parse({ envId: 'pendulum', seed: 7, steps: 60, policy: { kind: 'checkpoint', runId: 1, step: 120 } }));
    expect(r.deterministic.states).toEqual(det.states);
    expect(r.deterministic.rewards).toEqual(det.rewards);
    const start = det.states.slice(0, 2);
    for (const [k, e] of r.stochastic.entries()) {
      expect(e.states.slice(0, 2)).toEqual(start);
      const alone = await preview(PreviewArgs.parse({ envId: 'pendulum', seed: 40 + k, initialState: start, steps: 60, policy: { kind: 'checkpoint', runId: 1, step: 120, mode: 'stochastic' } }));
      expect(e.states).toEqual(alone.states);
      expect(e.return).toBe(alone.return);
    }
    // the policy's randomness fans the episodes out from the one start
    expect(r.stochastic[0]!.states).not.toEqual(r.stochastic[1]!.states);
    expect(r.stochastic[0]!.states).not.toEqual(r.deterministic.states);

    // the same request again: the kept answer, no worker
    const before = spawned;
    expect(await fan(FanArgs.parse({ run: { runId: 1, step: 120 }, start: { kind: 'seed', seed: 7 }, count: 3, samplingSeed: 40, steps: 60 }))).toEqual(r);
    expect(spawned).toBe(before);

    // bad requests name the field
    await expect(fan(FanArgs.parse({ run: { runId: 1, step: 999 }, start: { kind: 'seed', seed: 0 } }))).rejects.toMatchObject({ code: 'not_found', path: 'run.step' });
    await expect(fan(FanArgs.parse({ run: { runId: 2, step: 120 }, start: { kind: 'seed', seed: 0 } }))).rejects.toMatchObject({ code: 'not_found', path: 'run.runId' });
    await expect(fan(FanArgs.parse({ run: { runId: 1, step: 120 }, start: { kind: 'state', state: [0.1] }, count: 2 }))).rejects.toMatchObject({ code: 'invalid_args', path: 'start.state' });
    expect(() => FanArgs.parse({ run: { runId: 1, step: 120 }, start: { kind: 'seed', seed: 0 }, count: 65 })).toThrow();
  }, 120_000);
});
