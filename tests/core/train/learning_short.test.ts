// Short, honest versions of the learning tests (the full ones are in tests/learning, run by
// `npm run test:learning`): SAC with alpha = 1 settles on the toy's safe -1 branch within 1,500
// steps, and SAC with automatic alpha improves on Pendulum within 3,000 steps (32x32 networks).
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/engine/backend.ts';
import { createTrainer, resolveRunConfig, type Evaluation, type MetricPoint, type Trajectory } from '../../../src-core/train/index.ts';

beforeAll(async () => {
  await initBackend('wasm');
});

const trajectories: Trajectory[] = [];
const evaluations: Evaluation[] = [];

async function evalCurve(env: string, algo: string, overrides: Record<string, unknown>): Promise<number[]> {
  const cfg = resolveRunConfig({ env, algo, preset: 'quick', seed: 0, overrides });
  const points: MetricPoint[] = [];
  trajectories.length = 0;
  evaluations.length = 0;
  const t = createTrainer(cfg, {
    onMetrics: (b) => points.push(...b.filter((p) => p.key === 'eval/deterministic/return_mean')),
    onTrajectory: (tr) => trajectories.push(tr),
    onEvaluation: (e) => evaluations.push(e),
  });
  await t.run();
  t.dispose();
  return points.map((p) => p.value);
}

describe('short learning checks', () => {
  it('toy: SAC with alpha = 1 ends on the safe -1 branch', async () => {
    const curve = await evalCurve('toy', 'sac', { totalSteps: 1_500, evalInterval: 500, evalEpisodes: 4 });
    expect(curve).toHaveLength(4); // evaluations at 0 (before training), 500, 1000, 1500
    expect(curve[curve.length - 1]).toBe(-1);
    // trajectories: the first 2 episodes per mode at 500 and 1000, all 4 per mode at the end
    expect(trajectories.map((t) => `${t.step}/${t.mode}/${t.episode}`).filter((k) => k.startsWith('500/'))).toEqual(['500/deterministic/0', '500/deterministic/1', '500/stochastic/0', '500/stochastic/1']);
    expect(trajectories.filter((t) => t.step === 1500)).toHaveLength(8);
    for (const t of trajectories) {
      const ev = evaluations.find((e) => e.step === t.step && e.mode === t.mode)!;
      expect(t.length).toBe(2);
      expect(t.observations.length).toBe(3 * 6);
      expect(Array.from(t.states)).toEqual([0, t.actions[0]! > 0 ? 2 : 1, t.rewards[1] === -1 ? 5 : t.rewards[1] === 1 ? 3 : 4]);
      expect(t.rewards[0]! + t.rewards[1]!).toBe(ev.returns[t.episode]);
      expect(Array.from(t.rewardComponents.outcome!)).toEqual(Array.from(t.rewards));
      expect(t.startSeed).toBe(ev.startSeeds[t.episode]);
      expect(t.logProbs.every(Number.isFinite) && t.entropies.every(Number.isFinite)).toBe(true);
    }
  }, 300_000);

  it('pendulum: SAC with automatic alpha improves on its first evaluation by > 300', async () => {
    const curve = await evalCurve('pendulum', 'sac-auto', { totalSteps: 3_000, evalInterval: 500, evalEpisodes: 4, hidden: '32,32', warmupSteps: 500 });
    expect(Math.max(...curve.slice(-2))).toBeGreaterThan(curve[0]! + 300);
  }, 300_000);
});
