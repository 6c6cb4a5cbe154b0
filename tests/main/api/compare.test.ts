// The Compare handlers' computations on a store: grid values read by index seeks equal the
// full-resolution interpolation, smoothing happens before aggregation, N per step, the final
// report matches the core statistics, and the handlers answer through the contract's gateway.
// The full-resolution cache: reads ahead in chunks give the rows a direct read gives, a request
// finishes a read ahead in progress, and a series that grew is read again. Series read from their
// packed blocks give the same panels as series read from rows.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHODS } from '../../../src-core/contract/api.ts';
import { aggregateSeries } from '../../../src-core/stats/aggregate.ts';
import { commonGrid, interpolateOnto } from '../../../src-core/stats/grid.ts';
import { smoothEma } from '../../../src-core/stats/smoothing.ts';
import { iqmOf, meanOf } from '../../../src-core/stats/estimators.ts';
import { formatReport } from '../../../src-main/cli/verbs/compare.ts';
import { compareHandlers } from '../../../src-main/api/compare.ts';
import { buildFinalReport, buildPanels, loadRuns } from '../../../src-main/api/compare-report.ts';
import { SeriesCache, gridRowCache, seriesCache, seriesInfo, valuesAtGrid } from '../../../src-main/api/compare-series.ts';
import { createGateway } from '../../../src-main/api/gateway.ts';
import type { Services } from '../../../src-main/api/services.ts';
import { openStore, type Store } from '../../../src-main/store/index.ts';
import { TOY_LIKE, tempDir, writeFixture } from '../bundle/fixture.ts';

const t = tempDir('lab-compare-api-');
let store: Store;
let experimentId = 0;
beforeAll(() => {
  store = openStore(join(t.dir, 'lab.db'));
  experimentId = writeFixture(store, TOY_LIKE, { checkpoint: false }).experimentId;
});
afterAll(() => {
  store.close();
  t.cleanup();
});

const base = { groupBy: 'algo', x: 'step' as const, smoothing: 0, statistic: 'iqm' as const, band: 'minmax' as const, gridPoints: 50, members: false, maxPoints: 200, bootstrap: { resamples: 200, confidence: 0.95, seed: 0 } };

describe('compare computations on the store', () => {
  it('values at grid steps by index seeks equal the interpolation of the full series', () => {
    const id = store.runs.idsOfExperiment(experimentId)[0]!;
    const info = seriesInfo(store, id, 'policy/entropy')!;
    expect(info).toMatchObject({ count: 1000, firstStep: 3, lastStep: 3000 });
    const full = store.metrics.series(id, 'policy/entropy', Infinity);
    const grid = Float64Array.of(0, 3, 4, 100.5, 1500, 2999.9, 3000, 3001);
    const fast = valuesAtGrid(store, id, info, grid);
    const ref = interpolateOnto({ steps: full.step, values: full.value }, grid);
    expect(Number.isNaN(fast[0]!) && Number.isNaN(fast[7]!)).toBe(true);
    for (let g = 1; g < 7; g++) expect(fast[g]).toBeCloseTo(ref[g]!, 12);
  });

  it('long series: the fast path and the full-resolution path give the same curves', () => {
    const runs = loadRuns(store, { experimentId });
    const [fast] = buildPanels(store, runs, [{ kind: 'metric', key: 'policy/entropy' }], base); // 1000 points > 4 x 50: seeks
    const [full] = buildPanels(store, runs, [{ kind: 'metric', key: 'policy/entropy' }], { ...base, gridPoints: 400 }); // read whole
    expect(fast!.curves.map((c) => c.group)).toEqual(['ppo', 'sac', 'sac-adaent']);
    // on its own grid the full path must agree with an independent computation
    const ppoRuns = runs.filter((r) => r.algo === 'ppo');
    const series = ppoRuns.map((r) => {
      const s = store.metrics.series(r.id, 'policy/entropy', Infinity);
      return { steps: s.step, values: s.value };
    });
    const grid = Float64Array.from(fast!.curves[0]!.x);
    const ref = aggregateSeries(series, grid, { statistic: 'iqm', band: 'minmax' });
    fast!.curves[0]!.center.forEach((v, i) => expect(v).toBeCloseTo(ref.center[i]!, 12));
    expect(fast!.curves[0]!.n.every((n) => n === 3)).toBe(true);
    expect(full!.curves[0]!.x).toHaveLength(400);
  });

  it('smoothing is applied per run at full resolution before the grid', () => {
    const runs = loadRuns(store, { experimentId }).filter((r) => r.algo === 'sac');
    const [p] = buildPanels(store, runs, [{ kind: 'metric', key: 'policy/entropy' }], { ...base, smoothing: 0.9, statistic: 'mean', members: true });
    const c = p!.curves[0]!;
    const sm = runs.map((r) => {
      const s = store.metrics.series(r.id, 'policy/entropy', Infinity);
      return { steps: s.step, values: smoothEma(s.value, 0.9) };
    });
    const grid = commonGrid(sm, { kind: 'uniform', points: 50 });
    const rows = sm.map((s) => interpolateOnto(s, grid));
    c.center.forEach((v, i) => expect(v).toBeCloseTo((rows[0]![i]! + rows[1]![i]! + rows[2]![i]!) / 3, 12));
    expect(p!.members).toHaveLength(3);
    expect(p!.members[0]!.smoothed.length).toBeGreaterThan(0);
    expect(p!.members[0]!.smoothed.length).toBeLessThanOrEqual(200);
  });

  it('cached rows and smoothed series: repeated and changed requests give what a fresh computation gives', () => {
    const runs = loadRuns(store, { experimentId });
    const src = [{ kind: 'metric' as const, key: 'policy/entropy' }];
    const expected = (w: number, statistic: 'mean' | 'iqm') => {
      const sm = runs.map((r) => {
        const s = store.metrics.series(r.id, 'policy/entropy', Infinity);
        return { steps: s.step, values: smoothEma(s.value, w) };
      });
      const grid = commonGrid(sm, { kind: 'uniform', points: 50 });
      const sac = runs.map((r, i) => (r.algo === 'sac' ? i : -1)).filter((i) => i >= 0);
      return aggregateSeries(sac.map((i) => sm[i]!), grid, { statistic, band: 'minmax' }).center;
    };
    for (const [w, statistic] of [[0.9, 'mean'], [0.9, 'iqm'], [0.5, 'mean'], [0.9, 'mean'], [0, 'mean']] as const) {
      const [p] = buildPanels(store, runs, src, { ...base, smoothing: w, statistic });
      const ref = expected(w, statistic);
      const c = p!.curves.find((x) => x.group === 'sac')!;
      c.center.forEach((v, i) => expect(v).toBeCloseTo(ref[i]!, 12));
    }
    // a wall-time axis reads the wall clock of every point
    const [wall] = buildPanels(store, runs, src, { ...base, x: 'wall', smoothing: 0.5, statistic: 'mean' });
    const sm = runs.map((r) => {
      const s = store.metrics.series(r.id, 'policy/entropy', Infinity);
      return { steps: s.wallTime, values: smoothEma(s.value, 0.5) };
    });
    const grid = commonGrid(sm, { kind: 'uniform', points: 50 });
    const sac = runs.map((r, i) => (r.algo === 'sac' ? i : -1)).filter((i) => i >= 0);
    const ref = aggregateSeries(sac.map((i) => sm[i]!), grid, { statistic: 'mean', band: 'minmax' });
    const c = wall!.curves.find((x) => x.group === 'sac')!;
    expect(c.x).toEqual(Array.from(grid));
    c.center.forEach((v, i) => expect(v).toBeCloseTo(ref.center[i]!, 12));
  });

  it('series read from packed blocks give the same panels as series read from rows (smoothing, members, wall time)', () => {
    const runs = loadRuns(store, { experimentId });
    const src = [{ kind: 'metric' as const, key: 'policy/entropy' }];
    const settings = [
      { ...base, smoothing: 0.9, members: true },
      { ...base, smoothing: 0, members: true, gridPoints: 100 },
      { ...base, x: 'wall' as const, smoothing: 0.6, members: true },
    ];
    const fresh = () => {
      seriesCache.clear();
      gridRowCache.clear();
    };
    fresh();
    const reads = seriesCache.stats.packedReads;
    const fromBlocks = settings.map((o) => buildPanels(store, runs, src, o));
    expect(seriesCache.stats.packedReads - reads).toBe(runs.length); // every series came from its blocks
    const saved = store.db.prepare('SELECT * FROM metric_blocks').all();
    store.db.prepare('DELETE FROM metric_blocks').run();
    try {
      fresh();
      const fromRows = settings.map((o) => buildPanels(store, runs, src, o));
      expect(seriesCache.stats.packedReads - reads).toBe(runs.length); // none this time
      expect(fromBlocks).toEqual(fromRows);
    } finally {
      const cols = Object.keys(saved[0] as object);
      const ins = store.db.prepare(`INSERT INTO metric_blocks (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`);
      store.db.transaction(() => saved.forEach((r) => ins.run(r)))();
      fresh();
    }
  });

  it('a series without blocks (recorded before them) is read from rows, then packed between turns unless its run is running', async () => {
    const [a, b] = store.runs.idsOfExperiment(experimentId).slice(-2);
    const blockCount = (id: number) => store.db.prepare('SELECT count(*) FROM metric_blocks WHERE run_id = ?').pluck().get(id) as number;
    for (const id of [a!, b!]) store.db.prepare('DELETE FROM metric_blocks WHERE run_id = ?').run(id);
    store.runs.setStatus(b!, 'running'); // as if another lab process were recording it
    try {
      const cache = new SeriesCache({ chunkRows: 300 }); // 1000 points: one chunk of one block
      const info = (id: number) => seriesInfo(store, id, 'policy/entropy')!;
      const got = [a!, b!].map((id) => Array.from(cache.get(store, id, info(id)).value));
      expect(cache.stats.packedReads).toBe(0);
      for (let k = 0; k < 20; k++) await new Promise((r) => setImmediate(r));
      expect(cache.stats.packChunks).toBe(1);
      expect(blockCount(b!)).toBe(0);
      const entropyKey = store.metrics.keyId('policy/entropy', false)!;
      expect(store.db.prepare('SELECT n FROM metric_blocks WHERE run_id = ? AND key_id = ?').pluck().all(a!, entropyKey)).toEqual([1000]);
      const again = new SeriesCache();
      expect(Array.from(again.get(store, a!, info(a!)).value)).toEqual(got[0]);
      expect(again.stats.packedReads).toBe(1);
      expect(Array.from(again.get(store, b!, info(b!)).value)).toEqual(got[1]);
      expect(again.stats.packedReads).toBe(1);
    } finally {
      store.runs.markEnded(b!, 'completed');
      store.metrics.packFromRows(b!, store.metrics.keyId('policy/entropy', false)!, Infinity);
    }
  });

  it('reads ahead in chunks between turns of the event loop; a request finishes a read in progress', async () => {
    const cache = new SeriesCache({ chunkRows: 100 });
    const ids = store.runs.idsOfExperiment(experimentId).slice(0, 3);
    // as in a database written before packed blocks existed: the rows are read
    for (const id of ids) store.db.prepare('DELETE FROM metric_blocks WHERE run_id = ?').run(id);
    const items = ids.map((runId) => ({ runId, info: seriesInfo(store, runId, 'policy/entropy')! }));
    const whole: number[] = [];
    cache.prefetch(store, items, (runId) => whole.push(runId));
    expect(cache.stats.prefetchChunks).toBe(0); // nothing read before the request is answered
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(cache.stats.prefetchChunks).toBeGreaterThanOrEqual(1);
    expect(cache.stats.prefetchChunks).toBeLessThan(10); // 1000 points of the first run take 10 chunks
    const direct = store.metrics.series(ids[0]!, 'policy/entropy', Infinity);
    const got = cache.get(store, ids[0]!, items[0]!.info);
    expect(cache.stats.finishedOnDemand).toBe(1);
    expect(Array.from(got.step)).toEqual(Array.from(direct.step));
    expect(Array.from(got.value)).toEqual(Array.from(direct.value));
    for (let k = 0; k < 200 && cache.pending > 0; k++) await new Promise((r) => setImmediate(r));
    expect(cache.pending).toBe(0);
    expect(cache.stats.finishedOnDemand).toBe(1); // the other two were read ahead whole
    expect(whole).toEqual([ids[1], ids[2]]); // told when each was whole (not the one a request finished)
    for (const { runId, info } of items) {
      expect(cache.has(store, runId, info)).toBe(true);
      expect(Array.from(cache.get(store, runId, info).value)).toEqual(Array.from(store.metrics.series(runId, 'policy/entropy', Infinity).value));
    }
    // a series that grew is read again (its point count and last step are the cache's key)
    const id = ids[2]!;
    const before = items[2]!.info;
    store.metrics.append(id, [{ key: 'policy/entropy', step: before.lastStep + 1, wallTime: 1e6, value: 42 }]);
    const now = seriesInfo(store, id, 'policy/entropy')!;
    expect(cache.has(store, id, now)).toBe(false);
    const grown = cache.get(store, id, now);
    expect(grown.step.length).toBe(before.count + 1);
    expect(grown.value.at(-1)).toBe(42);
    store.metrics.deleteAfter(id, before.lastStep);
  });

  it('a series logged at a fixed interval is read as values only; an irregular one with its steps', async () => {
    const cfg = store.runs.require(store.runs.idsOfExperiment(experimentId)[0]!).config;
    const cases = [
      [10, 20, 30, 40, 50, 60, 70], // regular: steps from the interval
      [1, 2, 5, 6, 7, 20, 21, 40], // irregular
      [0, 2, 4, 7, 8], // right count for interval 2, one step off it
    ];
    for (const steps of cases) {
      const id = store.runs.insert(cfg); // outside the experiment
      store.metrics.append(id, steps.map((step, i) => ({ key: 'probe', step, wallTime: step / 10, value: i === 3 ? Number.NaN : step * 0.5 - i })));
      const info = seriesInfo(store, id, 'probe')!;
      for (const cache of [new SeriesCache({ chunkRows: 3 }), new SeriesCache()]) {
        cache.prefetch(store, [{ runId: id, info }]);
        for (let k = 0; k < 50 && cache.pending > 0; k++) await new Promise((r) => setImmediate(r));
        const got = cache.get(store, id, info);
        expect(Array.from(got.step)).toEqual(steps);
        expect(Array.from(got.value)).toEqual(steps.map((step, i) => (i === 3 ? Number.NaN : step * 0.5 - i)));
        expect(Array.from(cache.wallTime(store, id, info))).toEqual(steps.map((s) => s / 10));
      }
    }
  });

  it('evaluation panels use the evaluations of the chosen mode; the final report agrees with them', () => {
    const runs = loadRuns(store, { experimentId });
    const [p] = buildPanels(store, runs, [{ kind: 'eval', mode: 'stochastic' }], base);
    const sac = p!.curves.find((c) => c.group === 'sac')!;
    expect(sac.x).toEqual([1000, 2000, 3000]);
    expect(sac.center.at(-1)).toBeCloseTo((-1.1 - 1 - 1.05) / 3, 12);
    const rep = buildFinalReport(store, runs, { groupBy: 'algo', mode: 'stochastic', bootstrap: { resamples: 500, confidence: 0.95, seed: 0 }, profilePoints: 10, ranges: {} });
    expect(rep.table.rows.find((r) => r.group === 'sac')!.iqm).toBeCloseTo(sac.center.at(-1)!, 12);
    expect(rep.profile.scale).toBe('raw');
    expect(rep.profile.groups.map((g) => g.n)).toEqual([3, 3, 3]);
  });

  it('the learning-step axis shifts each run by its own warm-up: evaluations and whole metric series, smoothed or not', () => {
    const file = join(t.dir, 'warmup.db');
    const s2 = openStore(file);
    try {
      const { experimentId: exp } = writeFixture(s2, TOY_LIKE.slice(0, 2), { checkpoint: false });
      for (const id of s2.runs.idsOfExperiment(exp)) {
        const r = s2.runs.require(id);
        if (r.algo === 'sac') s2.db.prepare('UPDATE runs SET config = jsonb(?) WHERE id = ?').run(JSON.stringify({ ...r.config, algoConfig: { ...r.config.algoConfig, warmupSteps: 1000 } }), id);
      }
      const runs = loadRuns(s2, { experimentId: exp });
      const [ev] = buildPanels(s2, runs, [{ kind: 'eval', mode: 'deterministic' }], { ...base, x: 'learning' });
      expect(ev!.curves.map((c) => [c.group, c.x])).toEqual([['ppo', [1000, 2000, 3000]], ['sac', [0, 1000, 2000]]]);
      const src = [{ kind: 'metric' as const, key: 'policy/entropy' }];
      const warmup = (runId: number) => (runs.find((r) => r.id === runId)!.algo === 'sac' ? 1000 : 0);
      // 1,000 points per series: read whole (grid 2000), read at the grid with members from the
      // full series (grid 300), and by index seeks with the store's tiles as members (grid 50)
      for (const gridPoints of [2000, 300, 50]) {
        for (const smoothing of [0, 0.6]) {
          const o = { ...base, gridPoints, smoothing, members: true };
          const [learning] = buildPanels(s2, runs, src, { ...o, x: 'learning' });
          const [step] = buildPanels(s2, runs, src, o);
          expect(learning!.members).toHaveLength(runs.length);
          for (const m of learning!.members) {
            const same = step!.members.find((q) => q.runId === m.runId)!;
            expect(m.x).toEqual(same.x.map((x) => x - warmup(m.runId)));
            expect(m.raw).toEqual(same.raw);
            expect(m.smoothedX).toEqual(same.smoothedX.map((x) => x - warmup(m.runId)));
            expect(m.smoothed).toEqual(same.smoothed);
          }
          // the grid spans the earliest shifted first step (SAC's 3 - 1000) to the latest last step (PPO's 3000)
          const xs = learning!.curves.flatMap((c) => c.x);
          expect([Math.min(...xs), Math.max(...xs)]).toEqual([-997, 3000]);
          // runs of one warm-up: the learning-step curve is the step curve moved left by it, value for value
          const sac = runs.filter((r) => r.algo === 'sac');
          const [ls] = buildPanels(s2, sac, src, { ...o, x: 'learning' });
          const [ss] = buildPanels(s2, sac, src, o);
          // (to rounding: the uniform grid is spaced over another range)
          const close = (a: readonly (number | null)[], b: readonly (number | null)[]) => {
            expect(a).toHaveLength(b.length);
            a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 9));
          };
          close(ls!.curves[0]!.x, ss!.curves[0]!.x.map((x) => x - 1000));
          close(ls!.curves[0]!.center, ss!.curves[0]!.center);
          close(ls!.curves[0]!.lower, ss!.curves[0]!.lower);
        }
      }
    } finally {
      s2.close();
    }
  });

  it('a NaN return end to end: stored as NaN, the run left out of the table, table and curve agree on N (issue 18)', async () => {
    const own = openStore(join(t.dir, 'nan.db'));
    try {
      const { experimentId: exp, runIds } = writeFixture(own, TOY_LIKE, { checkpoint: false });
      const sac = runIds.slice(3, 6); // the fixture writes ppo, sac, sac-adaent x 3 seeds
      own.evaluations.insert(sac[1]!, { step: 3000, mode: 'deterministic', returns: [Number.NaN, -1], lengths: [2, 2], startSeeds: [11, 12], wallTime: 31 });
      own.evaluations.insert(sac[2]!, { step: 3000, mode: 'deterministic', returns: [Number.POSITIVE_INFINITY, -1], lengths: [2, 2], startSeeds: [11, 12], wallTime: 31 });
      // the store gives back what was written: never null, never 0
      expect(own.evaluations.list(sac[1]!, 'deterministic').at(-1)!.returns).toEqual([Number.NaN, -1]);
      expect(own.evaluations.list(sac[2]!, 'deterministic').at(-1)!.returns).toEqual([Number.POSITIVE_INFINITY, -1]);
      const runs = loadRuns(own, { experimentId: exp });
      const rep = buildFinalReport(own, runs, { groupBy: 'algo', mode: 'deterministic', bootstrap: { resamples: 200, confidence: 0.95, seed: 0 }, profilePoints: 10, ranges: {} });
      const row = rep.table.rows.find((r) => r.group === 'sac')!;
      expect(row).toMatchObject({ n: 1, runIds: [String(sac[0])], stepMin: 3000, stepMax: 3000, iqm: -1 });
      expect(rep.excluded.map((e) => [e.runId, e.reason])).toEqual([
        [sac[1], 'non-finite return (NaN) at step 3000'],
        [sac[2], 'non-finite return (Infinity) at step 3000'],
      ]);
      const [p] = buildPanels(own, runs, [{ kind: 'eval', mode: 'deterministic' }], base);
      const curve = p!.curves.find((c) => c.group === 'sac')!;
      expect(curve.x.at(-1)).toBe(3000);
      expect(curve.n.at(-1)).toBe(row.n);
      // the Analysis view's toy runs: a non-finite return is neither a branch nor a number
      const toy = await compareHandlers({ store: own, appVersion: 't', events: { emit() {} } } as unknown as Services)['compare.toyRuns']!({ experimentId: exp, mode: 'deterministic' });
      expect(toy.find((r) => r.runId === sac[1])).toMatchObject({ branch: 'non-finite', finalReturn: null, mode: 'deterministic' });
    } finally {
      own.close();
    }
  });

  it("across environments: rliable's aggregates over the environments every group ran, on the profile's normalised scores", () => {
    const own = openStore(join(t.dir, 'across.db'));
    try {
      const ids = [
        ...writeFixture(own, TOY_LIKE, { checkpoint: false }).runIds,
        ...writeFixture(own, TOY_LIKE, { checkpoint: false, envId: 'pendulum' }).runIds,
        ...writeFixture(own, TOY_LIKE.slice(0, 2), { checkpoint: false, envId: 'acrobot' }).runIds,
      ];
      const rep = buildFinalReport(own, loadRuns(own, { runIds: ids }), { groupBy: 'algo', mode: 'deterministic', bootstrap: { resamples: 300, confidence: 0.95, seed: 0 }, profilePoints: 10, ranges: {} });
      const a = rep.acrossTasks!;
      expect([...a.envs].sort()).toEqual(['pendulum', 'toy']);
      expect(a.left).toEqual([{ env: 'acrobot', missing: ['sac-adaent'] }]);
      expect(rep.profile.ranges['toy']).toEqual({ min: -20, max: 1, source: 'preset' });
      expect(rep.profile.ranges['pendulum']).toEqual({ min: -1.02, max: 1, source: 'observed' });
      // SAC's finals -1, -1, -1.02 in both: (x + 20) / 21 on the toy, (x + 1.02) / 2.02 on pendulum
      const sac = [...[-1, -1, -1.02].map((x) => (x + 20) / 21), ...[-1, -1, -1.02].map((x) => (x + 1.02) / 2.02)];
      const row = a.groups.find((g) => g.group === 'sac')!;
      expect(row.runs).toBe(6);
      expect(row.iqm.point).toBeCloseTo(iqmOf(sac), 12);
      expect(row.mean.point).toBeCloseTo((meanOf(sac.slice(0, 3)) + meanOf(sac.slice(3))) / 2, 12);
      expect(row.optimalityGap.point).toBeCloseTo(meanOf(sac.map((x) => 1 - x)), 12);
      expect(a.groups.find((g) => g.group === 'ppo')!.optimalityGap.point).toBeLessThan(row.optimalityGap.point!);
      const text = formatReport([{ id: 1, name: 'three tasks' }], 'algo', rep);
      expect(text).toMatch(/over 2 environments, scores min-max normalised per environment: (toy \[-20, 1\] \(preset\); pendulum \[-1\.02, 1\] \(observed\)|pendulum \[-1\.02, 1\] \(observed\); toy \[-20, 1\] \(preset\))/);
      expect(text).toContain('not aggregated: acrobot (no run of sac-adaent)');
      expect(text).toMatch(new RegExp(`\\nsac +6 +${row.iqm.point!.toFixed(3)} \\[`));
      // one environment: nothing to aggregate
      expect(buildFinalReport(own, loadRuns(own, { runIds: ids.slice(0, 9) }), { groupBy: 'algo', mode: 'deterministic', bootstrap: { resamples: 300, confidence: 0.95, seed: 0 }, profilePoints: 10, ranges: {} }).acrossTasks).toBeNull();
    } finally {
      own.close();
    }
  });

  it('through the gateway: validated arguments, not_found for unknown ids, results that match the contract', async () => {
    const gw = createGateway(METHODS, { ...Object.fromEntries(Object.keys(METHODS).map((m) => [m, () => null])), ...compareHandlers({ store, appVersion: 't', events: { emit() {} } } as unknown as Services) });
    const ok = await gw.call('compare.final', { selection: { experimentId } });
    expect(ok.ok).toBe(true);
    const last2 = await gw.call('compare.final', { selection: { experimentId }, lastEvals: 2 });
    expect(last2.ok && (last2.value as { table: { scoreLabel: string } }).table.scoreLabel).toMatch(/mean over each run's last 2 deterministic evaluations/);
    const zero = await gw.call('compare.final', { selection: { experimentId }, lastEvals: 0 });
    expect(zero.ok === false && zero.error.code === 'invalid_args' && zero.error.path).toBe('lastEvals');
    const onMetric = await gw.call('compare.final', { selection: { experimentId }, metric: 'policy/entropy', lastEvals: 2 });
    expect(onMetric.ok === false && [onMetric.error.code, onMetric.error.path]).toEqual(['invalid_args', 'lastEvals']);
    // a metric's mean over a step window, as `lab compare --window` scores it; JSON's open end is null
    type Rep = { table: { scoreLabel: string; rows: { group: string; iqm: number | null }[] } };
    const runs = loadRuns(store, { experimentId });
    const direct = buildFinalReport(store, runs, { groupBy: 'algo', mode: 'deterministic', metric: 'policy/entropy', metricWindow: { from: 0, to: Number.POSITIVE_INFINITY }, bootstrap: { resamples: 2000, confidence: 0.95, seed: 0 }, profilePoints: 60, ranges: {} });
    const open = await gw.call('compare.final', { selection: { experimentId }, metric: 'policy/entropy', metricWindow: { from: 0, to: null } });
    expect(open.ok && (open.value as Rep).table).toEqual(direct.table);
    expect(direct.table.scoreLabel).toBe("mean of policy/entropy over steps after 0 (each run's values logged at step > 0, each point once)");
    const last = await gw.call('compare.final', { selection: { experimentId }, metric: 'policy/entropy' });
    const windowed = await gw.call('compare.final', { selection: { experimentId }, metric: 'policy/entropy', metricWindow: { from: 0, to: 1000 } });
    const iqms = (r: typeof last) => (r.ok ? (r.value as Rep).table.rows.map((x) => x.iqm) : []);
    expect(iqms(windowed)).toHaveLength(3);
    expect(iqms(windowed)).not.toEqual(iqms(last));
    expect(iqms(windowed)).not.toEqual(iqms(open));
    const backwards = await gw.call('compare.final', { selection: { experimentId }, metric: 'policy/entropy', metricWindow: { from: 2000, to: 1000 } });
    expect(backwards.ok === false && [backwards.error.code, backwards.error.path, backwards.error.message]).toEqual(['invalid_args', 'metricWindow.to', 'metricWindow.to: to must be greater than from']);
    const noMetric = await gw.call('compare.final', { selection: { experimentId }, metricWindow: { from: 0, to: null } });
    expect(noMetric.ok === false && [noMetric.error.code, noMetric.error.path]).toEqual(['invalid_args', 'metricWindow']);
    const missing = await gw.call('compare.curves', { selection: { runIds: [1, 999] }, panels: [{ kind: 'eval', mode: 'deterministic' }] });
    expect(missing).toEqual({ ok: false, error: { code: 'not_found', message: 'no run with id 999', path: 'selection.runIds.1' } });
    const bad = await gw.call('compare.runs', { selection: { experimentId }, groupBy: 'colour' });
    expect(bad.ok).toBe(false);
    const toy = await gw.call('compare.toyRuns', { experimentId });
    expect(toy.ok && (toy.value as { branch: string; alpha: number | null }[]).map((r) => [r.branch, r.alpha])).toEqual([
      ['good', 0], ['good', 0], ['good', 0], ['safe', 1], ['safe', 1], ['safe', 1], ['good', 1], ['good', 1], ['good', 1],
    ]);
  });
});
