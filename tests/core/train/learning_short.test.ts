// Short, honest versions of the learning tests (the full ones are in tests/learning, run by
// `npm run test:learning`): SAC with alpha = 1 settles on the toy's safe -1 branch within 1,500
// steps, and SAC with automatic alpha improves on Pendulum within 3,000 steps (32x32 networks).
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/engine/backend.ts';
import { createTrainer, resolveRunConfig, type MetricPoint } from '../../../src-core/train/index.ts';

beforeAll(async () => {
  await initBackend('wasm');
});

async function evalCurve(env: string, algo: string, overrides: Record<string, unknown>): Promise<number[]> {
  const cfg = resolveRunConfig({ env, algo, preset: 'quick', seed: 0, overrides });
  const points: MetricPoint[] = [];
  const t = createTrainer(cfg, { onMetrics: (b) => points.push(...b.filter((p) => p.key === 'eval/deterministic/return_mean')) });
  await t.run();
  t.dispose();
  return points.map((p) => p.value);
}

describe('short learning checks', () => {
  it('toy: SAC with alpha = 1 ends on the safe -1 branch', async () => {
    const curve = await evalCurve('toy', 'sac', { totalSteps: 1_500, evalInterval: 500, evalEpisodes: 4 });
    expect(curve).toHaveLength(3);
    expect(curve[curve.length - 1]).toBe(-1);
  }, 300_000);

  it('pendulum: SAC with automatic alpha improves on its first evaluation by > 300', async () => {
    const curve = await evalCurve('pendulum', 'sac-auto', { totalSteps: 3_000, evalInterval: 500, evalEpisodes: 4, hidden: '32,32', warmupSteps: 500 });
    expect(Math.max(...curve.slice(-2))).toBeGreaterThan(curve[0]! + 300);
  }, 300_000);
});
