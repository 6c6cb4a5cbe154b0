// rliable's aggregates over tasks per group: point estimates by their definitions, intervals that
// hold them and repeat with the seed, only the environments every group ran, null below two.
import { describe, expect, it } from 'vitest';
import { acrossTasks } from '../../../src-core/stats/across-tasks.ts';
import { iqmOf, meanOf, medianOf } from '../../../src-core/stats/estimators.ts';

const DATA: Record<string, Record<string, number[]>> = {
  e1: { a: [0.1, 0.5, 0.9, 0.7], b: [0.2, 0.3, 0.25] },
  e2: { a: [1.2, 0.8, 0.95], b: [0.4, 0.6, 0.1, 0.3, 0.5] },
  e3: { a: [0.3, 0.4], b: [0.9, 1.0] },
  e4: { a: [0.5, 0.6] }, // b never ran here
};
const scores = (env: string, group: string) => DATA[env]?.[group] ?? [];

describe('acrossTasks', () => {
  it('mean and median of per-task means, IQM and optimality gap of all runs pooled, over the common tasks', () => {
    const r = acrossTasks(['e1', 'e2', 'e3', 'e4'], ['a', 'b'], scores, { resamples: 500, seed: 3 })!;
    expect(r.envs).toEqual(['e1', 'e2', 'e3']);
    expect(r.left).toEqual([{ env: 'e4', missing: ['b'] }]);
    const a = r.groups[0]!;
    const taskMeans = [meanOf(DATA.e1!.a!), meanOf(DATA.e2!.a!), meanOf(DATA.e3!.a!)];
    const pooled = [...DATA.e1!.a!, ...DATA.e2!.a!, ...DATA.e3!.a!];
    expect(a.group).toBe('a');
    expect(a.runs).toBe(9);
    expect(a.mean.point).toBeCloseTo(meanOf(taskMeans), 12);
    expect(a.median.point).toBeCloseTo(medianOf(taskMeans), 12);
    expect(a.iqm.point).toBeCloseTo(iqmOf(pooled), 12);
    // gap: mean of max(1 - x, 0): 1.2 counts 0, not -0.2
    expect(a.optimalityGap.point).toBeCloseTo(pooled.reduce((s, x) => s + Math.max(1 - x, 0), 0) / pooled.length, 12);
    for (const g of r.groups) for (const i of [g.mean, g.median, g.iqm, g.optimalityGap]) {
      expect(i.lower).toBeLessThanOrEqual(i.point);
      expect(i.upper).toBeGreaterThanOrEqual(i.point);
      expect(i.upper).toBeGreaterThan(i.lower);
    }
    expect(acrossTasks(['e1', 'e2', 'e3', 'e4'], ['a', 'b'], scores, { resamples: 500, seed: 3 })).toEqual(r);
    expect(acrossTasks(['e1', 'e2', 'e3', 'e4'], ['a', 'b'], scores, { resamples: 500, seed: 4 })!.groups[0]!.iqm).not.toEqual(a.iqm);
  });

  it('null with fewer than two environments common to every group', () => {
    expect(acrossTasks(['e1', 'e4'], ['a', 'b'], scores)).toBeNull();
    expect(acrossTasks(['e1'], ['a'], scores)).toBeNull();
    expect(acrossTasks(['e1', 'e4'], ['a'], scores, { resamples: 100 })!.envs).toEqual(['e1', 'e4']);
  });
});
