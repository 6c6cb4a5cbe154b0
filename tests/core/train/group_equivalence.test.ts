// Seed groups (issue 12), short checks for `npm test`: each seed of a group reproduces the seed
// trained alone exactly (100 updates here; 500 in tests/learning/group_equivalence.test.ts);
// checkpoints of a group seed resume alone; cancelling one seed leaves the others' streams
// unchanged; configs that differ in more than the seed are refused.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/engine/backend.ts';
import { canShareGroup, createGroupTrainer, createTrainer } from '../../../src-core/train/index.ts';
import { SEEDS, alone, collect, config, expectSameStream, groupEqualsAlone, type Point } from '../../group-equivalence.ts';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('seed groups', () => {
  for (const algo of ['sac', 'sac-auto', 'sac-adaent', 'td3', 'ppo']) groupEqualsAlone(algo, 100);

  it('a seed checkpointed in a group resumes alone; a cancelled seed leaves the others unchanged', async () => {
    const cfgs = SEEDS.map((s) => config('sac-auto', s, 250));
    const streams: Point[][] = SEEDS.map(() => []);
    const saved: (Uint8Array | null)[] = SEEDS.map(() => null);
    const cbs = streams.map((s, k) => ({ ...collect(s), onCheckpoint: ({ bytes }: { bytes: Uint8Array }) => void (saved[k] = bytes) }));
    const g = createGroupTrainer(cfgs, cbs);
    let cancelled = false;
    const outcome = await g.run(() => {
      if (!cancelled && g.globalStep(1) >= 120) {
        g.cancel(1);
        cancelled = true;
      }
      return false;
    });
    g.dispose();
    expect(outcome).toEqual(['completed', 'stopped']);
    const want = await Promise.all(cfgs.map((c) => alone(c)));
    expectSameStream(streams[0]!, want[0]!, 0);
    // seed 1 stopped at 121 with a checkpoint; resumed alone it finishes as if never interrupted
    const rest: Point[] = [];
    const t = createTrainer(cfgs[1]!, collect(rest), { resume: saved[1]! });
    expect(t.globalStep).toBe(121);
    await t.run();
    t.dispose();
    expectSameStream([...streams[1]!, ...rest], want[1]!, 0);
  }, 600_000);

  it('groups only runs identical but for seed', () => {
    expect(canShareGroup(config('sac', 1, 10), config('sac', 2, 10))).toBe(true);
    expect(canShareGroup(config('sac', 1, 10), config('sac', 1, 10))).toBe(false);
    expect(canShareGroup(config('sac', 1, 10), config('sac', 2, 10, { batchSize: 64 }))).toBe(false);
    expect(canShareGroup(config('sac', 1, 10), config('sac-auto', 2, 10))).toBe(false);
    expect(() => createGroupTrainer([config('sac', 1, 10), config('td3', 2, 10)], [{}, {}])).toThrow(/differs from run 0/);
    expect(() => createGroupTrainer([config('sac', 1, 10)], [{}, {}])).toThrow(/callback/);
  });
});
