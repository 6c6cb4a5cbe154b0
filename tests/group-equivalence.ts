// Seed-group equivalence (issue 12), shared by the short check in `npm test`
// (tests/core/train/group_equivalence.test.ts) and the 500-update check in `npm run test:learning`
// (tests/learning/group_equivalence.test.ts): each seed of a K-seed group must reproduce the metric
// stream of the same config trained alone on the same backend (loss metrics, episode returns,
// evaluations), exactly (the issue allows 1e-5 relative; the seed-batched SAC family is
// bit-identical because no kernel mixes seeds).
import { expect, it } from 'vitest';
import { createGroupTrainer, createTrainer, resolveRunConfig, type MetricPoint, type RunConfig } from '../src-core/train/index.ts';

export const SEEDS = [3, 11];

/**
 * A tiny toy config with `updates` gradient steps: off-policy runs after a 50-step warm-up; PPO in
 * rollouts of 128 steps with 2 epochs of 4 minibatches (8 updates each), rounded up to whole rollouts.
 */
export function config(algo: string, seed: number, updates: number, extra: Record<string, unknown> = {}): RunConfig {
  const offPolicy = algo !== 'ppo';
  return resolveRunConfig({
    env: 'toy',
    algo,
    preset: 'quick',
    seed,
    overrides: {
      totalSteps: offPolicy ? 50 + updates : 128 * Math.ceil(updates / 8),
      evalInterval: offPolicy ? 50 + updates : 256,
      evalEpisodes: 1,
      recordEpisodes: 0,
      hidden: '4,4',
      ...(offPolicy ? { batchSize: 8, warmupSteps: 50 } : { rolloutSteps: 128, minibatchSize: 32, epochs: 2 }),
      ...(algo === 'sac-adaent' ? { numSamples: 4 } : {}),
      ...extra,
    },
  });
}

export type Point = { key: string; step: number; value: number };

export function collect(into: Point[]) {
  return { onMetrics: (b: MetricPoint[]) => into.push(...b.filter((p) => p.key !== 'charts/SPS').map((p) => ({ key: p.key, step: p.step, value: p.value }))) };
}

export async function alone(cfg: RunConfig): Promise<Point[]> {
  const pts: Point[] = [];
  const t = createTrainer(cfg, collect(pts));
  expect(await t.run()).toBe('completed');
  t.dispose();
  return pts;
}

/** Same keys and steps in the same order; values equal to `rel` relative (absolute near zero). */
export function expectSameStream(got: Point[], want: Point[], rel: number): void {
  expect(got.map((p) => `${p.key}@${p.step}`)).toEqual(want.map((p) => `${p.key}@${p.step}`));
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const a = got[i]!.value;
    const b = want[i]!.value;
    if (Number.isNaN(a) && Number.isNaN(b)) continue;
    worst = Math.max(worst, Math.abs(a - b) / Math.max(Math.abs(b), 1e-3));
  }
  expect(worst).toBeLessThanOrEqual(rel);
}

/** One test: each seed of a group of SEEDS reproduces the seed trained alone, exactly. */
export function groupEqualsAlone(algo: string, updates: number): void {
  it(`${algo}: each seed of a ${SEEDS.length}-seed group reproduces the seed trained alone (${updates} updates)`, async () => {
    const cfgs = SEEDS.map((s) => config(algo, s, updates));
    const streams: Point[][] = SEEDS.map(() => []);
    const g = createGroupTrainer(cfgs, streams.map((s) => collect(s)));
    expect(await g.run()).toEqual(SEEDS.map(() => 'completed'));
    g.dispose();
    for (let k = 0; k < SEEDS.length; k++) {
      const want = await alone(cfgs[k]!);
      expect(want.some((p) => p.key.startsWith('losses/'))).toBe(true);
      expectSameStream(streams[k]!, want, 0);
    }
  }, 600_000);
}
