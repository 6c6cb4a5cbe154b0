// MuJoCo environments and the WebAssembly heap. (1) They keep views of their MjData arrays between
// steps (src-core/envs/mujoco/sim.ts `views`); growing the heap detaches every view taken before, and
// an environment must notice and carry on exactly: here the heap grows mid-episode (other
// environments' data allocated, as when a trainer creates its evaluation environments) and the
// episode must match one without. (2) Each environment's data is small (a 1 MiB arena, not MuJoCo's
// default 13-14 MiB): PPO's 64 Hopper environments must fit many times in the 2 GB heap.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPhysics } from '../../../src-main/engine/mujoco.ts';
import type { Physics } from '../../../src-core/envs/mujoco/physics.ts';
import { makeEnv } from '../../../src-core/envs/registry.ts';
import type { Env } from '../../../src-core/envs/types.ts';
import { Rng } from '../../../src-core/rng.ts';
import { heapProbe } from './helpers.ts';

let physics: Physics;
beforeAll(async () => {
  physics = await loadPhysics();
});

/** Observations and rewards of steps `from` to `to` (exclusive) with a fixed action schedule. */
function steps(env: Env, from: number, to: number): number[][] {
  const out: number[][] = [];
  for (let i = from; i < to; i++) {
    const a = Array.from({ length: env.actionSpace.dim }, (_, j) => 0.7 * Math.sin(i / (3 + j)));
    const r = env.step(a);
    out.push([...r.observation, r.reward, Number(r.terminated)]);
  }
  return out;
}

describe('MuJoCo environments across a growth of the WebAssembly heap', () => {
  for (const id of ['hopper', 'opencat']) {
    it(`${id}: an episode continues bit for bit after the heap grew mid-episode`, () => {
      const plain = makeEnv(id);
      plain.reset(new Rng(4));
      const expected = steps(plain, 0, 30);
      plain.close!();

      const probe = heapProbe(physics);
      const env = makeEnv(id);
      env.reset(new Rng(4));
      const first = steps(env, 0, 15);
      const before = probe.view(); // a view taken now, as the environment keeps its own
      const others: Env[] = [];
      while (before.length > 0 && others.length < 200) others.push(makeEnv(id));
      expect(before.length, 'the heap grew (views taken before it are detached)').toBe(0);
      const rest = steps(env, 15, 30);
      expect([...first, ...rest]).toEqual(expected);
      expect(Array.from(env.getState()).every(Number.isFinite)).toBe(true);
      for (const e of [env, ...others]) e.close!();
      probe.close();
    });
  }

  it('each environment takes under 2.5 MB of heap: 40 of each add less than 100 MB', () => {
    const probe = heapProbe(physics);
    const heap = probe.bytes;
    for (const id of ['hopper', 'opencat']) {
      const first = makeEnv(id); // the compiled model is shared; this measures the data alone
      const before = heap();
      const envs = Array.from({ length: 40 }, () => makeEnv(id));
      expect(heap() - before, id).toBeLessThan(100e6);
      for (const e of [first, ...envs]) e.close!();
    }
    probe.close();
  });
});
