// Aggregates over tasks as rliable: mean and median of per-task means, IQM of the pooled runs (issue 18, point 9).
import { describe, expect, it } from 'vitest';
import { taskAggregateCI } from '../../../src-core/stats/task-aggregate.ts';
import { iqmOf } from '../../../src-core/stats/estimators.ts';

describe('aggregates over tasks (rliable)', () => {
  // unequal runs per task make pooled and per-task statistics differ
  const tasks = [[0.1, 0.2, 0.3, 0.4, 0.5], [0.9], [0.6, 0.7]];

  it('mean and median are taken over the per-task means, not the pooled runs', () => {
    // task means 0.3, 0.9, 0.65: mean 0.61666..., median 0.65 (pooled: mean 0.4625, median 0.45)
    expect(taskAggregateCI(tasks, 'mean', { resamples: 50 }).point).toBeCloseTo((0.3 + 0.9 + 0.65) / 3, 12);
    expect(taskAggregateCI(tasks, 'median', { resamples: 50 }).point).toBeCloseTo(0.65, 12);
  });

  it('IQM and the optimality gap pool every run', () => {
    expect(taskAggregateCI(tasks, 'iqm', { resamples: 50 }).point).toBeCloseTo(iqmOf(tasks.flat()), 12);
    expect(taskAggregateCI(tasks, 'optimality_gap', { resamples: 50 }).point).toBeCloseTo(tasks.flat().reduce((a, x) => a + (1 - Math.min(1, x)), 0) / 8, 12);
  });

  it('the interval resamples within tasks: a task of one run never varies; the interval holds the point', () => {
    const ci = taskAggregateCI([[1], [2], [3, 5]], 'mean', { resamples: 400, seed: 3 });
    expect(ci.point).toBeCloseTo((1 + 2 + 4) / 3, 12);
    // only the last task varies (mean 3, 4 or 5): the aggregate lies in [(1 + 2 + 3) / 3, (1 + 2 + 5) / 3]
    expect(ci.lower).toBeGreaterThanOrEqual(2 - 1e-12);
    expect(ci.upper).toBeLessThanOrEqual(8 / 3 + 1e-12);
    expect(ci.lower).toBeLessThanOrEqual(ci.point);
    expect(ci.upper).toBeGreaterThanOrEqual(ci.point);
    expect(Number.isNaN(taskAggregateCI([[1], []], 'mean').point)).toBe(true);
  });
});
