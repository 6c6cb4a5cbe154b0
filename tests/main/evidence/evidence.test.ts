// The evidence machinery without training: the verdict rule, the report's statistics against
// `lab compare`'s on a stored fixture, compact bundles in a results folder (a truncated or malformed
// one refused, nothing imported), and `lab reproduce` continuing a stored campaign experiment.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimText, decideVerdict, MIN_RUNS, SENSITIVITY_LAST_EVALS, sensitivityText } from '../../../src-core/stats/paper-claims.ts';
import { COMPACT, exportBundle } from '../../../src-main/bundle/export.ts';
import { readBundle } from '../../../src-main/bundle/import.ts';
import type { CompareJson } from '../../../src-main/cli/verbs/compare.ts';
import { taskExperiment, TASKS } from '../../../src-main/evidence/campaign.ts';
import { buildEvidenceReport, type EvidenceReport } from '../../../src-main/evidence/report.ts';
import { importResults, resultBundleFiles, ResultsError, RESULTS_DIR } from '../../../src-main/evidence/results.ts';
import { openStore } from '../../../src-main/store/index.ts';
import { config, TOY_LIKE, tempDir, writeFixture, type FixtureAlgo } from '../bundle/fixture.ts';
import { lab } from '../cli/lab-cli.ts';

const t = tempDir('lab-evidence-');
const db = join(t.dir, 'lab.db');
let experimentId = 0;
/** TD3 beside the toy fixture: two seeds on +1, one below SAC, so P(TD3 > SAC) = 2/3. */
const TD3_ROW: FixtureAlgo = { algo: 'td3', det: [1, 1, -2], sto: [0.5, 0.8, -2] };

beforeAll(() => {
  const store = openStore(db);
  experimentId = writeFixture(store, [...TOY_LIKE, TD3_ROW]).experimentId;
  store.close();
});
afterAll(() => t.cleanup());

describe('verdict rule', () => {
  const better = { relation: 'better' as const, x: 'ppo', y: 'sac' };
  const equal = { relation: 'equal' as const, x: 'ppo', y: 'sac' };
  const ev = (lower: number, upper: number, n = 5) => ({ nx: n, ny: n, probability: { point: (lower + upper) / 2, lower, upper } });
  it('"better": interval above 0.5 reproduces, below contradicts, across 0.5 does not reproduce', () => {
    expect(decideVerdict(better, ev(0.6, 1)).verdict).toBe('reproduced');
    expect(decideVerdict(better, ev(0, 0.4)).verdict).toBe('contradicted');
    expect(decideVerdict(better, ev(0.3, 0.9)).verdict).toBe('not reproduced');
    expect(decideVerdict(better, ev(0.5, 1)).verdict).toBe('not reproduced'); // lo must exceed 0.5
  });
  it('"about equal": inside [0.25, 0.75] reproduces, a clear winner contradicts, a wide interval does not decide', () => {
    expect(decideVerdict(equal, ev(0.3, 0.7)).verdict).toBe('reproduced');
    expect(decideVerdict(equal, ev(0.55, 0.9)).verdict).toBe('contradicted');
    expect(decideVerdict(equal, ev(0.1, 0.45)).verdict).toBe('contradicted');
    expect(decideVerdict(equal, ev(0.1, 0.9)).verdict).toBe('not reproduced');
  });
  it(`fewer than ${MIN_RUNS} runs on either side decide nothing, whatever the interval`, () => {
    const r = decideVerdict(better, { nx: MIN_RUNS - 1, ny: 5, probability: { point: 1, lower: 1, upper: 1 } });
    expect(r.verdict).toBe('not reproduced');
    expect(r.reason).toMatch(/too few runs/);
  });
  it('names a claim as the report and the learning tests write it', () => {
    expect(claimText(better)).toBe('ppo better than sac');
    expect(claimText(equal)).toBe('ppo about equal to sac');
  });
});

describe('lab report', () => {
  it("the report's IQM, intervals and P(improvement) equal lab compare's, in both modes", async () => {
    const rep = JSON.parse((await lab('report', '--json', '--db', db)).stdout) as EvidenceReport;
    for (const mode of ['deterministic', 'stochastic'] as const) {
      const r = await lab('compare', '--experiment', String(experimentId), '--mode', mode, '--json', '--db', db);
      expect(r.code).toBe(0);
      const cmp = JSON.parse(r.stdout) as CompareJson;
      const rows = rep.rows.filter((x) => x.mode === mode);
      expect(rows.length).toBe(4);
      for (const c of cmp.rows) {
        const x = rows.find((q) => q.algo === c.group)!;
        expect({ task: x.task, n: x.n, iqm: x.iqm, lo: x.ci_low, hi: x.ci_high }).toEqual({ task: 'toy', n: c.n, iqm: c.iqm, lo: c.iqmLower, hi: c.iqmUpper });
        // each run's final return, highest first: what the IQM summarises
        expect(x.finals).toHaveLength(x.n);
        expect(x.finals).toEqual([...x.finals].sort((a, b) => b - a));
        expect(x.finals.reduce((a, b) => a + b, 0) / x.n).toBeCloseTo(x.mean!, 12);
      }
      for (const [x, y] of [['ppo', 'sac'], ['sac-adaent', 'sac'], ['td3', 'sac']]) {
        const p = rep.pairs.find((q) => q.mode === mode && q.x === x && q.y === y)!;
        const c = cmp.improvement.find((q) => q.x === x && q.y === y)!;
        expect([p.p, p.ci_low, p.ci_high]).toEqual([c.probability, c.lower, c.upper]);
      }
    }
    expect(rep.rows.every((x) => /^N = 3 < 5: a 95% percentile bootstrap interval/.test(x.caveat ?? ''))).toBe(true);
    // fixture: PPO and SAC-AdaEnt end on +1, SAC on -1, 3 seeds each
    expect(rep.verdicts.filter((v) => v.task === 'toy').map((v) => [v.claim, v.verdict])).toEqual([
      ['ppo better than sac', 'reproduced'],
      ['sac-adaent better than sac', 'reproduced'],
    ]);
    expect(rep.verdicts.find((v) => v.task === 'acrobot')!.reason).toMatch(/no completed run/);
    expect(rep.verdicts.find((v) => v.task === 'acrobot')!.sensitivity).toBeNull();
    // the sensitivity check is lab compare --last-evals 3's P(improvement), through the same rule
    const last3 = JSON.parse((await lab('compare', '--experiment', String(experimentId), '--last-evals', String(SENSITIVITY_LAST_EVALS), '--json', '--db', db)).stdout) as CompareJson;
    for (const v of rep.verdicts.filter((x) => x.task === 'toy')) {
      const [x, y] = v.claim.split(' better than ');
      const c = last3.improvement.find((q) => q.x === x && q.y === y)!;
      expect(v.sensitivity).toEqual({ lastEvals: 3, verdict: 'reproduced', p: c.probability, ci_low: c.lower, ci_high: c.upper });
      expect(sensitivityText(v)).toBe(`same (P = ${c.probability!.toFixed(2)} [${c.lower!.toFixed(2)}, ${c.upper!.toFixed(2)}])`);
    }
    // the campaign's other cells: the toy's sac-auto (the fixture has the other four), and every algorithm of the other tasks
    expect(rep.unmeasured[0]).toEqual({ task: 'toy', algos: ['sac-auto'], command: 'lab reproduce toy --algos sac-auto' });
    expect(rep.unmeasured.find((c) => c.task === 'acrobot')).toEqual({ task: 'acrobot', algos: ['ppo', 'sac', 'sac-auto', 'sac-adaent', 'td3'], command: 'lab reproduce acrobot --algos ppo,sac,sac-auto,sac-adaent,td3' });
    expect(rep.unmeasured.map((c) => c.task)).toEqual(['toy', 'vehicle-dynamic', 'vehicle-kinematic', 'quadrotor-rotors', 'quadrotor-simplified', 'acrobot', 'obstacle2d', 'hopper', 'opencat', 'pendulum']);
  });

  it('the text report ends with the campaign cells not measured yet and the command for each task', async () => {
    const r = await lab('report', '--db', db);
    expect(r.code).toBe(0);
    const tail = r.stdout.slice(r.stdout.indexOf('not measured yet'));
    expect(tail.split('\n').slice(1, 3)).toEqual(['  toy: sac-auto (lab reproduce toy --algos sac-auto)', '  vehicle-dynamic: ppo, sac, sac-auto, sac-adaent, td3 (lab reproduce vehicle-dynamic --algos ppo,sac,sac-auto,sac-adaent,td3)']);
  });

  it('--markdown writes the table, the verdicts, the rule and SVG figures beside it', async () => {
    const out = join(t.dir, 'docs', 'results.md');
    mkdirSync(join(t.dir, 'docs'));
    const r = await lab('report', '--markdown', '--out', out, '--db', db);
    expect(r.code).toBe(0);
    const md = readFileSync(out, 'utf8');
    expect(md).toMatch(/\| toy \| ppo \| 3 \| 3k \| 0\.993 \[/);
    expect(md).toMatch(/\| final deterministic return per run \(highest first\) \|/);
    expect(md).toMatch(/\| toy \| ppo \| 3 \| 3k \| 0\.993 \[.*\| -?\d\.\d\d, -?\d\.\d\d, -?\d\.\d\d \|$/m);
    expect(md).toMatch(/\*\*reproduced\*\*/);
    expect(md).toContain('| task | claim | paper | verdict | why | sensitivity: on the mean of the last 3 evaluations |');
    expect(md).toMatch(/^\| toy \| ppo better than sac \| .* \| \*\*reproduced\*\* \| .* \| same \(P = 1\.00 \[1\.00, 1\.00\]\) \|$/m);
    expect(md).toMatch(/Deciding rule/);
    expect(md).toMatch(/^## Not measured yet$/m);
    expect(md).toContain('| toy | sac-auto | `lab reproduce toy --algos sac-auto` |');
    // every shown probability has its column; a pair with no runs (SAC auto here) is '-', not a number
    expect(md).toContain('| task | P(PPO > SAC) | P(SAC-AdaEnt > SAC) | P(PPO > SAC auto) | P(TD3 > SAC) |');
    expect(md).toMatch(/^\| toy \| 1\.00 \[1\.00, 1\.00\] \| 1\.00 \[1\.00, 1\.00\] \| - \| 0\.67 \[\d\.\d\d, \d\.\d\d\] \|$/m);
    const figs = readdirSync(join(t.dir, 'docs', 'results'));
    expect(figs.sort()).toEqual(['toy-curve-deterministic.svg', 'toy-curve-stochastic.svg', 'toy-modes.svg', 'toy-ppo-vs-sac.svg']);
    // PPO beside SAC from the same start (seed 11): the last replay frame of each, drawn by the scene code
    const pair = readFileSync(join(t.dir, 'docs', 'results', 'toy-ppo-vs-sac.svg'), 'utf8');
    expect(pair).toMatch(/same start \(seed 11; PPO at step 3000, SAC at 3000\)/);
    expect(pair.match(/frame 2 \(the last\)/g)).toHaveLength(2);
    expect(pair).toMatch(/the toy graph: nodes s0-s5/);
    expect(pair).toMatch(/ppo \(seed 0\): return 1\.000 over 2 steps/);
    expect(pair).toMatch(/sac \(seed 0\): return -1\.000 over 2 steps/);
    for (const f of figs) expect(md).toContain(`(results/${f})`);
    const svg = readFileSync(join(t.dir, 'docs', 'results', 'toy-curve-deterministic.svg'), 'utf8');
    expect(svg).toMatch(/^<svg /);
    expect(svg).toMatch(/IQM/);
  });
});

describe("the paper's summary claim, pooled over its precision-control tasks", () => {
  it('is decided by the same rule on P(PPO > SAC) averaged over the tasks both ran, equal to lab compare over those experiments; the others named', async () => {
    const pdb = join(t.dir, 'pooled.db');
    const store = openStore(pdb);
    const ids = ['acrobot', 'opencat'].map((envId) => writeFixture(store, TOY_LIKE.slice(0, 2), { checkpoint: false, envId }).experimentId);
    writeFixture(store, TOY_LIKE.slice(0, 1), { checkpoint: false, envId: 'hopper' }); // not a precision-control task: never pooled
    store.close();
    const rep = JSON.parse((await lab('report', '--json', '--db', pdb)).stdout) as EvidenceReport;
    const p = rep.pooled;
    expect(p.tasks).toEqual(['acrobot', 'opencat']);
    expect(p.missing).toEqual([
      { task: 'vehicle/dynamic', reason: 'ppo: 0, sac: 0 completed runs (at least 3 each)' },
      { task: 'quadrotor/rotors', reason: 'ppo: 0, sac: 0 completed runs (at least 3 each)' },
    ]);
    // fixture: PPO's finals 1, 1, 0.98 above SAC's -1, -1, -1.02 on both tasks
    expect([p.claim, p.verdict, p.reason]).toEqual(['ppo better than sac, pooled', 'reproduced', 'P(ppo > sac) = 1.00 [1.00, 1.00] lies above 0.5, averaged over 2 tasks']);
    for (const mode of ['deterministic', 'stochastic'] as const) {
      const cmp = JSON.parse((await lab('compare', '--experiment', ids.join(','), '--mode', mode, '--json', '--db', pdb)).stdout) as CompareJson;
      const m = p.modes.find((x) => x.mode === mode)!;
      const c = cmp.improvement.find((q) => q.x === 'ppo' && q.y === 'sac')!;
      expect([m.p, m.ci_low, m.ci_high]).toEqual([c.probability, c.lower, c.upper]);
      for (const a of m.algos) {
        const g = cmp.acrossTasks!.groups.find((x) => x.group === a.algo)!;
        expect([a.runs, a.iqm, a.ci_low, a.ci_high, a.gap]).toEqual([g.runs, g.iqm.point, g.iqm.lower, g.iqm.upper, g.optimalityGap.point]);
      }
    }
    const text = (await lab('report', '--db', pdb)).stdout;
    expect(text).toContain('pooled over acrobot, opencat: ppo better than sac, pooled -> reproduced: P(ppo > sac) = 1.00 [1.00, 1.00] lies above 0.5, averaged over 2 tasks');
    expect(text).toContain('  not pooled: vehicle/dynamic (ppo: 0, sac: 0 completed runs (at least 3 each))');
    // one task alone is no pool
    const one = JSON.parse((await lab('report', '--json', '--experiment', String(ids[0]), '--db', pdb)).stdout) as EvidenceReport;
    expect([one.pooled.verdict, one.pooled.reason, one.pooled.modes]).toEqual(['not reproduced', 'fewer than two of its tasks have the runs to pool (1)', []]);
  });
});

describe('a verdict on an algorithm still moving at the end of its budget', () => {
  it('says so beside the rule\'s reason (the rule itself decides as before)', () => {
    const store = openStore(join(t.dir, 'rising.db'));
    try {
      for (const [algo, curve] of [['ppo', (i: number) => (i / 19) ** 2], ['sac', () => -1]] as const) {
        for (const seed of [0, 1, 2]) {
          const id = store.runs.insert({ env: { id: 'toy', variant: 'default', params: {} }, algo, preset: 'quick', seed, totalSteps: 1900, evalInterval: 100, evalEpisodes: 1, evalModes: ['deterministic'], recordEpisodes: 0, evalSeed: 7, algoConfig: {} });
          for (let i = 0; i <= 19; i++) store.evaluations.insert(id, { step: i * 100, mode: 'deterministic', returns: [curve(i) + seed / 100], lengths: [2], startSeeds: [1], wallTime: i });
          store.runs.markEnded(id, 'completed');
        }
      }
      const rep = buildEvidenceReport(store, { source: 'test' });
      expect(rep.rows.find((r) => r.algo === 'ppo' && r.mode === 'deterministic')!.convergence.verdict).toBe('still rising');
      const v = rep.verdicts.find((x) => x.task === 'toy' && x.claim === 'ppo better than sac')!;
      expect([v.verdict, v.reason]).toEqual(['reproduced', 'P(ppo > sac) = 1.00 [1.00, 1.00] lies above 0.5; at the end of the budget: ppo still rising']);
    } finally {
      store.close();
    }
  });
});

describe("a verdict resting on the runs' last evaluation", () => {
  it('the sensitivity check says so beside it; the verdict stays the rule\'s', async () => {
    const file = join(t.dir, 'last-drop.db');
    const store = openStore(file);
    try {
      // SAC flat at -1; PPO at +1 until its last evaluation, where every seed drops to -2
      for (const algo of ['ppo', 'sac'] as const) {
        for (const seed of [0, 1, 2, 3]) {
          const id = store.runs.insert({ env: { id: 'toy', variant: 'default', params: {} }, algo, preset: 'quick', seed, totalSteps: 900, evalInterval: 100, evalEpisodes: 1, evalModes: ['deterministic'], recordEpisodes: 0, evalSeed: 7, algoConfig: {} });
          for (let i = 0; i <= 9; i++) {
            const ret = algo === 'sac' ? -1 : i === 9 ? -2 : 1;
            store.evaluations.insert(id, { step: i * 100, mode: 'deterministic', returns: [ret + seed / 100], lengths: [2], startSeeds: [1], wallTime: i });
          }
          store.runs.markEnded(id, 'completed');
        }
      }
      const rep = buildEvidenceReport(store, { source: 'test' });
      const v = rep.verdicts.find((x) => x.task === 'toy' && x.claim === 'ppo better than sac')!;
      expect(v.verdict).toBe('contradicted');
      // the mean of the last 3: (1 + 1 - 2) / 3 = 0 > -1 in every pair
      expect(v.sensitivity).toEqual({ lastEvals: 3, verdict: 'reproduced', p: 1, ci_low: 1, ci_high: 1 });
      expect(sensitivityText(v)).toBe('reproduced (P = 1.00 [1.00, 1.00])');
      expect(sensitivityText(rep.verdicts.find((x) => x.claim === 'sac-adaent better than sac')!)).toBe('same');
      expect(rep.rule).toMatch(/sensitivity check that decides nothing \(added after results were seen\)/);
    } finally {
      store.close();
    }
    const text = (await lab('report', '--db', file)).stdout;
    expect(text).toMatch(/^toy\s+ppo better than sac\s+contradicted\s+reproduced \(P = 1\.00 \[1\.00, 1\.00\]\)\s+P\(ppo > sac\) = 0\.00/m);
  });
});

describe('runs of one task at different learning budgets', () => {
  it('are reported apart: the quick preset\'s budget under the bare task, another named, each with its own verdicts', async () => {
    const file = join(t.dir, 'budgets.db');
    const store = openStore(file);
    try {
      // the toy's quick budget is 30k learning steps (SAC's warm-up there is 0): PPO and SAC-AdaEnt on +1, SAC on -1
      writeFixture(store, TOY_LIKE, { totalSteps: 30_000, checkpoint: false });
      // the same algorithms at 60k steps, the order turned round: SAC on +1, the others below it
      writeFixture(store, [
        { algo: 'ppo', det: [-1, -1, -1.02], sto: [-1, -1, -1] },
        { algo: 'sac', det: [1, 1, 0.98], sto: [1, 1, 1] },
        { algo: 'sac-adaent', det: [-1, -1.01, -1], sto: [-1, -1, -1] },
      ], { totalSteps: 60_000, checkpoint: false });
      // an interrupted run at a third budget names no finished one
      const stray = store.runs.insert(config('ppo', 9, 90_000));
      store.runs.markEnded(stray, 'interrupted');
      const rep = buildEvidenceReport(store, { source: 'test' });
      const det = rep.rows.filter((r) => r.mode === 'deterministic');
      expect(det.map((r) => [r.task, r.taskId, r.learningSteps, r.algo, r.n])).toEqual([
        ['toy', 'toy', [30_000], 'ppo', 3], ['toy', 'toy', [30_000], 'sac', 3], ['toy', 'toy', [30_000], 'sac-adaent', 3],
        ['toy (60k learning steps)', 'toy', [60_000], 'ppo', 3], ['toy (60k learning steps)', 'toy', [60_000], 'sac', 3], ['toy (60k learning steps)', 'toy', [60_000], 'sac-adaent', 3],
      ]);
      expect(det.find((r) => r.task === 'toy' && r.algo === 'sac')!.iqm).toBeCloseTo(-1.0067, 3);
      const verdict = (task: string) => rep.verdicts.find((v) => v.task === task && v.claim === 'ppo better than sac')!;
      expect(verdict('toy').verdict).toBe('reproduced');
      expect(verdict('toy (60k learning steps)').verdict).toBe('contradicted');
      expect(rep.pairs.filter((p) => p.mode === 'deterministic' && p.x === 'ppo' && p.y === 'sac').map((p) => [p.task, p.p])).toEqual([['toy', 1], ['toy (60k learning steps)', 0]]);
      expect(rep.excluded).toEqual([{ runId: stray, task: 'toy (90k learning steps)', algo: 'ppo', reason: 'run is interrupted, not completed' }]);
      // the campaign's cells are those of the quick budget: SAC auto and TD3 of the toy
      expect(rep.unmeasured.find((c) => c.task === 'toy')!.algos).toEqual(['sac-auto', 'td3']);
    } finally {
      store.close();
    }
    // the figures of each budget are files of their own
    const md = join(t.dir, 'budgets.md');
    expect((await lab('report', '--markdown', '--out', md, '--db', file)).code).toBe(0);
    const figs = readdirSync(join(t.dir, 'budgets'));
    expect(figs).toContain('toy-modes.svg');
    expect(figs).toContain('toy-60k-learning-steps-modes.svg');
    expect(readFileSync(md, 'utf8')).toMatch(/^\| toy \(60k learning steps\) \| ppo better than sac \| .* \| \*\*contradicted\*\* \|/m);
  });

  it('a task with one budget keeps the bare name whatever the budget; two budgets off the quick preset are both named', () => {
    const store = openStore(join(t.dir, 'budgets-off.db'));
    try {
      writeFixture(store, TOY_LIKE.slice(0, 2), { checkpoint: false });
      expect([...new Set(buildEvidenceReport(store, { source: 'test' }).rows.map((r) => r.task))]).toEqual(['toy']);
      writeFixture(store, TOY_LIKE.slice(0, 2), { totalSteps: 6_000, checkpoint: false });
      expect([...new Set(buildEvidenceReport(store, { source: 'test' }).rows.map((r) => r.task))]).toEqual(['toy (3k learning steps)', 'toy (6k learning steps)']);
    } finally {
      store.close();
    }
  });
});

describe('results/ of compact bundles', () => {
  it('a compact bundle keeps every evaluation, one recorded episode per run and down-samples long training curves', () => {
    const store = openStore(db);
    try {
      const b = readBundle(exportBundle(store, experimentId, {}, { compact: true }).bytes);
      expect(b.manifest.compact?.maxMetricPoints).toBe(COMPACT.maxMetricPoints);
      for (const r of b.manifest.runs) {
        expect(r.evaluations.length).toBe(6);
        expect(r.trajectories.length).toBe(1);
        expect(r.metrics.find((m) => m.key === 'policy/entropy')!.count).toBe(COMPACT.maxMetricPoints); // 1,000 points stored
        expect(r.checkpoint).not.toBeNull(); // 30 bytes: small
      }
      const full = readBundle(exportBundle(store, experimentId).bytes);
      expect(full.manifest.runs[0]!.metrics.find((m) => m.key === 'policy/entropy')!.count).toBe(1000);
    } finally {
      store.close();
    }
  });

  it("a run whose last evaluation is another one's also keeps its episode at the common step, and PPO beside SAC is drawn from there", async () => {
    // the vehicle's case: SAC evaluates at the budget (3000, start seed 11) and once more after it (3100, start seed 41)
    const src = openStore(join(t.dir, 'later-final.db'));
    const { experimentId: exp, runIds } = writeFixture(src, TOY_LIKE);
    for (const id of runIds.filter((id) => src.runs.require(id).algo === 'sac')) {
      const t0 = src.trajectories.get(src.trajectories.list(id)[0]!.id)!;
      src.trajectories.insert(id, { ...t0, step: 3100, startSeed: 41, rewards: Float32Array.of(0, -0.5), rewardComponents: { branch: Float32Array.of(0, -0.5) } });
    }
    const bundle = exportBundle(src, exp, {}, { compact: true }).bytes;
    src.close();
    const b = readBundle(bundle);
    for (const r of b.manifest.runs) {
      const kept = r.trajectories.map((x) => [x.step, x.startSeed]);
      expect(kept).toEqual(r.algo === 'sac' ? [[3100, 41], [3000, 11]] : [[3000, 11]]);
    }
    const dir = join(t.dir, 'results-later');
    mkdirSync(dir);
    writeFileSync(join(dir, 'toy-quick.labbundle'), bundle);
    const out = join(t.dir, 'later.md');
    await lab('report', '--markdown', '--out', out, '--results', dir);
    const pair = readFileSync(join(t.dir, 'later', 'toy-ppo-vs-sac.svg'), 'utf8');
    expect(pair).toMatch(/same start \(seed 11; PPO at step 3000, SAC at 3000\)/);
    expect(pair).toMatch(/evaluation at step 3000 \(its last: 3100\), deterministic/);
    expect(pair).toMatch(/sac \(seed 0\): return -1\.000 over 2 steps/);
  });

  it("a run still training does not pull the common step back in a bundle of an unfinished experiment", () => {
    const src = openStore(join(t.dir, 'unfinished.db'));
    const { experimentId: exp, runIds } = writeFixture(src, TOY_LIKE);
    for (const id of runIds.filter((id) => src.runs.require(id).algo === 'sac')) {
      const t0 = src.trajectories.get(src.trajectories.list(id)[0]!.id)!;
      src.trajectories.insert(id, { ...t0, step: 3100, startSeed: 41 });
    }
    // a third algorithm's run, paused at 1000 steps with one recorded episode there
    const first = src.runs.require(runIds[0]!);
    const paused = src.runs.insert({ ...first.config, algo: 'td3' } as typeof first.config, { experimentId: exp, label: 'td3 seed 0' });
    src.runs.setStatus(paused, 'paused');
    const t0 = src.trajectories.get(src.trajectories.list(runIds[0]!)[0]!.id)!;
    src.trajectories.insert(paused, { ...t0, step: 1000, startSeed: 7 });
    const b = readBundle(exportBundle(src, exp, {}, { compact: true }).bytes);
    src.close();
    for (const r of b.manifest.runs) {
      const kept = r.trajectories.map((x) => [x.step, x.startSeed]);
      if (r.status !== 'completed') expect(kept).toEqual([[1000, 7]]);
      else expect(kept).toEqual(r.algo === 'sac' ? [[3100, 41], [3000, 11]] : [[3000, 11]]);
    }
  });

  it('lab report --results reads the bundles directly, with the same numbers as from the store', async () => {
    const dir = join(t.dir, 'results-ok');
    mkdirSync(dir);
    const store = openStore(db);
    writeFileSync(join(dir, 'toy-quick.labbundle'), exportBundle(store, experimentId, {}, { compact: true }).bytes);
    store.close();
    const a = JSON.parse((await lab('report', '--json', '--results', dir)).stdout) as EvidenceReport;
    const b = JSON.parse((await lab('report', '--json', '--db', db)).stdout) as EvidenceReport;
    const strip = (r: EvidenceReport) => r.rows.map(({ runIds: _, ...x }) => x);
    expect(strip(a)).toEqual(strip(b));
    expect(a.verdicts).toEqual(b.verdicts);
  });

  it('a truncated or malformed bundle in the folder is refused by name and nothing is imported', async () => {
    const store = openStore(db);
    const good = exportBundle(store, experimentId, {}, { compact: true }).bytes;
    store.close();
    const raw = gunzipSync(good);
    const cases: [string, Buffer][] = [
      ['truncated', good.subarray(0, Math.floor(good.length / 2))],
      ['malformed', gzipSync(Buffer.concat([raw.subarray(0, raw.length - 10), Buffer.alloc(10, 1)]))],
    ];
    for (const [what, bytes] of cases) {
      const dir = join(t.dir, `results-${what}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'a-good.labbundle'), good);
      writeFileSync(join(dir, 'b-bad.labbundle'), bytes);
      const target = openStore(join(t.dir, `${what}.db`));
      try {
        expect(() => importResults(target, dir)).toThrow(ResultsError);
        expect(() => importResults(target, dir)).toThrow(/b-bad\.labbundle: .*nothing from .* was imported/);
        expect(target.experiments.list()).toEqual([]);
        expect(target.runs.list().total).toBe(0);
      } finally {
        target.close();
      }
      const r = await lab('report', '--results', dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/b-bad\.labbundle: (not a MaxEnt Lab bundle|bundle is corrupt)/);
      expect(r.stdout).toBe('');
    }
  });
});

describe('lab reproduce', () => {
  it('finds its stored experiment again: the plan counts completed runs, and a finished task writes its bundle and the report without training', async () => {
    const rdb = join(t.dir, 'campaign.db');
    const toy = TASKS.find((x) => x.task === 'toy')!;
    const { spec, runs, source } = taskExperiment(toy, 'quick', 3, { steps: 200 });
    expect(spec.algorithms.map((a) => a.algo)).toEqual(['ppo', 'sac', 'sac-auto', 'sac-adaent', 'td3']);
    const store = openStore(rdb);
    const fixture = openStore(db);
    let ids: number[] = [];
    try {
      const expId = store.experiments.insert({ name: spec.name, description: spec.description, spec, source, tags: spec.tags });
      ids = runs.map((r) => store.runs.insert(r.config, { experimentId: expId, label: r.label, tags: spec.tags }));
      // runs "completed" elsewhere: final evaluations copied from the fixture's ppo / sac runs
      ids.forEach((id, i) => {
        for (const e of fixture.evaluations.list(1 + (i % 6))) store.evaluations.insert(id, { step: e.step, mode: e.mode, returns: e.returns, lengths: e.lengths, startSeeds: e.startSeeds, wallTime: e.wallTime });
        if (i < 10) store.runs.markEnded(id, 'completed');
      });
    } finally {
      store.close();
      fixture.close();
    }
    const plan = await lab('reproduce', 'toy', '--seeds', '3', '--steps', '200', '--plan', '--db', rdb);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/toy +15 runs, 3000 environment steps; experiment 1, 10\/15 runs completed/);
    const s2 = openStore(rdb);
    for (const id of ids.slice(10)) s2.runs.markEnded(id, 'completed');
    s2.close();
    const results = join(t.dir, 'campaign-results');
    const report = join(t.dir, 'campaign.md');
    const r = await lab('reproduce', 'toy', '--seeds', '3', '--steps', '200', '--results', results, '--report', report, '--db', rdb);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/toy: all runs completed; wrote .*toy-quick-200steps\.labbundle/);
    expect(existsSync(join(results, 'toy-quick-200steps.labbundle'))).toBe(true);
    expect(readFileSync(report, 'utf8')).toMatch(/\| toy \| sac-auto \| 3 \|/);
    // the Markdown names the command that writes it again from the bundles (lab report), not the campaign's
    expect(readFileSync(report, 'utf8')).toContain(`Written by \`lab report --markdown --results ${results}\` from the bundles of results/`);
    const again = await lab('reproduce', 'toy', '--seeds', '3', '--steps', '200', '--plan', '--db', rdb);
    expect(again.stdout).toMatch(/15\/15 runs completed/);
  });

  it('trains two tasks from one queue and writes each bundle as its last run completes', async () => {
    const rdb = join(t.dir, 'two-tasks.db');
    const results = join(t.dir, 'two-tasks-results');
    const report = join(t.dir, 'two-tasks.md');
    const r = await lab('reproduce', 'toy', 'pendulum', '--seeds', '1', '--steps', '60', '--concurrency', '2', '--results', results, '--report', report, '--db', rdb);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/toy: experiment 1, 5 runs to go\npendulum: experiment 2, 5 runs to go/);
    for (const task of ['toy', 'pendulum']) {
      expect(r.stdout).toMatch(new RegExp(`${task}: all runs completed; wrote .*${task}-quick-60steps\\.labbundle`));
      expect(readBundle(readFileSync(join(results, `${task}-quick-60steps.labbundle`))).manifest.runs).toHaveLength(5);
    }
    expect(readFileSync(report, 'utf8')).toMatch(/\| pendulum \| td3 \| 1 \|/);
  }, 120_000);

  it('--seed-batch: 1 trains each seed in a process of its own, auto groups them; a bad --seed-batch or --backend is refused before anything is stored', async () => {
    const common = ['toy', '--algos', 'sac', '--seeds', '2', '--steps', '60', '--concurrency', '2'];
    const groups = async (name: string, extra: string[]) => {
      const rdb = join(t.dir, `${name}.db`);
      const r = await lab('reproduce', ...common, ...extra, '--results', join(t.dir, `${name}-results`), '--report', join(t.dir, `${name}.md`), '--db', rdb);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const store = openStore(rdb, { mustExist: true });
      try {
        return store.runs.idsOfExperiment(1).map((id) => store.runs.require(id).versions?.seedGroup ?? 'alone');
      } finally {
        store.close();
      }
    };
    expect(await groups('batch-one', ['--seed-batch', '1'])).toEqual(['alone', 'alone']);
    expect(await groups('batch-auto', [])).toEqual(['1,2', '1,2']);
    const rdb = join(t.dir, 'batch-bad.db');
    const bad = await lab('reproduce', ...common, '--seed-batch', '0', '--db', rdb);
    expect([bad.code, bad.stderr.trim()]).toEqual([2, "lab: --seed-batch: '0' is not auto, off or an integer from 1 to 64"]);
    const badBackend = await lab('reproduce', ...common, '--backend', 'gpu', '--db', rdb);
    expect([badBackend.code, badBackend.stderr.trim()]).toEqual([2, "lab: --backend: 'gpu' is not one of auto, webgpu, tensorflow, wasm, cpu"]);
    expect(existsSync(rdb)).toBe(false);
  }, 120_000);

  it('--algos: a part of the algorithms is an experiment and bundle of its own; an overlap is refused; the report covers the whole campaign', async () => {
    const rdb = join(t.dir, 'algos.db');
    const results = join(t.dir, 'algos-results');
    const report = join(t.dir, 'algos.md');
    const common = ['--seeds', '1', '--steps', '60', '--results', results, '--report', report, '--db', rdb];
    const first = await lab('reproduce', 'toy', '--algos', 'sac,ppo', ...common);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^lab reproduce: 1 task, quick budget, 1 seeds, ppo, sac; database /m);
    expect(first.stdout).toMatch(/^toy: experiment 1, 2 runs to go$/m);
    const firstBundle = readBundle(readFileSync(join(results, 'toy-quick-ppo-sac-60steps.labbundle')));
    expect(firstBundle.manifest.experiment.name).toBe('reproduce toy (quick, 1 seeds, ppo+sac, 60 steps: smoke test)');
    expect(firstBundle.manifest.runs.map((r) => r.config.algo).sort()).toEqual(['ppo', 'sac']);
    // SAC again (with TD3) would be counted twice by the report: refused before anything is stored
    const overlap = await lab('reproduce', 'toy', '--algos', 'td3,sac', ...common);
    expect(overlap.code).toBe(2);
    expect(overlap.stderr).toMatch(/experiment 1 'reproduce toy \(quick, 1 seeds, ppo\+sac, 60 steps: smoke test\)' in .* already has sac runs of this task and budget; the report would count them twice/);
    const bad = await lab('reproduce', 'toy', '--algos', 'dqn', ...common);
    expect([bad.code, bad.stderr.trim()]).toEqual([2, "lab: --algos: 'dqn' is not one of the campaign's algorithms (ppo, sac, sac-auto, sac-adaent, td3)"]);
    const second = await lab('reproduce', 'toy', '--algos', 'td3', ...common);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^toy: experiment 2, 1 run to go$/m);
    expect(existsSync(join(results, 'toy-quick-td3-60steps.labbundle'))).toBe(true);
    const md = readFileSync(report, 'utf8'); // the store's whole campaign: both experiments
    for (const algo of ['ppo', 'sac', 'td3']) expect(md).toMatch(new RegExp(`\\| toy \\| ${algo} \\| 1 \\|`));
  }, 180_000);

  it('--learning-steps: every algorithm that many learning steps after its warm-up, an experiment and bundle of their own, reported apart', async () => {
    const pendulum = TASKS.find((x) => x.task === 'pendulum')!;
    const longer = taskExperiment(pendulum, 'quick', 1, { algos: ['ppo', 'sac'], learningSteps: 5000 });
    expect(longer.spec.name).toBe('reproduce pendulum (quick, 1 seeds, ppo+sac, 5000 learning steps)');
    // SAC's 1k warm-up comes on top, as in the presets
    expect(longer.runs.map((r) => [r.config.algo, r.config.totalSteps])).toEqual([['ppo', 5000], ['sac', 6000]]);
    expect(() => taskExperiment(pendulum, 'quick', 1, { steps: 100, learningSteps: 5000 })).toThrow(/choose one/);

    const rdb = join(t.dir, 'learning.db');
    const results = join(t.dir, 'learning-results');
    const report = join(t.dir, 'learning.md');
    const common = ['--seeds', '1', '--results', results, '--report', report, '--db', rdb];
    const r = await lab('reproduce', 'toy', '--algos', 'ppo,sac', '--learning-steps', '1000', ...common);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^lab reproduce: 1 task, quick budget with 1000 learning steps, 1 seeds, ppo, sac; database /m);
    const bundle = readBundle(readFileSync(join(results, 'toy-quick-ppo-sac-1k-learning-steps.labbundle')));
    expect(bundle.manifest.experiment.name).toBe('reproduce toy (quick, 1 seeds, ppo+sac, 1000 learning steps)');
    expect(bundle.manifest.runs.map((x) => x.config.totalSteps)).toEqual([1000, 1000]);
    // the same algorithms at this budget again would be counted twice; at another budget they are not
    const again = await lab('reproduce', 'toy', '--algos', 'sac', '--learning-steps', '1000', '--plan', ...common);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already has sac runs of this task and budget/);
    expect((await lab('reproduce', 'toy', '--algos', 'sac', '--plan', ...common)).code).toBe(0);
    const both = await lab('reproduce', 'toy', '--steps', '60', '--learning-steps', '1000', ...common);
    expect([both.code, both.stderr.trim()]).toEqual([2, 'lab: --steps (a smoke test in environment steps) and --learning-steps: choose one']);
    const short = await lab('reproduce', 'toy', '--learning-steps', '100', '--plan', ...common);
    expect([short.code, short.stderr.trim()]).toEqual([2, 'lab: toy: eval.interval: 1000 is larger than the budget of 100 steps (toy, ppo)']);
    // beside the fixture's toy runs (3,000 steps) in one results folder: two budgets, each named
    const store = openStore(db);
    try {
      writeFileSync(join(results, 'toy-fixture.labbundle'), exportBundle(store, experimentId, {}, { compact: true }).bytes);
    } finally {
      store.close();
    }
    const rep = JSON.parse((await lab('report', '--json', '--results', results)).stdout) as EvidenceReport;
    expect([...new Set(rep.rows.map((x) => x.task))]).toEqual(['toy (1k learning steps)', 'toy (3k learning steps)']);
  }, 180_000);
});

describe("the repository's results/", () => {
  it('stays under 30 MB, and every bundle in it is valid and compact', () => {
    const files = resultBundleFiles(RESULTS_DIR);
    const bytes = files.reduce((s, f) => s + statSync(f).size, 0);
    expect(bytes).toBeLessThan(30 * 1024 * 1024);
    for (const f of files) {
      const b = readBundle(readFileSync(f));
      expect(b.manifest.compact, `${f} is a compact bundle`).toBeDefined();
      expect(b.manifest.runs.length).toBeGreaterThan(0);
    }
  });
});
