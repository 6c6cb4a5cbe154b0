// One number per run from its evaluation curve: last, best, mean of the last K, area per step; a
// non-finite evaluation inside what a summary reads makes it NaN; the sort the table and CLI share.
import { describe, expect, it } from 'vitest';
import { compareByEval, evalSummaryLabel, parseEvalSummary, summarizeEvalCurve, type RankedEval } from '../../../src-core/stats/eval-summary.ts';

// steps 0, 10, 30 (uneven spacing), returns -2, 4, 1
const curve = [
  { step: 0, mean: -2 },
  { step: 10, mean: 4 },
  { step: 30, mean: 1 },
];

describe('evaluation curve summaries', () => {
  it('last, best, mean of the last K', () => {
    expect(summarizeEvalCurve(curve, { kind: 'last' })).toEqual({ value: 1, fromStep: 30, toStep: 30, evaluations: 1 });
    expect(summarizeEvalCurve(curve, { kind: 'best' })).toEqual({ value: 4, fromStep: 10, toStep: 10, evaluations: 3 });
    expect(summarizeEvalCurve(curve, { kind: 'mean-last', k: 2 })).toEqual({ value: 2.5, fromStep: 10, toStep: 30, evaluations: 2 });
    // K beyond the run's evaluations: all of them, and the count says so
    expect(summarizeEvalCurve(curve, { kind: 'mean-last', k: 5 })).toEqual({ value: 1, fromStep: 0, toStep: 30, evaluations: 3 });
  });

  it('area under the curve per step: the trapezoid rule over uneven steps, divided by the span', () => {
    // (-2 + 4) / 2 * 10 + (4 + 1) / 2 * 20 = 10 + 50 = 60 over 30 steps
    expect(summarizeEvalCurve(curve, { kind: 'auc' })).toEqual({ value: 2, fromStep: 0, toStep: 30, evaluations: 3 });
    expect(summarizeEvalCurve([{ step: 5, mean: 7 }], { kind: 'auc' })!.value).toBe(7);
    expect(summarizeEvalCurve([], { kind: 'auc' })).toBeNull();
  });

  it('a non-finite evaluation: NaN where it is read, skipped by best', () => {
    const diverged = [...curve.slice(0, 2), { step: 30, mean: Number.NaN }];
    expect(summarizeEvalCurve(diverged, { kind: 'last' })!.value).toBeNaN();
    expect(summarizeEvalCurve(diverged, { kind: 'auc' })!.value).toBeNaN();
    expect(summarizeEvalCurve(diverged, { kind: 'mean-last', k: 2 })!.value).toBeNaN();
    expect(summarizeEvalCurve([{ step: 0, mean: Number.NaN }, ...curve.slice(1)], { kind: 'mean-last', k: 2 })!.value).toBe(2.5);
    expect(summarizeEvalCurve(diverged, { kind: 'best' })).toEqual({ value: 4, fromStep: 10, toStep: 10, evaluations: 3 });
    expect(summarizeEvalCurve([{ step: 3, mean: Number.NaN }], { kind: 'best' })!.value).toBeNaN();
  });

  it('parses the CLI form and names what is wrong', () => {
    expect(parseEvalSummary('best')).toEqual({ kind: 'best' });
    expect(parseEvalSummary('mean-last:10')).toEqual({ kind: 'mean-last', k: 10 });
    expect(() => parseEvalSummary('mean-last:0')).toThrow("'mean-last:0': K must be an integer from 1 to 1000");
    expect(() => parseEvalSummary('worst')).toThrow("'worst' is not one of last, best, mean-last:K, auc");
    expect(evalSummaryLabel({ kind: 'mean-last', k: 3 })).toMatch(/^mean over the run's last 3 evaluations/);
  });

  it('sorts deterministic before stochastic before none in either direction, non-finite lowest, ties by id', () => {
    const runs: RankedEval[] = [
      { id: 1, mode: 'stochastic', value: 9 },
      { id: 2, mode: 'deterministic', value: 1 },
      { id: 3, mode: null, value: null },
      { id: 4, mode: 'deterministic', value: null },
      { id: 5, mode: 'deterministic', value: 3 },
      { id: 6, mode: 'deterministic', value: 1 },
    ];
    const order = (desc: boolean) => [...runs].sort((a, b) => compareByEval(a, b, desc)).map((r) => r.id);
    expect(order(true)).toEqual([5, 6, 2, 4, 1, 3]);
    expect(order(false)).toEqual([4, 2, 6, 5, 1, 3]);
  });
});
