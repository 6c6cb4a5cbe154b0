// Compact checkpoints: an off-policy run's replay buffer stored as its episodes (reset generator
// state, session state, actions) and rebuilt on resume by re-simulation, checked by a digest.
// Resuming from one continues exactly (also when the buffer has wrapped); a log that does not
// rebuild the saved buffer is refused; a version 1 checkpoint (the buffer's arrays) still resumes.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/engine/backend.ts';
import { createTrainer, decodeCheckpoint, resolveRunConfig, type MetricPoint, type RunConfig } from '../../../src-core/train/index.ts';
import { encodeCheckpoint } from '../../../src-core/train/codec.ts';
import { ReplayLog, type ReplayLogMeta } from '../../../src-core/train/replay_log.ts';
import { ReplayBuffer } from '../../../src-core/algos/common/replay_buffer.ts';
import { makeEnv } from '../../../src-core/envs/registry.ts';

beforeAll(async () => {
  await initBackend('wasm');
});

const stream = (points: MetricPoint[]) => points.filter((p) => p.key !== 'charts/SPS').map((p) => `${p.key}@${p.step}=${p.value}`);

function config(overrides: Record<string, unknown> = {}): RunConfig {
  return resolveRunConfig({
    env: 'pendulum',
    algo: 'sac',
    preset: 'quick',
    seed: 11,
    overrides: { totalSteps: 500, evalInterval: 250, evalEpisodes: 1, recordEpisodes: 0, hidden: '16,16', batchSize: 32, warmupSteps: 50, ...overrides },
  });
}

async function full(cfg: RunConfig): Promise<MetricPoint[]> {
  const out: MetricPoint[] = [];
  const t = createTrainer(cfg, { onMetrics: (b) => out.push(...b) });
  expect(await t.run()).toBe('completed');
  t.dispose();
  return out;
}

/** Train to `at` (mid-episode: pendulum episodes are 200 steps) and return the metrics and the checkpoint. */
async function until(cfg: RunConfig, at: number): Promise<{ metrics: MetricPoint[]; bytes: Uint8Array }> {
  const metrics: MetricPoint[] = [];
  const t = createTrainer(cfg, { onMetrics: (b) => metrics.push(...b) });
  expect(await t.run(() => t.globalStep >= at)).toBe('stopped');
  const bytes = t.checkpoint();
  t.dispose();
  return { metrics, bytes };
}

async function resumeFrom(cfg: RunConfig, bytes: Uint8Array): Promise<{ metrics: MetricPoint[]; next: Uint8Array; logs: string[] }> {
  const metrics: MetricPoint[] = [];
  const logs: string[] = [];
  const t = createTrainer(cfg, { onMetrics: (b) => metrics.push(...b), onLog: (_, message) => logs.push(message) }, { resume: bytes });
  const next = t.checkpoint();
  expect(await t.run()).toBe('completed');
  t.dispose();
  return { metrics, next, logs };
}

describe('compact checkpoints (replay buffer as episodes)', () => {
  it('store actions, not transitions, and resume exactly', async () => {
    const cfg = config();
    const whole = await full(cfg);
    const part = await until(cfg, 333);
    const { meta, arrays } = decodeCheckpoint(part.bytes);
    const m = meta as { version: number; buffer: ReplayLogMeta };
    expect(m.version).toBe(2);
    expect(m.buffer).toMatchObject({ mode: 'episodes', total: 333, episodes: 2, sessionDim: 0 });
    expect(m.buffer.digest).toMatch(/^[0-9a-f]{16}$/);
    expect(Object.keys(arrays).filter((k) => k.startsWith('replay.')).sort()).toEqual(['replay.log.actions', 'replay.log.at', 'replay.log.rng', 'replay.log.session']);
    expect(arrays['replay.log.actions']!.shape).toEqual([333, 1]);
    expect(Array.from(arrays['replay.log.at']!.data)).toEqual([0, 200]);
    const rest = await resumeFrom(cfg, part.bytes);
    expect(stream([...part.metrics, ...rest.metrics])).toEqual(stream(whole));
    expect(rest.logs).toEqual([`replay buffer rebuilt from its 2 episodes (333 transitions) by re-simulation in ${rest.logs[0]!.match(/in ([\d.]+) s/)![1]} s; digest ${m.buffer.digest} as saved`]);
  });

  it('resume exactly after the buffer has wrapped, keeping only the episodes still in it', async () => {
    const cfg = config({ bufferSize: 150 });
    const whole = await full(cfg);
    const part = await until(cfg, 433);
    const { meta, arrays } = decodeCheckpoint(part.bytes);
    // the window is transitions 283..432: the episode that began at 200 still has some in it
    expect((meta as { buffer: ReplayLogMeta }).buffer).toMatchObject({ total: 433, episodes: 2 });
    expect(Array.from(arrays['replay.log.at']!.data)).toEqual([200, 400]);
    expect(arrays['replay.log.actions']!.shape).toEqual([233, 1]);
    const rest = await resumeFrom(cfg, part.bytes);
    expect(stream([...part.metrics, ...rest.metrics])).toEqual(stream(whole));
  });

  it('refuse a log that does not rebuild the saved buffer, naming the digests', async () => {
    const cfg = config();
    const part = await until(cfg, 333);
    const { meta, arrays } = decodeCheckpoint(part.bytes);
    const actions = arrays['replay.log.actions']!.data;
    actions[100] = actions[100]! * 0.5 + 0.01;
    const tampered = encodeCheckpoint(meta, arrays);
    expect(() => createTrainer(cfg, {}, { resume: tampered })).toThrow(/replay buffer rebuilt from its 2 episodes differs from the one saved \(digest [0-9a-f]{16}, saved [0-9a-f]{16}\)/);
    const short = encodeCheckpoint(meta, { ...arrays, 'replay.log.actions': { shape: [332, 1], data: actions.slice(0, 332) } });
    expect(() => createTrainer(cfg, {}, { resume: short })).toThrow(/replay log arrays of the wrong size/);
  });

  it('tell a rebuild\'s progress after each episode re-simulated', async () => {
    const cfg = config();
    const part = await until(cfg, 333); // pendulum episodes are 200 steps: one whole, one of 133
    const { meta, arrays } = decodeCheckpoint(part.bytes);
    const m = meta as { buffer: ReplayLogMeta };
    const buffer = new ReplayBuffer(cfg.algoConfig.bufferSize as number, 3, 1, 32);
    const calls: [number, number][] = [];
    ReplayLog.load(buffer.capacity, 1, 'replay', m.buffer, arrays).rebuild(buffer, makeEnv('pendulum', cfg.env.variant, cfg.env.params), 'squash', (done, total) => calls.push([done, total]));
    expect(calls).toEqual([[200, 333], [333, 333]]);
    expect(buffer.digest()).toBe(m.buffer.digest);
  });

  it('still resume from a version 1 checkpoint (the buffer arrays), writing the arrays after it', async () => {
    const cfg = config();
    const whole = await full(cfg);
    const part = await until(cfg, 333);
    const { meta, arrays } = decodeCheckpoint(part.bytes);
    const m = meta as Record<string, unknown> & { buffer: ReplayLogMeta };
    // the version 1 layout of the same state: the buffer's arrays, { ptr, count }
    const buffer = new ReplayBuffer(cfg.algoConfig.bufferSize as number, 3, 1, 32);
    const env = makeEnv('pendulum', cfg.env.variant, cfg.env.params);
    ReplayLog.load(buffer.capacity, 1, 'replay', m.buffer, arrays).rebuild(buffer, env, 'squash');
    expect(buffer.digest()).toBe(m.buffer.digest);
    const saved = buffer.save('replay');
    const v1Arrays = Object.fromEntries(Object.entries(arrays).filter(([k]) => !k.startsWith('replay.')));
    const v1 = encodeCheckpoint({ ...m, version: 1, buffer: saved.json }, { ...v1Arrays, ...saved.tensors });
    const rest = await resumeFrom(cfg, v1);
    expect(stream([...part.metrics, ...rest.metrics])).toEqual(stream(whole));
    const after = decodeCheckpoint(rest.next);
    expect((after.meta as { buffer: unknown }).buffer).toEqual({ mode: 'full', ptr: 333, count: 333 });
    expect(after.arrays['replay.obs']!.shape).toEqual([333, 3]);
  });
});
