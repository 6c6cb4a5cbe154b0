// The runs table (filters, config conditions, sort, paging), orphan recovery, evaluations and trajectories.
import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src-main/store/index.ts';
import { useTempStore, runConfig } from './helpers.ts';

let s: Store;
useTempStore((opened) => (s = opened));

describe('runs table', () => {
  it('filters by env, algo, status, tag and config keys; sorts and pages', () => {
    const exp = s.experiments.insert({ name: 'e', spec: { a: 1 } });
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) {
      const cfg = runConfig({
        env: { id: i % 2 ? 'toy' : 'acrobot', variant: 'default', params: {} },
        algo: i % 3 ? 'sac' : 'ppo',
        seed: i,
        algoConfig: { gamma: i < 6 ? 0.99 : 0.95, net: [64, 64] },
      });
      ids.push(s.runs.insert(cfg, { experimentId: exp, tags: i % 4 === 0 ? ['paper'] : [] }));
    }
    s.runs.setStatus(ids[3]!, 'completed');
    expect(s.runs.list({ env: 'toy' }).total).toBe(6);
    expect(s.runs.list({ env: 'toy', algo: 'ppo' }).rows.map((r) => r.seed)).toEqual([3, 9]);
    expect(s.runs.list({ status: 'completed' }).rows.map((r) => r.id)).toEqual([ids[3]]);
    expect(s.runs.list({ tag: 'paper' }).rows.map((r) => r.seed)).toEqual([0, 4, 8]);
    expect(s.runs.list({ config: [{ path: 'algoConfig.gamma', value: 0.95 }] }).total).toBe(6);
    expect(s.runs.list({ config: [{ path: 'algoConfig.net[0]', value: 64 }, { path: 'env.id', value: 'toy' }] }).total).toBe(6);
    const page = s.runs.list({ sort: 'seed', desc: true, limit: 5, offset: 5 });
    expect(page.total).toBe(12);
    expect(page.rows.map((r) => r.seed)).toEqual([6, 5, 4, 3, 2]);
    expect(() => s.runs.list({ config: [{ path: "x') OR 1=1 --", value: 1 }] })).toThrow(/key path/);
    expect(s.runs.list({ experimentId: exp }).total).toBe(12);
  });

  it('marks runs left running by a dead process as interrupted, leaves live owners alone', () => {
    const a = s.runs.insert(runConfig());
    const b = s.runs.insert(runConfig());
    s.runs.markStarted(a, 111);
    s.runs.markStarted(b, 222);
    const recovered = s.runs.recoverOrphans((pid) => pid === 222);
    expect(recovered).toEqual([a]);
    expect(s.runs.get(a)!.status).toBe('interrupted');
    expect(s.runs.get(a)!.reason).toMatch(/pid 111/);
    expect(s.runs.get(b)!.status).toBe('running');
  });

  it('round-trips evaluations and trajectories (typed arrays, NaN kept) and deletes by cascade', () => {
    const id = s.runs.insert(runConfig());
    const ev = s.evaluations.insert(id, { step: 100, mode: 'deterministic', returns: [1, 3], lengths: [2, 2], startSeeds: [5, 6], wallTime: 1 });
    expect(ev.meanReturn).toBe(2);
    expect(ev.stdReturn).toBe(1);
    const T = 3;
    const traj = {
      step: 100, mode: 'stochastic' as const, episode: 0, startSeed: 5, length: T, obsDim: 2, actDim: 1, stateDim: 1,
      observations: Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]),
      actions: Float32Array.from([0.5, -0.25, 1]),
      rewards: Float32Array.from([1, 2, 3]),
      rewardComponents: { a: Float32Array.from([1, 1, 1]), b: Float32Array.from([0, 1, 2]) },
      logProbs: Float32Array.from([Number.NaN, -1, -2]),
      entropies: Float32Array.from([0.1, 0.2, 0.3]),
      states: Float64Array.from([Math.PI, 1e-300, 2, 3]),
    };
    const tid = s.trajectories.insert(id, traj);
    const back = s.trajectories.get(tid)!;
    expect(Array.from(back.rewardComponents.b!)).toEqual([0, 1, 2]);
    expect(Number.isNaN(back.logProbs[0])).toBe(true);
    expect(Array.from(back.states)).toEqual([Math.PI, 1e-300, 2, 3]);
    expect(Array.from(back.observations)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    s.metrics.append(id, Array.from({ length: 40 }, (_, i) => ({ key: 'k', step: i, wallTime: 0, value: i })));
    expect(s.db.prepare('SELECT count(*) FROM metric_tiles').pluck().get()).toBe(2);
    s.runs.delete(id);
    for (const table of ['metrics', 'metric_tiles', 'metric_series', 'evaluations', 'trajectories']) {
      expect(s.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(0);
    }
    // deleting an experiment removes its runs' metrics too
    const exp = s.experiments.insert({ name: 'x', spec: {} });
    const r2 = s.runs.insert(runConfig(), { experimentId: exp });
    s.metrics.append(r2, Array.from({ length: 20 }, (_, i) => ({ key: 'k', step: i, wallTime: 0, value: i })));
    s.experiments.delete(exp);
    expect(s.db.prepare('SELECT count(*) FROM metrics').pluck().get()).toBe(0);
    expect(s.db.prepare('SELECT count(*) FROM metric_tiles').pluck().get()).toBe(0);
    expect(s.runs.get(r2)).toBeUndefined();
  });
});
