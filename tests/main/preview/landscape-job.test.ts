// The landscape job on checkpoints whose networks are set by hand (issue 15): every layer equals
// its closed form, the view's cosine equals the training code's switch on the same samples, and
// each algorithm says which layers it lacks. Runs the worker's job function in this process.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../../../src-core/algos/index.ts';
import { normals } from '../../../src-core/algos/common/squashed_act.ts';
import type { Agent } from '../../../src-core/algos/common/types.ts';
import type { SeedSacAdaEntAgent } from '../../../src-core/algos/sac_adaent/sac_adaent.ts';
import type { SingleSeedSac } from '../../../src-core/algos/sac/seed_sac.ts';
import type { PpoAgent } from '../../../src-core/algos/ppo/ppo.ts';
import type { LandscapeJob } from '../../../src-core/contract/worker-protocol.ts';
import { Rng } from '../../../src-core/rng.ts';
import { encodeCheckpoint } from '../../../src-core/train/codec.ts';
import { resolveRunConfig } from '../../../src-core/train/run_config.ts';
import type { RunConfig } from '../../../src-core/train/types.ts';
import { initBackend } from '../../../src-main/engine/backend.ts';
import { axisPoints } from '../../../src-core/analysis/landscape.ts';
import { handSetAdaEnt, K, LOG_STD, MU, plainQ, Q0, softQ } from '../../fixtures/landscape/hand-set.ts';
import { runLandscapeJob } from '../../../src-main/preview/landscape-job.ts';

beforeAll(async () => {
  await initBackend('wasm');
});

const OBS_S1 = [0, 1, 0, 0, 0, 0]; // the toy observes its state one-hot
const dir = mkdtempSync(join(tmpdir(), 'lab-landscape-'));
/** Peakedness of the hand-set plain Q (a tent: max 1, min 0) on the 101-point cover. */
const PEAK = 1 - axisPoints(-1, 1, 101).reduce((s, a) => s + plainQ(a), 0) / 101;

function checkpoint(cfg: RunConfig, agent: Agent, name: string): string {
  const state = agent.saveState();
  const arrays: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const [k, v] of Object.entries(state.tensors)) arrays[`agent/${k}`] = v;
  const file = join(dir, name);
  writeFileSync(file, encodeCheckpoint({ format: 'maxent-lab-checkpoint', config: cfg, agent: state.json }, arrays));
  return file;
}

function job(file: string, cfg: RunConfig, over: Partial<LandscapeJob> = {}): LandscapeJob {
  return {
    kind: 'landscape',
    primary: { checkpointFile: file, runConfig: cfg as unknown as Record<string, unknown>, runId: 7, step: 100 },
    observations: [OBS_S1],
    axes: [0],
    seed: 3,
    context: { title: 'hand-set', stateLabel: 'toy s1', state: [1] },
    ...over,
  };
}

function adaEntCheckpoint(): { cfg: RunConfig; agent: Agent; file: string } {
  const { cfg, agent, bytes } = handSetAdaEnt();
  const file = join(dir, 'adaent.ckpt');
  writeFileSync(file, bytes);
  return { cfg, agent, file };
}

describe('landscape of hand-set networks (SAC-AdaEnt on the toy, alpha 1)', () => {
  it('Q_soft, Q_plain, V_soft, the Boltzmann density and the policy density equal their closed forms', async () => {
    const { cfg, agent, file } = adaEntCheckpoint();
    agent.dispose();
    const { landscape: L } = await runLandscapeJob(job(file, cfg));
    expect(L).toBeDefined();
    const alpha = L!.alpha!;
    expect(alpha).toBeCloseTo(1, 6);
    expect(L!.x).toHaveLength(201);
    const layer = (k: string) => L!.layers.find((l) => l.key === k)!.values;
    L!.x.forEach((a, i) => {
      expect(layer('q_soft')[i]).toBeCloseTo(softQ(a), 5);
      expect(layer('q_plain')[i]).toBeCloseTo(plainQ(a), 5);
    });
    const vExact = Q0 + alpha * Math.log((alpha / K) * (Math.exp(K / alpha) - Math.exp(-K / alpha)));
    expect(L!.vSoft!.value).toBeCloseTo(vExact, 4);
    const sigma = Math.exp(LOG_STD);
    L!.x.forEach((a, i) => {
      expect(layer('boltzmann')[i]).toBeCloseTo(Math.exp((K * a + Q0 - vExact) / alpha), 3);
      const pol = Math.abs(a) < 1 ? Math.exp(-0.5 * ((Math.atanh(a) - MU) / sigma) ** 2) / (sigma * Math.sqrt(2 * Math.PI) * (1 - a * a)) : 0;
      expect(layer('policy_density')[i]).toBeCloseTo(pol, 4);
    });
    expect(L!.held).toEqual([Math.tanh(MU)].map((v) => expect.closeTo(v, 6)));
    expect(L!.missing).toEqual([]);
    // peakedness over the 101-point cover: (max - mean) / (max - min) of the tent, max 1, min 0
    expect(L!.peak!.peakedness).toBeCloseTo(PEAK, 5);
    expect(L!.layers.every((l) => l.label.includes('run 7 (sac-adaent) at step 100'))).toBe(true);
  });

  it("the view's cosine is the training code's: same samples, same value, same switch decision", async () => {
    const { cfg, agent, file } = adaEntCheckpoint();
    const { landscape: L } = await runLandscapeJob(job(file, cfg));
    const a = L!.adaent!;
    const N = 100;
    expect(a.samples).toHaveLength(N);
    // the samples are tanh(mu + sigma z) with z from Rng(seed 3, stream 4)
    const z = normals(new Rng(3, 4), N);
    a.samples.forEach((s, j) => expect(s).toBeCloseTo(Math.tanh(MU + Math.exp(LOG_STD) * z[j]!), 5));
    // closed form on those samples: u = K (a - min a) (scale-free: cosine), v = tent(a) - min tent
    const lo = Math.min(...a.samples);
    const vs = a.samples.map(plainQ);
    const vlo = Math.min(...vs);
    const u = a.samples.map((s) => s - lo);
    const v = vs.map((x) => x - vlo);
    const dot = u.reduce((s, x, j) => s + x * v[j]!, 0);
    const norm = Math.hypot(...u) * Math.hypot(...v);
    expect(a.cosine).toBeCloseTo(dot / norm, 5);
    // the training update's own switch (SeedSacAdaEntAgent.switchCosines: the switch of its update)
    // on the same state and noise (z drawn again from Rng(3, 4))
    const sac = (agent as SingleSeedSac).batched as SeedSacAdaEntAgent;
    const cos = (await sac.switchCosines(0, Float32Array.from(OBS_S1), 1, N, new Rng(3, 4)))[0]!;
    const trained = [cos, cos < sac.cfg.threshold ? 1 : 0];
    agent.dispose();
    expect(a.cosine).toBeCloseTo(trained[0]!, 6);
    expect(a.followsPlain).toBe(trained[1] === 1);
    expect(a.threshold).toBe(0.9);
    expect(a.thresholdFrom).toBe("run 7's SAC-AdaEnt config");
  });

  it('a 2-D heatmap over a 1-D action is refused with the axes named', async () => {
    const { cfg, agent, file } = adaEntCheckpoint();
    agent.dispose();
    await expect(runLandscapeJob(job(file, cfg, { axes: [0, 1] }))).rejects.toThrow('action axes 0, 1 are not all in 0..0');
  });

  it('critical scores along an episode: per step peakedness and cosine from the same functions', async () => {
    const { cfg, agent, file } = adaEntCheckpoint();
    agent.dispose();
    const { critical: C } = await runLandscapeJob(job(file, cfg, { kind: 'critical', observations: [[1, 0, 0, 0, 0, 0], OBS_S1] }));
    expect(C!.peakedness).toEqual([PEAK, PEAK].map((v) => expect.closeTo(v, 5)));
    // a ramp against a tent: the min-shifted vectors are far from parallel
    expect(C!.cosine.every((c) => c !== null && c >= 0 && c < 0.9)).toBe(true);
    expect(C!.critical).toEqual([true, true]);
    expect(C!.definition).toMatch(/^peakedness = \(max - mean\) \/ \(max - min\) of plain Q over a uniform grid/);
  });
});

describe('what each algorithm has', () => {
  it('SAC: soft only, plain said missing; TD3: plain only; PPO: its density and V(s)', async () => {
    for (const [algo, present, absent] of [
      ['sac', ['q_soft', 'boltzmann', 'policy_density'], ['q_plain']],
      ['td3', ['q_plain'], ['q_soft', 'policy_density', 'boltzmann']],
      ['ppo', ['policy_density'], ['q_soft', 'q_plain', 'boltzmann']],
    ] as const) {
      const cfg = resolveRunConfig({ env: 'toy', algo, preset: 'quick', seed: 0, overrides: { hidden: '4' } });
      const agent = createAgent(cfg.algo, cfg.algoConfig, 6, 1, new Rng(0, 2));
      const file = checkpoint(cfg, agent, `${algo}.ckpt`);
      agent.dispose();
      const { landscape: L } = await runLandscapeJob(job(file, cfg));
      expect(L!.layers.map((l) => l.key).sort(), algo).toEqual([...present].sort());
      expect(L!.missing.map((m) => m.key).sort(), algo).toEqual([...absent].sort());
      expect(L!.adaent, algo).toBeNull();
      if (algo === 'ppo') expect(Number.isFinite(L!.stateValue)).toBe(true);
      else expect(L!.stateValue).toBeNull();
    }
  });
});

describe('PPO with observation normalisation', () => {
  it('the landscape sees the observation as the policy does (normalised by the stored statistics)', async () => {
    const cfg = resolveRunConfig({ env: 'toy', algo: 'ppo', preset: 'quick', seed: 0, overrides: { hidden: '4', obsNorm: true } });
    const agent = createAgent(cfg.algo, cfg.algoConfig, 6, 1, new Rng(0, 2)) as PpoAgent;
    agent.observe(Float32Array.from([...[1, 0, 0, 0, 0, 0], ...OBS_S1, ...[0, 0, 0, 1, 0, 0]]), 3);
    const file = checkpoint(cfg, agent, 'ppo-norm.ckpt');
    const acted = (await agent.act(Float32Array.from(OBS_S1), 1, 'deterministic', new Rng(0))).actions[0]!;
    agent.dispose();
    const { landscape: L } = await runLandscapeJob(job(file, cfg));
    expect(L!.policy!.mean[0]).toBeCloseTo(acted, 6);
  });
});

describe('a SAC run against the plain Q of another run at the same state', () => {
  it("takes the plain Q (and AdaEnt's threshold) from the other run and labels each layer with its run", async () => {
    const sacCfg = resolveRunConfig({ env: 'toy', algo: 'sac', preset: 'quick', seed: 0, overrides: { hidden: '3' } });
    const sac = createAgent(sacCfg.algo, sacCfg.algoConfig, 6, 1, new Rng(1, 2));
    const sacFile = checkpoint(sacCfg, sac, 'sac-vs.ckpt');
    sac.dispose();
    const { cfg, agent, file } = adaEntCheckpoint();
    agent.dispose();
    const plain = { checkpointFile: file, runConfig: cfg as unknown as Record<string, unknown>, runId: 9, step: 300 };
    const { landscape: L } = await runLandscapeJob({ ...job(sacFile, sacCfg), plain });
    const byKey = Object.fromEntries(L!.layers.map((l) => [l.key, l]));
    expect(byKey.q_soft!.runId).toBe(7);
    expect(byKey.q_soft!.label).toMatch(/run 7 \(sac\) at step 100/);
    expect(byKey.q_plain!.runId).toBe(9);
    expect(byKey.q_plain!.label).toBe('Q_plain = min(P1, P2), the plain pair, run 9 (sac-adaent) at step 300');
    L!.x.forEach((a, i) => expect(byKey.q_plain!.values[i]).toBeCloseTo(plainQ(a), 5));
    expect(L!.missing).toEqual([]);
    expect(L!.adaent!.thresholdFrom).toBe("run 9's SAC-AdaEnt config");
    expect(L!.adaent!.sources).toMatch(/actions from run 7 \(sac\) at step 100's policy .* plain values from run 9 \(sac-adaent\) at step 300/);
    expect(L!.sources.map((x) => x.runId)).toEqual([7, 9]);
  });

  it('refuses a comparison run without a plain Q, naming it', async () => {
    const sacCfg = resolveRunConfig({ env: 'toy', algo: 'sac', preset: 'quick', seed: 0, overrides: { hidden: '3' } });
    const sac = createAgent(sacCfg.algo, sacCfg.algoConfig, 6, 1, new Rng(1, 2));
    const sacFile = checkpoint(sacCfg, sac, 'sac-other.ckpt');
    sac.dispose();
    const plain = { checkpointFile: sacFile, runConfig: sacCfg as unknown as Record<string, unknown>, runId: 8, step: 5 };
    await expect(runLandscapeJob({ ...job(sacFile, sacCfg), plain })).rejects.toThrow('run 8 (sac) has no plain Q to compare against: pick a SAC-AdaEnt or TD3 run');
  });
});

