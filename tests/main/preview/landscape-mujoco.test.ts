// Typed states of Hopper and OpenCat in the landscape view (issue 16): main turns a full state into
// the observation the networks take through the environment's own reset, which needs MuJoCo in
// main's process. This file never loads MuJoCo itself before asking, as main does not: the
// landscape service must load it. The worker is replaced by a stand-in that keeps the job.
import { describe, expect, it } from 'vitest';
import { LandscapeArgs, type LandscapeResult } from '../../../src-core/contract/methods/analysis.ts';
import type { LandscapeJob } from '../../../src-core/contract/worker-protocol.ts';
import { makeEnv } from '../../../src-core/envs/registry.ts';
import { Rng } from '../../../src-core/rng.ts';
import { resolveRunConfig } from '../../../src-core/train/index.ts';
import { loadPhysics } from '../../../src-main/engine/mujoco.ts';
import { landscapes } from '../../../src-main/preview/landscapes.ts';
import { PreviewInputError } from '../../../src-main/preview/rollout.ts';
import { heapProbe } from '../../core/envs/helpers.ts';

const RUNS: Record<number, string> = { 1: 'hopper', 2: 'opencat' };

function service() {
  const jobs: LandscapeJob[] = [];
  const s = landscapes(
    {
      list: (runId) => (RUNS[runId] ? [{ step: 1000, file: `/nonexistent/run-${runId}.ckpt`, size: 1 }] : []),
      config: (runId) => (RUNS[runId] ? (resolveRunConfig({ env: RUNS[runId]!, algo: 'sac', preset: 'quick', seed: 0 }) as unknown as Record<string, unknown>) : undefined),
    },
    { get: () => undefined },
    async (job) => {
      jobs.push(job);
      return { backend: 'stand-in', landscape: { title: job.context.title } as LandscapeResult };
    },
  );
  return { s, jobs };
}

/** A mid-episode full state of `id` and the observation the environment gives for it. */
function midEpisode(id: string, steps: number): { state: number[]; observation: number[] } {
  const env = makeEnv(id);
  env.reset(new Rng(3));
  for (let i = 0; i < steps; i++) env.step(Array.from({ length: env.actionSpace.dim }, (_, j) => 0.5 * Math.sin(i + j)));
  const state = Array.from(env.getState());
  const again = makeEnv(id);
  const observation = Array.from(again.reset(new Rng(0), state).observation);
  env.close!();
  again.close!();
  return { state, observation };
}

describe('landscape at a typed state of a MuJoCo environment', () => {
  it('hopper and opencat: the job observes what the environment observes at that state', async () => {
    const { s, jobs } = service();
    const typed = [0.1, 1.2, 0.05, -0.1, -0.2, 0.1, 0.5, 0, 0.1, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const r = await s.landscape(LandscapeArgs.parse({ run: { runId: 1, step: 1000 }, state: { kind: 'state', state: typed } }));
    expect(r.state).toEqual(typed);
    expect(r.stateLabel).toBe(`state [${typed.join(', ')}]`);
    expect(jobs[0]!.context.state).toEqual(typed);
    // Gymnasium's observation: qpos without x, then qvel
    expect(jobs[0]!.observations[0]).toEqual([...typed.slice(1, 6), ...typed.slice(6, 12)]);

    const hopper = midEpisode('hopper', 12);
    await s.landscape(LandscapeArgs.parse({ run: { runId: 1, step: 1000 }, state: { kind: 'state', state: hopper.state } }));
    expect(jobs[1]!.observations[0]).toEqual(hopper.observation);

    const cat = midEpisode('opencat', 9); // its full state has 318 values, its observation 246
    expect(cat.state.length).toBe(318);
    await s.landscape(LandscapeArgs.parse({ run: { runId: 2, step: 1000 }, state: { kind: 'state', state: cat.state } }));
    expect(jobs[2]!.observations[0]).toEqual(cat.observation);
    expect(jobs[2]!.observations[0]!.length).toBe(246);
    expect(jobs[2]!.context.state).toEqual(cat.state);
  });

  it('a state of the wrong length is refused with the environment\'s own message, on the state field', async () => {
    const { s, jobs } = service();
    const ask = s.landscape(LandscapeArgs.parse({ run: { runId: 2, step: 1000 }, state: { kind: 'state', state: [0, 0.08] } }));
    await expect(ask).rejects.toThrow(PreviewInputError);
    await expect(ask).rejects.toThrow(/opencat: initial state has 2 values, expected 318/);
    await expect(ask).rejects.toMatchObject({ path: 'state.state' });
    expect(jobs).toEqual([]);
  });

  it('the environments built for typed states are freed: 40 requests leave the WebAssembly heap as it was', async () => {
    const { s } = service();
    const physics = await loadPhysics();
    const probe = heapProbe(physics);
    const heap = probe.bytes;
    const ask = (k: number) => s.landscape(LandscapeArgs.parse({ run: { runId: 1, step: 1000 }, state: { kind: 'state', state: [0, 1.25, 0.001 * k, ...new Array(15).fill(0)] } }));
    for (let k = 0; k < 5; k++) await ask(k);
    const before = heap();
    for (let k = 5; k < 45; k++) await ask(k); // another state each time: no cached answer
    expect(heap()).toBe(before);
    probe.close();
  });
});
