// Resuming a run on a MuJoCo environment continues exactly: the current episode is replayed on
// MuJoCo from its saved reset generator state (bit-exact), and OpenCat's penalty weight (the steps
// of completed episodes, which outlive resets) comes back from the checkpoint.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/engine/backend.ts';
import { loadPhysics } from '../../../src-main/engine/mujoco.ts';
import { createTrainer, resolveRunConfig, type MetricPoint } from '../../../src-core/train/index.ts';

beforeAll(async () => {
  await initBackend('wasm');
  await loadPhysics();
});

const stream = (points: MetricPoint[]) => points.filter((p) => p.key !== 'charts/SPS').map((p) => `${p.key}@${p.step}=${p.value}`);

describe.each(['opencat', 'hopper'])('trainer on %s (sac-auto, tiny networks)', (env) => {
  const cfg = resolveRunConfig({
    env,
    algo: 'sac-auto',
    preset: 'quick',
    seed: 3,
    overrides: { totalSteps: 240, evalInterval: 240, evalEpisodes: 1, recordEpisodes: 0, evalModes: 'deterministic', hidden: '8,8', batchSize: 16, warmupSteps: 80 },
  });

  it('resumes exactly from a checkpoint taken mid-episode', async () => {
    const full: MetricPoint[] = [];
    const t0 = createTrainer(cfg, { onMetrics: (b) => full.push(...b) });
    expect(await t0.run()).toBe('completed');
    t0.dispose();
    const episodes = full.filter((p) => p.key === 'charts/episodic_return');
    expect(episodes.length).toBeGreaterThan(1); // episodes end before the checkpoint: OpenCat's weight is non-zero after it
    const first: MetricPoint[] = [];
    let saved: Uint8Array | null = null;
    const t1 = createTrainer(cfg, { onMetrics: (b) => first.push(...b), onCheckpoint: ({ bytes }) => {
      saved = bytes;
    } });
    expect(await t1.run(() => t1.globalStep >= 171)).toBe('stopped');
    t1.dispose();
    const second: MetricPoint[] = [];
    const t2 = createTrainer(cfg, { onMetrics: (b) => second.push(...b) }, { resume: saved! });
    expect(await t2.run()).toBe('completed');
    t2.dispose();
    expect(stream([...first, ...second])).toEqual(stream(full));
  });
});
