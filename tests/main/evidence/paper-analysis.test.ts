// The Analysis views on the shipped evidence, through the Paper results methods and a real worker
// process: critical-state scores along a shipped run's recorded episode and the landscape at one
// of its steps come from the shipped weights in the paper store (never the user's store); a
// shipped run that kept no weights is refused with that reason, by name. And the app's Paper results
// refuse a results folder with a truncated bundle by its name, with nothing shown from the others.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CriticalArgs, FanArgs, LandscapeArgs } from '../../../src-core/contract/methods/analysis.ts';
import { decodeCheckpoint } from '../../../src-core/train/codec.ts';
import { paperHandlers } from '../../../src-main/api/paper.ts';
import type { Services } from '../../../src-main/api/services.ts';
import { PaperResults } from '../../../src-main/evidence/paper-store.ts';
import { plainQ, softQ } from '../../fixtures/landscape/hand-set.ts';
import { writePaperResults } from './paper-fixture.ts';
import { exportBundle } from '../../../src-main/bundle/export.ts';
import { openStore } from '../../../src-main/store/index.ts';
import { TOY_LIKE, writeFixture } from '../bundle/fixture.ts';

const results = mkdtempSync(join(tmpdir(), 'lab-paper-analysis-'));
const paper = new PaperResults(results, join(results, 'no-pieces'));
const h = paperHandlers({ paper } as unknown as Services);

beforeAll(() => writePaperResults(results), 60_000);
afterAll(async () => {
  await paper.close();
  rmSync(results, { recursive: true, force: true });
});

describe('Analysis views on shipped runs', () => {
  it('the shipped weights are listed where kept, and none elsewhere', async () => {
    const runs = await h['paper.runs']({ task: 'toy' });
    const adaent = runs.find((r) => r.algo === 'sac-adaent' && r.seed === 0)!;
    const ppo = runs.find((r) => r.algo === 'ppo' && r.seed === 0)!;
    expect((await h['paper.checkpoints']({ runId: adaent.id })).map((c) => c.step)).toEqual([3000]);
    // the compact bundle kept its networks only: no target networks or optimiser moments
    const st = await paper.get();
    const { arrays, meta } = decodeCheckpoint(new Uint8Array(readFileSync(st.ok ? st.store.checkpoints.latest(adaent.id)!.file : '')));
    expect(Object.keys(arrays).sort()).toEqual(['agent/actor', 'agent/critic', 'agent/log_alpha', 'agent/plain_critic']);
    expect(meta).toMatchObject({ buffer: null, episodes: [], networksOnly: expect.stringMatching(/not resumable/) });
    expect(await h['paper.checkpoints']({ runId: ppo.id })).toEqual([]);
    // kept episodes: the last one, and the one at the common step where that is another evaluation
    expect(ppo.episodes.map((e) => [e.step, e.startSeed])).toEqual([[3000, 11]]);
    const sac = runs.find((r) => r.algo === 'sac' && r.seed === 0)!;
    expect(sac.episodes.map((e) => [e.step, e.startSeed])).toEqual([[3100, 41], [3000, 11]]);
    expect(sac.trajectory).toMatchObject({ step: 3100, startSeed: 41 });
    await expect(h['paper.checkpoints']({ runId: 999 })).rejects.toThrow(/no shipped run 999/);
  });

  it('critical steps and the landscape of a shipped SAC-AdaEnt run come from its shipped networks', async () => {
    const runs = await h['paper.runs']({ task: 'toy' });
    const adaent = runs.find((r) => r.algo === 'sac-adaent' && r.seed === 0)!;
    const run = { runId: adaent.id, step: 3000 };
    const c = await h['paper.critical'](CriticalArgs.parse({ run, trajectoryId: adaent.trajectory!.id }));
    expect(c.critical).toEqual([true, true]); // hand-set: peaked plain Q, low cosine at every state
    expect(c.sources[0]!.runId).toBe(adaent.id);
    const L = await h['paper.landscape'](LandscapeArgs.parse({ run, state: { kind: 'trajectory', trajectoryId: adaent.trajectory!.id, t: 1 } }));
    const soft = L.layers.find((l) => l.key === 'q_soft')!.values;
    const plain = L.layers.find((l) => l.key === 'q_plain')!.values;
    L.x.forEach((a, i) => {
      expect(soft[i]).toBeCloseTo(softQ(a), 4);
      expect(plain[i]).toBeCloseTo(plainQ(a), 4);
    });
  }, 120_000);

  it('a rollout fan of a shipped SAC-AdaEnt run: its hand-set actor from the toy\'s start, deterministic right to the safe branch, stochastic ones spread', async () => {
    const runs = await h['paper.runs']({ task: 'toy' });
    const adaent = runs.find((r) => r.algo === 'sac-adaent' && r.seed === 0)!;
    const f = await h['paper.fan'](FanArgs.parse({ run: { runId: adaent.id, step: 3000 }, start: { kind: 'seed', seed: 0 }, count: 16 }));
    expect(f).toMatchObject({ runId: adaent.id, step: 3000, algo: 'sac-adaent', envId: 'toy' });
    // the actor's pre-tanh mean is 0.3 at every state: a = tanh(0.3) > 0 goes right, to the safe branch
    expect(f.deterministic.return).toBe(-1);
    expect(f.stochastic.map((e) => e.states.slice(0, f.stateDim))).toEqual(f.stochastic.map(() => f.deterministic.states.slice(0, f.stateDim)));
    // sigma = e^-0.6: about 3 in 10 samples go left at s0 (then |a| < 0.1 at s1 earns +1, else -20)
    const returns = f.stochastic.map((e) => e.return);
    expect(returns.every((r) => [-1, 1, -20].includes(r))).toBe(true);
    expect(returns.filter((r) => r !== -1).length).toBeGreaterThan(0);
    const ppo = runs.find((r) => r.algo === 'ppo' && r.seed === 0)!;
    await expect(h['paper.fan'](FanArgs.parse({ run: { runId: ppo.id, step: 3000 }, start: { kind: 'seed', seed: 0 } }))).rejects.toMatchObject({ code: 'not_found', path: 'run.runId', message: expect.stringMatching(new RegExp(`shipped run ${ppo.id} \\(ppo, seed 0\\) kept no weights`)) });
  }, 120_000);

  it('the shipped toy runs for the toy solver: alpha and the branch each ended on, from the paper store', async () => {
    const toy = await h['paper.toyRuns']({ mode: 'deterministic' });
    expect(toy).toHaveLength(9);
    expect(toy.filter((r) => r.algo === 'ppo').map((r) => [r.alpha, r.branch])).toEqual([[0, 'good'], [0, 'good'], [0, 'good']]);
    expect(toy.filter((r) => r.algo === 'sac').map((r) => [r.alpha, r.alphaSource, r.branch, r.finalReturn])).toEqual([
      [1, 'fixed alpha', 'safe', -1], [1, 'fixed alpha', 'safe', -1], [1, 'fixed alpha', 'safe', -1.02],
    ]);
  });

  it('a shipped run without weights is refused by name with the reason', async () => {
    const runs = await h['paper.runs']({ task: 'toy' });
    const ppo = runs.find((r) => r.algo === 'ppo' && r.seed === 0)!;
    const args = LandscapeArgs.parse({ run: { runId: ppo.id, step: 3000 }, state: { kind: 'case', case: 'toy-s0' } });
    await expect(h['paper.landscape'](args)).rejects.toThrow(new RegExp(`shipped run ${ppo.id} \\(ppo, seed 0\\) kept no weights`));
    const adaent = runs.find((r) => r.algo === 'sac-adaent' && r.seed === 0)!;
    const viaPlain = CriticalArgs.parse({ run: { runId: adaent.id, step: 3000 }, plainFrom: { runId: ppo.id, step: 3000 }, trajectoryId: adaent.trajectory!.id });
    await expect(h['paper.critical'](viaPlain)).rejects.toMatchObject({ code: 'not_found', path: 'plainFrom.runId' });
  });
});

describe('shipped runs of one task at two budgets', () => {
  it('the overview names each budget, and each name serves its own runs and figures', async () => {
    const two = mkdtempSync(join(tmpdir(), 'lab-paper-budgets-'));
    const src = mkdtempSync(join(tmpdir(), 'lab-paper-budgets-src-'));
    const store = new PaperResults(two, join(two, 'no-pieces'));
    try {
      copyFileSync(join(results, 'toy-quick.labbundle'), join(two, 'toy-quick.labbundle'));
      const longer = openStore(join(src, 'lab.db'));
      try {
        const { experimentId } = writeFixture(longer, TOY_LIKE.slice(0, 2), { totalSteps: 6000, checkpoint: false });
        writeFileSync(join(two, 'toy-quick-6k.labbundle'), exportBundle(longer, experimentId, {}, { compact: true }).bytes);
      } finally {
        longer.close();
      }
      const hb = paperHandlers({ paper: store } as unknown as Services);
      const o = await hb['paper.overview']({});
      const tasks = [...new Set(o.report!.rows.map((r) => r.task))];
      expect(tasks).toEqual(['toy (3k learning steps)', 'toy (6k learning steps)']);
      expect(o.report!.rows.filter((r) => r.task === 'toy (6k learning steps)' && r.mode === 'deterministic').map((r) => [r.algo, r.n, r.learningSteps])).toEqual([['ppo', 3, [6000]], ['sac', 3, [6000]]]);
      expect(o.figures.filter((f) => f.task === 'toy (6k learning steps)').map((f) => f.name)).toContain('toy-6k-learning-steps-modes.svg');
      const runs = await hb['paper.runs']({ task: 'toy (6k learning steps)' });
      expect(runs.map((r) => [r.algo, r.task])).toEqual([['ppo', 'toy (6k learning steps)'], ['ppo', 'toy (6k learning steps)'], ['ppo', 'toy (6k learning steps)'], ['sac', 'toy (6k learning steps)'], ['sac', 'toy (6k learning steps)'], ['sac', 'toy (6k learning steps)']]);
      expect((await hb['paper.runs']({ task: 'toy (3k learning steps)' })).map((r) => r.algo)).toEqual(['ppo', 'ppo', 'ppo', 'sac', 'sac', 'sac', 'sac-adaent', 'sac-adaent', 'sac-adaent']);
      await expect(hb['paper.runs']({ task: 'toy' })).rejects.toThrow(/no shipped run of task 'toy'/);
    } finally {
      await store.close();
      rmSync(two, { recursive: true, force: true });
      rmSync(src, { recursive: true, force: true });
    }
  });
});

describe('the app refuses a results folder with a truncated bundle', () => {
  it('by the bundle\'s name; the overview says so and no shipped run is served', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'lab-paper-bad-'));
    const store = new PaperResults(bad, join(bad, 'no-pieces'));
    try {
      copyFileSync(join(results, 'toy-quick.labbundle'), join(bad, 'a-toy-quick.labbundle'));
      const bytes = readFileSync(join(results, 'toy-quick.labbundle'));
      writeFileSync(join(bad, 'b-vehicle-quick.labbundle'), bytes.subarray(0, bytes.length >> 1));
      const st = await store.get();
      expect(st.ok).toBe(false);
      expect(!st.ok && st.reason).toMatch(/b-vehicle-quick\.labbundle: .*nothing from .* was imported/);
      const hb = paperHandlers({ paper: store } as unknown as Services);
      const o = (await hb['paper.overview']({})) as { available: boolean; reason: string | null; report: unknown };
      expect([o.available, o.report]).toEqual([false, null]);
      expect(o.reason).toMatch(/b-vehicle-quick\.labbundle/);
      await expect(hb['paper.runs']({ task: 'toy' })).rejects.toThrow(/b-vehicle-quick\.labbundle/);
    } finally {
      await store.close();
      rmSync(bad, { recursive: true, force: true });
    }
  });
});
