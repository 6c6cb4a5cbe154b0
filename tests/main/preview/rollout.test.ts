// Preview rollouts: spec check values through the preview path, seeding, input errors, stored policies.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PreviewArgs } from '../../../src-core/contract/methods/scenes.ts';
import type { PreviewJob } from '../../../src-core/contract/worker-protocol.ts';
import { drawEpisode, isDrawable } from '../../../src-core/draw/index.ts';
import { ENV_SPECS } from '../../../src-core/envs/registry.ts';
import { sceneHandlers } from '../../../src-main/api/scenes.ts';
import type { Services } from '../../../src-main/api/services.ts';
import { PreviewInputError, rollout, simplePolicy } from '../../../src-main/preview/rollout.ts';
import { storedPolicies } from '../../../src-main/preview/stored-policy.ts';

const services = {} as Services;

describe('preview rollout', () => {
  it('pendulum from [1, 0] with zero torque: the spec return -1067.4522 and 201 states', async () => {
    const { act, label } = simplePolicy({ kind: 'zero' }, [-2], [2], 0);
    const r = await rollout({ envId: 'pendulum', seed: 0, initialState: [1, 0] }, act, label);
    expect(r.length).toBe(200);
    expect(r.truncated).toBe(true);
    expect(r.states).toHaveLength(201 * 2);
    expect(r.states.slice(0, 2)).toEqual([1, 0]);
    expect(Math.abs(r.return - -1067.4522)).toBeLessThan(1e-3);
    expect(r.stateNames).toHaveLength(2);
    const comps = Object.values(r.rewardComponents);
    expect(comps.length).toBeGreaterThan(0);
    // Components sum to the reward at every step.
    for (let t = 0; t < r.length; t++) expect(comps.reduce((s, c) => s + c[t]!, 0)).toBeCloseTo(r.rewards[t]!, 9);
  });

  it('toy with a constant action inside the band reaches +1 in two steps', async () => {
    const r = await sceneHandlers(services)['scenes.preview'](PreviewArgs.parse({ envId: 'toy', policy: { kind: 'constant', action: [-0.05] } }));
    expect(r.length).toBe(2);
    expect(r.rewards).toEqual([0, 1]);
    expect(r.states).toEqual([0, 1, 3]);
    expect(r.policy).toBe('constant [-0.05]');
  });

  it('random actions are seeded: same seed same episode, another seed another', async () => {
    const run = (seed: number) => {
      const { act, label } = simplePolicy({ kind: 'random' }, [-2], [2], seed);
      return rollout({ envId: 'pendulum', seed, steps: 20 }, act, label);
    };
    expect((await run(5)).actions).toEqual((await run(5)).actions);
    expect((await run(5)).actions).not.toEqual((await run(6)).actions);
    expect((await run(5)).length).toBe(20);
    for (const a of (await run(5)).actions) expect(Math.abs(a)).toBeLessThanOrEqual(2);
  });

  it('every drawable environment and variant previews and draws one frame per state', async () => {
    const h = sceneHandlers(services)['scenes.preview'];
    let checked = 0;
    for (const spec of ENV_SPECS.filter((e) => isDrawable(e.id))) {
      for (const v of spec.variants) {
        const r = await h(PreviewArgs.parse({ envId: spec.id, variant: v.name, seed: 4, steps: 12, policy: { kind: 'random' } }));
        expect(r.variant).toBe(v.name);
        expect(r.states.length).toBe((r.length + 1) * r.stateDim);
        expect(r.actionNames).toEqual([...v.actionNames]);
        const frames = drawEpisode(r.envId, r.variant, r.params, r.states, r.stateDim, r.actions, r.actDim);
        expect(frames).toHaveLength(r.length + 1);
        expect(frames.every((f, k) => f.env === spec.id && f.step === k)).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8); // toy, vehicle x2, quadrotor x2, acrobot, obstacle2d, pendulum
  });

  it('bad input names the field', async () => {
    const h = sceneHandlers(services)['scenes.preview'];
    await expect(h(PreviewArgs.parse({ envId: 'pendulum', policy: { kind: 'constant', action: [1, 2] } }))).rejects.toMatchObject({ code: 'invalid_args', path: 'policy.action' });
    await expect(h(PreviewArgs.parse({ envId: 'nope', policy: { kind: 'zero' } }))).rejects.toMatchObject({ code: 'not_found', path: 'envId' });
    await expect(h(PreviewArgs.parse({ envId: 'pendulum', variant: 'x', policy: { kind: 'zero' } }))).rejects.toMatchObject({ path: 'variant' });
    await expect(h(PreviewArgs.parse({ envId: 'pendulum', initialState: [1], policy: { kind: 'zero' } }))).rejects.toMatchObject({ path: 'initialState' });
    await expect(h(PreviewArgs.parse({ envId: 'pendulum', policy: { kind: 'checkpoint', runId: 1, step: 0 } }))).rejects.toMatchObject({ code: 'unavailable' });
    expect(() => simplePolicy({ kind: 'constant', action: [] }, [0], [1], 0)).toThrow(PreviewInputError);
  });
});

describe('stored policy previews', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-preview-'));
  const file = join(dir, 'ckpt-100.bin');
  writeFileSync(file, Uint8Array.of(7, 1));
  const index = {
    list: (runId: number) => (runId === 3 ? [{ step: 100, file, size: 2 }] : []),
    config: (runId: number) => (runId === 3 ? { env: { id: 'pendulum' } } : undefined),
  };

  it('hands the runner the checkpoint file, the run config and the episode request', async () => {
    let seen: number[] = [];
    let job: PreviewJob | null = null;
    // an in-process runner standing in for the worker (tests/main/preview/engine-policy.test.ts runs the real one)
    const policies = storedPolicies(index, async (j) => {
      job = j;
      const bytes = readFileSync(j.checkpointFile);
      seen = [...bytes];
      const torque = j.mode === 'deterministic' ? bytes[1]! : -bytes[1]!;
      return rollout(j.request, () => [torque], j.label);
    });
    const h = sceneHandlers(services, policies);
    expect(await h['scenes.checkpoints']({ runId: 3 })).toEqual([{ step: 100, size: 2 }]);
    const r = await h['scenes.preview'](PreviewArgs.parse({ envId: 'pendulum', steps: 3, initialState: [0, 0], policy: { kind: 'checkpoint', runId: 3, step: 100 } }));
    expect(seen).toEqual([7, 1]);
    expect(r.actions).toEqual([1, 1, 1]);
    expect(r.policy).toBe('run 3 at step 100 (deterministic)');
    expect(job).toMatchObject({ checkpointFile: file, runConfig: { env: { id: 'pendulum' } }, mode: 'deterministic', seed: 0, request: { envId: 'pendulum', seed: 0, steps: 3, initialState: [0, 0] } });
    // a policy trained on another environment is refused in main, before any worker starts
    job = null;
    await expect(h['scenes.preview'](PreviewArgs.parse({ envId: 'toy', policy: { kind: 'checkpoint', runId: 3, step: 100 } }))).rejects.toMatchObject({ code: 'invalid_args', path: 'envId' });
    expect(job).toBeNull();
  });

  it('a missing run or step is not_found, naming the stored steps', async () => {
    const h = sceneHandlers(services, storedPolicies(index, null));
    await expect(Promise.resolve().then(() => h['scenes.checkpoints']({ runId: 9 }))).rejects.toMatchObject({ code: 'not_found', path: 'runId' });
    await expect(h['scenes.preview'](PreviewArgs.parse({ envId: 'pendulum', policy: { kind: 'checkpoint', runId: 3, step: 5 } }))).rejects.toThrow(/no checkpoint at step 5 \(stored: 100\)/);
    await expect(h['scenes.preview'](PreviewArgs.parse({ envId: 'pendulum', policy: { kind: 'checkpoint', runId: 3, step: 100 } }))).rejects.toMatchObject({ code: 'unavailable' });
  });
});
