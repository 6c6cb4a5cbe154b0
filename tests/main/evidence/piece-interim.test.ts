// A campaign piece's interim evaluation: per algorithm, the latest step all its runs were evaluated
// at, by seed; beside it the completed runs the report pairs it with, of the same task, budget and
// seeds, at the same learning step (after each run's warm-up); none of another budget; what its runs
// logged in training since their previous evaluation (the mechanism: surrogate rate). And the words
// `lab report --pieces` and the Paper results view print for it; its figure, both sides cut at the
// piece's step.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pieceEvalText } from '../../../src-core/stats/piece-progress.ts';
import { pieceFigureSpecs } from '../../../src-main/evidence/piece-figure.ts';
import { comparatorsOf } from '../../../src-main/evidence/piece-interim.ts';
import { readPieces, writePiece } from '../../../src-main/evidence/pieces.ts';
import { openStore, type Store } from '../../../src-main/store/index.ts';
import { TOY_LIKE, tempDir, writeFixture, type FixtureAlgo } from '../bundle/fixture.ts';

const t = tempDir('lab-piece-interim-');
afterAll(() => t.cleanup());

/** The summary of the one piece in `dir`, its comparators from `store` where given. */
const summaryOf = (dir: string, store?: Store) => readPieces(dir, store)[0]!.summary;

/** A store of completed runs: the toy fixture's PPO, SAC and SAC-AdaEnt, seeds 0-2, evaluated at 1,000, 2,000 and 3,000 steps of 3,000. */
function completedStore(name: string): Store {
  const store = openStore(join(t.dir, `${name}.db`));
  writeFixture(store, TOY_LIKE);
  return store;
}

/** A campaign folder with one piece of `algo` (its runs paused), written from a fixture of `totalSteps`. */
function pieceDir(name: string, algo: FixtureAlgo, totalSteps = 3000, edit?: (store: Store, runIds: number[]) => void): string {
  const store = openStore(join(t.dir, `${name}-src.db`));
  const { experimentId, runIds } = writeFixture(store, [algo], { totalSteps });
  for (const id of runIds) store.runs.setStatus(id, 'paused', null);
  edit?.(store, runIds);
  const dir = join(t.dir, name);
  writePiece(store, experimentId, join(dir, `toy-quick-${algo.algo}.labbundle`), { campaign: `lab reproduce toy --algos ${algo.algo} --pieces ${dir}` });
  store.close();
  return dir;
}

describe('interim evaluation of a campaign piece', () => {
  it('pairs each algorithm with those the report compares it to, either side', () => {
    expect(comparatorsOf('toy', 'sac-adaent')).toEqual(['sac']);
    expect(comparatorsOf('toy', 'td3')).toEqual(['sac']);
    expect(comparatorsOf('toy', 'ppo')).toEqual(['sac', 'sac-auto']);
    expect(comparatorsOf('obstacle2d', 'sac')).toEqual(['ppo', 'sac-adaent', 'td3']);
  });

  it('lists the latest common evaluation by seed and, beside it, the completed comparators of the same seeds at that step', () => {
    const store = completedStore('a');
    // two seeds of SAC-AdaEnt; seed 1 has a second evaluation at 3,000 whose episodes all diverged (no finite return)
    const dir = pieceDir('p1', { algo: 'sac-adaent', det: [0.5, -0.25], sto: [0, 0] }, 3000, (s, ids) => {
      s.evaluations.insert(ids[1]!, { step: 3000, mode: 'deterministic', returns: [Number.NaN, Number.NaN], lengths: [2, 2], startSeeds: [11, 12], wallTime: 30 });
    });
    const piece = summaryOf(dir, store);
    expect(piece.interim).toEqual([
      {
        task: 'toy',
        algo: 'sac-adaent',
        step: 3000,
        since: 2000,
        seeds: [0],
        returns: [0.5],
        // the fixture logs policy/entropy = 1 - step / 3,000 + noise: about 1/6 over steps 2,001-3,000, for both
        mechanism: [{ key: 'policy/entropy', values: [expect.closeTo(1 / 6, 1)] }],
        beside: [{ algo: 'sac', seeds: [0], returns: [-1], mechanism: [{ key: 'policy/entropy', values: [expect.closeTo(1 / 6, 1)] }] }],
      },
    ]);
    // without a store of completed runs, the piece alone
    expect(summaryOf(dir).interim[0]!.beside).toEqual([]);
    expect(summaryOf(dir).interim[0]!.mechanism).toHaveLength(1);
    store.close();
  });

  it('takes both seeds where both have it, and nothing of another budget', () => {
    const store = completedStore('b');
    const same = summaryOf(pieceDir('p2', { algo: 'td3', det: [0.3, 0.6], sto: [0, 0] }), store);
    expect(same.interim[0]).toMatchObject({ algo: 'td3', step: 3000, since: 2000, seeds: [0, 1], returns: [0.3, 0.6], beside: [{ algo: 'sac', seeds: [0, 1], returns: [-1, -1] }] });
    expect(pieceEvalText(same)).toMatch(
      /^td3 at step 3,000 \(deterministic evaluation, interim, decides nothing\): 0\.30 \(seed 0\), 0\.60 \(seed 1\); in training over steps 2,001-3,000 \(mean per run\): policy\/entropy 0\.1\d* \(seed 0\), 0\.1\d* \(seed 1\); completed sac runs at the same learning step: -1\.00 \(seed 0\), -1\.00 \(seed 1\); in training over the same learning steps \(mean per run\): policy\/entropy 0\.1\d* \(seed 0\), 0\.1\d* \(seed 1\)$/,
    );
    const longer = summaryOf(pieceDir('p3', { algo: 'td3', det: [0.3], sto: [0] }, 6000), store);
    expect(longer.interim[0]!.beside).toEqual([]); // 6,000 learning steps against the store's 3,000: another budget
    store.close();
  });

  it('lines PPO up with SAC at the same learning step, after SAC\'s warm-up', () => {
    const store = completedStore('c');
    // SAC's runs as if they had a 1,000-step warm-up: 4,000 steps in all, evaluated at 2,000, 3,000 and 4,000
    for (const r of store.runs.list({ sort: 'id' }).rows.filter((x) => x.algo === 'sac')) {
      const cfg = store.runs.require(r.id).config;
      store.db.prepare('UPDATE runs SET config = jsonb(?) WHERE id = ?').run(JSON.stringify({ ...cfg, totalSteps: 4000, algoConfig: { ...cfg.algoConfig, warmupSteps: 1000 } }), r.id);
      store.db.prepare('UPDATE evaluations SET step = -(step + 1000) WHERE run_id = ?').run(r.id); // through negatives: (run, step, mode) stays unique
      store.db.prepare('UPDATE evaluations SET step = -step WHERE run_id = ?').run(r.id);
    }
    store.evaluations.insert(store.runs.list({ sort: 'id' }).rows.find((x) => x.algo === 'sac' && x.seed === 0)!.id, { step: 3000, mode: 'deterministic', returns: [9, 9], lengths: [2, 2], startSeeds: [11, 12], wallTime: 1 }); // not step 3,000 of learning
    // SAC seed 0's temperature: 9 at learning step 1,500 (before the window), 0.3 at 2,500 (in it); its entropy ends at learning step 2,000 (before it)
    const sac0 = store.runs.list({ sort: 'id' }).rows.find((x) => x.algo === 'sac' && x.seed === 0)!.id;
    store.metrics.append(sac0, [{ key: 'losses/alpha', step: 2500, wallTime: 1, value: 9 }, { key: 'losses/alpha', step: 3500, wallTime: 2, value: 0.3 }]);
    const ppo = summaryOf(pieceDir('p4', { algo: 'ppo', det: [0.9], sto: [0.8] }), store);
    expect(ppo.interim[0]).toMatchObject({ step: 3000, since: 2000, beside: [{ algo: 'sac', seeds: [0], returns: [-1], mechanism: [{ key: 'losses/alpha', values: [0.3] }] }] });
    store.close();
  });

  it('means what each run logged in training since the previous evaluation, none where a run logged nothing finite there', () => {
    // SAC-AdaEnt's surrogate rate: seed 0 at 0.2 before step 2,000 and 0.5, 0.7 after; seed 1 only before, and NaN after
    const dir = pieceDir('p6', { algo: 'sac-adaent', det: [0.5, 0.4], sto: [0, 0] }, 3000, (s, ids) => {
      const at = (step: number, value: number) => ({ key: 'adaent/surrogate_rate', step, wallTime: step / 100, value });
      s.metrics.append(ids[0]!, [at(1500, 0.2), at(2000, 0.2), at(2500, 0.5), at(3000, 0.7)]);
      s.metrics.append(ids[1]!, [at(1500, 0.3), at(2500, Number.NaN)]);
    });
    const [ev] = summaryOf(dir).interim;
    expect(ev!.mechanism.map((m) => m.key)).toEqual(['adaent/surrogate_rate', 'policy/entropy']);
    expect(ev!.since).toBe(2000);
    expect(ev!.mechanism[0]).toEqual({ key: 'adaent/surrogate_rate', values: [expect.closeTo(0.6, 12), null] });
    expect(pieceEvalText(summaryOf(dir))).toContain('; in training over steps 2,001-3,000 (mean per run): adaent/surrogate_rate 0.6 (seed 0), n/a (seed 1); policy/entropy ');
  });

  it("draws the piece's seeds beside the comparators' same seeds, cut at the piece's latest evaluation", () => {
    const store = completedStore('d');
    // TD3 paused at 2,000 of 3,000 steps: its evaluations at 1,000 and 2,000; SAC's at 3,000 are past it
    const dir = pieceDir('p5', { algo: 'td3', det: [0.3, 0.6], sto: [0, 0] }, 3000, (s, ids) => {
      for (const id of ids) s.db.prepare('DELETE FROM evaluations WHERE run_id = ? AND step > 2000').run(id);
    });
    const [fig] = pieceFigureSpecs(store, readPieces(dir, store));
    expect(fig!.name).toBe('toy-in-progress.svg');
    expect(fig!.spec.title).toBe('toy, in progress: interim, decides nothing (to learning step 2,000)');
    const near = (xs: number[]) => xs.map((x) => expect.closeTo(x, 12));
    // the fixture's returns grow linearly to their final value: td3 0.3 and 0.6, sac -1 and -1
    expect(fig!.spec.bands.map((b) => [b.label, b.x, b.center, b.lower, b.upper])).toEqual([
      ['td3 (in progress)', [1000, 2000], near([0.15, 0.3]), near([0.1, 0.2]), near([0.2, 0.4])],
      ['sac (completed)', [1000, 2000], near([-1 / 3, -2 / 3]), near([-1 / 3, -2 / 3]), near([-1 / 3, -2 / 3])],
    ]);
    expect(fig!.spec.members.map((m) => m.label)).toEqual(['td3 seed 0', 'td3 seed 1', 'sac seed 0', 'sac seed 1']); // SAC's seed 2: the piece has no seed 2
    store.close();
  });
});
