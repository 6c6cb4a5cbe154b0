// A stored policy at a checkpoint, previewed from an evaluation's start seed in deterministic
// mode, replays that evaluation's recorded episode (same start state, same actions, same rewards).
// The preview runs in a worker process (the shipped worker entry), as it does in the app.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PreviewArgs } from '../../../src-core/contract/methods/scenes.ts';
import { createTrainer, resolveRunConfig, type Trajectory } from '../../../src-core/train/index.ts';
import { sceneHandlers } from '../../../src-main/api/scenes.ts';
import type { Services } from '../../../src-main/api/services.ts';
import { initBackend } from '../../../src-main/engine/backend.ts';
import { workerPreviewRunner } from '../../../src-main/preview/preview-worker.ts';
import { storedPolicies } from '../../../src-main/preview/stored-policy.ts';
import { NodeWorkerHost } from '../../../src-main/runs/host.ts';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('stored policy preview (sac-auto on pendulum, tiny networks)', () => {
  it('reproduces the final deterministic evaluation episode from its start seed', async () => {
    const cfg = resolveRunConfig({
      env: 'pendulum', algo: 'sac-auto', preset: 'quick', seed: 3,
      overrides: { totalSteps: 120, evalInterval: 120, evalEpisodes: 1, recordEpisodes: 1, hidden: '16,16', batchSize: 32, warmupSteps: 60 },
    });
    const trajectories: Trajectory[] = [];
    const trainer = createTrainer(cfg, { onTrajectory: (t) => trajectories.push(t) });
    expect(await trainer.run()).toBe('completed');
    const bytes = trainer.checkpoint();
    trainer.dispose();
    const final = trajectories.find((t) => t.step === 120 && t.mode === 'deterministic')!;
    expect(final).toBeDefined();

    const dir = mkdtempSync(join(tmpdir(), 'lab-engine-policy-'));
    const file = join(dir, 'ckpt-120.bin');
    writeFileSync(file, bytes);
    const host = new NodeWorkerHost();
    let spawned = 0;
    const runner = workerPreviewRunner({ spawn: () => (spawned++, host.spawn()) });
    const policies = storedPolicies({ list: () => [{ step: 120, file, size: bytes.length }], config: () => cfg as unknown as Record<string, unknown> }, runner);
    const h = sceneHandlers({} as Services, policies);
    const r = await h['scenes.preview'](PreviewArgs.parse({ envId: 'pendulum', seed: final.startSeed, policy: { kind: 'checkpoint', runId: 1, step: 120 } }));
    expect(r.length).toBe(final.length);
    expect(r.states.slice(0, 2)).toEqual(Array.from(final.states.subarray(0, 2)));
    for (let t = 0; t < final.length; t++) expect(r.actions[t]!).toBeCloseTo(final.actions[t]!, 4);
    for (let t = 0; t < final.length; t++) expect(r.rewards[t]!).toBeCloseTo(final.rewards[t]!, 3);
    expect(r.policy).toBe('run 1 at step 120 (deterministic)');
    expect(spawned).toBe(1);

    // A bad request found in the worker comes back naming the field.
    await expect(h['scenes.preview'](PreviewArgs.parse({ envId: 'pendulum', initialState: [1], policy: { kind: 'checkpoint', runId: 1, step: 120 } }))).rejects.toMatchObject({ code: 'invalid_args', path: 'initialState' });
    expect(spawned).toBe(2);

    // The same policy on another environment is refused, naming the field.
    await expect(h['scenes.preview'](PreviewArgs.parse({ envId: 'toy', policy: { kind: 'checkpoint', runId: 1, step: 120 } }))).rejects.toMatchObject({ code: 'invalid_args', path: 'envId' });
  });
});
