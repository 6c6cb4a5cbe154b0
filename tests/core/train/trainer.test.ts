// The training loop: determinism (same config + seed + backend -> identical metric stream) and
// exact resumption (interrupt mid-episode, resume from the checkpoint, compare streams).
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/engine/backend.ts';
import { createTrainer, decodeCheckpoint, resolveRunConfig, type MetricPoint, type RunConfig, type Evaluation } from '../../../src-core/train/index.ts';

beforeAll(async () => {
  await initBackend('wasm');
});

function smallConfig(algo: string, env = 'pendulum', extra: Record<string, unknown> = {}): RunConfig {
  return resolveRunConfig({
    env,
    algo,
    preset: 'quick',
    seed: 7,
    overrides: { totalSteps: 400, evalInterval: 200, evalEpisodes: 2, recordEpisodes: 1, hidden: '16,16', batchSize: 32, warmupSteps: 50, ...extra },
  });
}

/** The metric stream without wall-clock dependent values (wall time, steps per second). */
function stream(points: MetricPoint[]): string[] {
  return points.filter((p) => p.key !== 'charts/SPS').map((p) => `${p.key}@${p.step}=${p.value}`);
}

async function runFull(cfg: RunConfig): Promise<{ metrics: MetricPoint[]; evals: Evaluation[] }> {
  const metrics: MetricPoint[] = [];
  const evals: Evaluation[] = [];
  const tr = createTrainer(cfg, { onMetrics: (b) => metrics.push(...b), onEvaluation: (e) => evals.push(e) });
  expect(await tr.run()).toBe('completed');
  tr.dispose();
  return { metrics, evals };
}

describe('trainer (sac-auto on pendulum, tiny networks)', () => {
  const cfg = smallConfig('sac-auto');

  it('is deterministic for a config, seed and backend', async () => {
    const a = await runFull(cfg);
    const b = await runFull(cfg);
    expect(stream(a.metrics).length).toBeGreaterThan(20);
    expect(stream(b.metrics)).toEqual(stream(a.metrics));
    // evaluation before training (step 0, as the reference tests before training), at 200 and at
    // the end (400), both modes, from the same start seeds
    expect(a.evals.map((e) => `${e.step}/${e.mode}`)).toEqual(['0/deterministic', '0/stochastic', '200/deterministic', '200/stochastic', '400/deterministic', '400/stochastic']);
    expect(a.evals[0]!.startSeeds).toEqual(a.evals[1]!.startSeeds);
    expect(a.metrics.filter((m) => m.key === 'eval/deterministic/return_mean').map((m) => m.step)).toEqual([0, 200, 400]);
    const keys = new Set(a.metrics.map((m) => m.key));
    for (const k of ['charts/episodic_return', 'charts/episodic_length', 'charts/SPS', 'losses/qf1_loss', 'losses/qf2_loss', 'losses/actor_loss', 'losses/alpha', 'losses/alpha_loss', 'policy/entropy', 'policy/log_std_mean', 'eval/deterministic/return_mean', 'eval/stochastic/return_std']) {
      expect(keys.has(k), k).toBe(true);
    }
  });

  it('resumes exactly from a checkpoint taken mid-episode', async () => {
    const full = await runFull(cfg);
    const first: MetricPoint[] = [];
    let saved: Uint8Array | null = null;
    let savedStep = -1;
    const t1 = createTrainer(cfg, {
      onMetrics: (b) => first.push(...b),
      onCheckpoint: ({ step, bytes }) => {
        saved = bytes;
        savedStep = step;
      },
    });
    expect(await t1.run(() => t1.globalStep >= 333)).toBe('stopped');
    t1.dispose();
    expect(savedStep).toBe(333);
    const second: MetricPoint[] = [];
    const t2 = createTrainer(cfg, { onMetrics: (b) => second.push(...b) }, { resume: saved! });
    expect(t2.globalStep).toBe(333);
    expect(await t2.run()).toBe('completed');
    t2.dispose();
    expect(stream([...first, ...second])).toEqual(stream(full.metrics));
    // wall time continues from the checkpoint instead of restarting at zero
    expect(second[0]!.wallTime).toBeGreaterThanOrEqual(first[first.length - 1]!.wallTime);
  });

  it('rejects a checkpoint of another run kind and garbage bytes', () => {
    expect(() => createTrainer(cfg, {}, { resume: new Uint8Array([1, 2, 3]) })).toThrow(/checkpoint/);
    const other = createTrainer(smallConfig('sac'), {});
    const bytes = other.checkpoint();
    other.dispose();
    expect(() => createTrainer(cfg, {}, { resume: bytes })).toThrow(/another environment or algorithm/);
  });
});

describe('trainer (ppo on pendulum, 4 envs): evaluations stay on the interval (issue 18)', () => {
  // 4 envs step 4 at a time; interval 50 is not a multiple of 4. A rollout of 52 transitions ends
  // at step 52, so the grid point 50 lies inside the vector step 48 -> 52 that triggers the update.
  const cfg = resolveRunConfig({
    env: 'pendulum',
    algo: 'ppo',
    preset: 'quick',
    seed: 7,
    overrides: { numEnvs: 4, rolloutSteps: 52, minibatchSize: 26, epochs: 1, totalSteps: 202, evalInterval: 50, evalEpisodes: 2, recordEpisodes: 0, hidden: '16,16' },
  });

  it('evaluates at 0, every 50 steps and at the total, never at the vector step past them', async () => {
    const { evals, metrics } = await runFull(cfg);
    expect(evals.filter((e) => e.mode === 'deterministic').map((e) => e.step)).toEqual([0, 50, 100, 150, 200, 202]);
    expect(metrics.filter((m) => m.key === 'eval/stochastic/return_mean').map((m) => m.step)).toEqual([0, 50, 100, 150, 200, 202]);
    // the grid point 50 was evaluated before the update at 52: losses are first logged at 52
    expect(metrics.find((m) => m.key === 'losses/policy_loss')!.step).toBe(52);
  });

  it('resumes exactly across evaluations taken inside a vector step', async () => {
    const full = await runFull(cfg);
    const first: MetricPoint[] = [];
    let saved: Uint8Array | null = null;
    const t1 = createTrainer(cfg, { onMetrics: (b) => first.push(...b), onCheckpoint: ({ bytes }) => void (saved = bytes) });
    expect(await t1.run(() => t1.globalStep >= 120)).toBe('stopped');
    t1.dispose();
    const second: MetricPoint[] = [];
    const t2 = createTrainer(cfg, { onMetrics: (b) => second.push(...b) }, { resume: saved! });
    expect(await t2.run()).toBe('completed');
    t2.dispose();
    expect(stream([...first, ...second])).toEqual(stream(full.metrics));
  });
});

describe('trainer (ppo with obsNorm, issue 18 point 6)', () => {
  const cfg = resolveRunConfig({
    env: 'pendulum',
    algo: 'ppo',
    preset: 'quick',
    seed: 11,
    overrides: { obsNorm: true, numEnvs: 4, rolloutSteps: 48, minibatchSize: 24, epochs: 1, totalSteps: 160, evalInterval: 80, evalEpisodes: 1, recordEpisodes: 0, hidden: '16,16' },
  });

  it('counts every training observation once (resets and steps) and resumes exactly with its statistics', async () => {
    const full = await runFull(cfg);
    const first: MetricPoint[] = [];
    let saved: Uint8Array | null = null;
    const t1 = createTrainer(cfg, { onMetrics: (b) => first.push(...b), onCheckpoint: ({ bytes }) => void (saved = bytes) });
    expect(await t1.run(() => t1.globalStep >= 100)).toBe('stopped');
    // pendulum episodes are 200 steps: no reset yet; 4 initial observations + 4 per vector step
    // (read from the stop checkpoint: the trainer's agent is internal to its group)
    const rms = (bytes: Uint8Array) => (decodeCheckpoint(bytes).meta as { agent: { obsRms: { count: number; mean: number[] } } }).agent.obsRms;
    expect(rms(saved!).count).toBe(4 + 100);
    expect(Math.abs(rms(saved!).mean[2]!)).toBeGreaterThan(0); // the angular velocity moved
    t1.dispose();
    const second: MetricPoint[] = [];
    const t2 = createTrainer(cfg, { onMetrics: (b) => second.push(...b) }, { resume: saved! });
    expect(rms(t2.checkpoint()).count).toBe(104);
    expect(await t2.run()).toBe('completed');
    t2.dispose();
    expect(stream([...first, ...second])).toEqual(stream(full.metrics));
    // and it changes what PPO learns: the same run without the normaliser differs
    const plain = await runFull({ ...cfg, algoConfig: { ...cfg.algoConfig, obsNorm: false } });
    expect(stream(plain.metrics)).not.toEqual(stream(full.metrics));
  });
});
