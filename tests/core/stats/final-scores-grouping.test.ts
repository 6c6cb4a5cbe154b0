// "Final" scores (last evaluation per run and mode), grouping and config diffs.
import { describe, expect, it } from 'vitest';
import { finalEvalScores, lastEvaluation } from '../../../src-core/stats/final-scores.ts';
import { configDiff, groupOf } from '../../../src-core/stats/grouping.ts';

const evals = [
  { step: 1000, mode: 'deterministic' as const, returns: [1, 1] },
  { step: 2000, mode: 'deterministic' as const, returns: [-1, 1, 0.5] },
  { step: 2000, mode: 'stochastic' as const, returns: [-1, -1] },
  { step: 1500, mode: 'deterministic' as const, returns: [9] },
];

describe('final scores', () => {
  it('the mean return of the last evaluation in the chosen mode', () => {
    expect(lastEvaluation(evals, 'deterministic')).toEqual({ step: 2000, score: 0.5 / 3, episodes: 3, evaluations: 1 });
    expect(lastEvaluation(evals, 'stochastic')).toEqual({ step: 2000, score: -1, episodes: 2, evaluations: 1 });
    expect(lastEvaluation([], 'stochastic')).toBeNull();
  });

  it('with K, the mean over the last K evaluations (in step order) of each one\'s mean return', () => {
    // steps 1500 (mean 9) and 2000 (mean 1/6); the one at 1000 is not among the last two
    expect(lastEvaluation(evals, 'deterministic', 2)).toEqual({ step: 2000, score: (9 + 0.5 / 3) / 2, episodes: 4, evaluations: 2 });
    expect(lastEvaluation(evals, 'deterministic', 3)).toEqual({ step: 2000, score: (1 + 9 + 0.5 / 3) / 3, episodes: 6, evaluations: 3 });
    // fewer than K: what there is, counted, so the caller can refuse it
    expect(lastEvaluation(evals, 'stochastic', 3)).toMatchObject({ score: -1, evaluations: 1 });
    const r = finalEvalScores([{ id: 1, env: 'toy', group: 'ppo', evaluations: evals }], 'stochastic', { lastEvals: 2 });
    expect(r.scores).toEqual([]);
    expect(r.excluded).toEqual([{ runId: 1, group: 'ppo', env: 'toy', reason: '1 stochastic evaluation, fewer than the 2 its score averages' }]);
    expect(finalEvalScores([{ id: 1, env: 'toy', group: 'ppo', evaluations: evals }], 'deterministic', { lastEvals: 3 }).scores[0]!.score).toBeCloseTo((1 + 9 + 0.5 / 3) / 3, 12);
    expect(() => finalEvalScores([], 'deterministic', { lastEvals: 0 })).toThrow(/lastEvals: 0/);
  });

  it('excludes runs without an evaluation in that mode, with the reason', () => {
    const r = finalEvalScores(
      [
        { id: 1, env: 'toy', group: 'ppo', evaluations: evals },
        { id: 2, env: 'toy', group: 'ppo', evaluations: evals.filter((e) => e.mode === 'deterministic') },
      ],
      'stochastic',
    );
    expect(r.scores).toEqual([{ runId: '1', group: 'ppo', env: 'toy', score: -1, step: 2000 }]);
    expect(r.excluded).toEqual([{ runId: 2, group: 'ppo', env: 'toy', reason: 'no stochastic evaluation' }]);
  });

  it('scores completed runs at the group\'s final step; a NaN return excludes the run (issue 18)', () => {
    const at = (step: number, ret: number) => [{ step, mode: 'deterministic' as const, returns: [ret, ret] }];
    const runs = [
      { id: 1, env: 'toy', group: 'sac', status: 'completed', evaluations: at(3000, -1) },
      { id: 2, env: 'toy', group: 'sac', status: 'completed', evaluations: at(2000, 1) }, // a shorter budget
      { id: 3, env: 'toy', group: 'sac', status: 'running', evaluations: at(1000, 1) },
      { id: 4, env: 'toy', group: 'sac', status: 'completed', evaluations: at(3000, Number.NaN) },
      { id: 5, env: 'toy', group: 'ppo', status: 'completed', evaluations: at(2000, 1) }, // its own group's final step
    ];
    const r = finalEvalScores(runs, 'deterministic');
    expect(r.scores).toEqual([
      { runId: '1', group: 'sac', env: 'toy', score: -1, step: 3000 },
      { runId: '5', group: 'ppo', env: 'toy', score: 1, step: 2000 },
    ]);
    expect(r.excluded.map((e) => [e.runId, e.reason])).toEqual([
      [3, 'running, not completed (choose "include unfinished runs" to score it at its last deterministic evaluation, step 1000)'],
      [2, "last deterministic evaluation at step 2000, the group's final step is 3000"],
      [4, 'non-finite return (NaN) at step 3000'],
    ]);
    const all = finalEvalScores(runs, 'deterministic', { includeUnfinished: true });
    expect(all.scores.map((s) => [s.runId, s.step])).toEqual([['1', 3000], ['2', 2000], ['3', 1000], ['5', 2000]]);
    expect(all.excluded.map((e) => e.runId)).toEqual([4]);
  });
});

describe('grouping and config diff', () => {
  const run = { id: 1, envId: 'vehicle', variant: 'kinematic', algo: 'sac', seed: 0, config: { algoConfig: { alpha: 0.2 } } };
  it('groups by algorithm, environment or a config key', () => {
    expect(groupOf(run, 'algo')).toBe('sac');
    expect(groupOf(run, 'env')).toBe('vehicle/kinematic');
    expect(groupOf({ ...run, label: 'SAC (alpha = 1) | toy | seed 0' }, 'label')).toBe('SAC (alpha = 1)');
    expect(groupOf(run, 'label')).toBe('sac'); // no label: the algorithm id
    expect(groupOf(run, 'config:algoConfig.alpha')).toBe('algoConfig.alpha=0.2');
    expect(groupOf(run, 'config:algoConfig.tau')).toBe('algoConfig.tau=(unset)');
    expect(() => groupOf(run, 'colour')).toThrow(/unknown grouping 'colour'/);
  });

  it('lists every key, or only the differing ones', () => {
    const a = { seed: 1, algoConfig: { alpha: 1, hidden: [32, 32] } };
    const b = { seed: 2, algoConfig: { alpha: 1, hidden: [64, 64], extra: true } };
    const all = configDiff([a, b]);
    expect(all.map((r) => r.key)).toEqual(['algoConfig.alpha', 'algoConfig.extra', 'algoConfig.hidden', 'seed']);
    const diff = configDiff([a, b], true);
    expect(diff).toEqual([
      { key: 'algoConfig.extra', values: ['(unset)', 'true'], differs: true },
      { key: 'algoConfig.hidden', values: ['[32,32]', '[64,64]'], differs: true },
      { key: 'seed', values: ['1', '2'], differs: true },
    ]);
  });
});
