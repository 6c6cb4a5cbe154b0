// Stratified bootstrap, probability of improvement, performance profiles, normalisation.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src-core/rng.ts';
import { stratifiedBootstrapCI } from '../../../src-core/stats/bootstrap.ts';
import { iqmInPlace, meanInPlace } from '../../../src-core/stats/estimators.ts';
import { probabilityOfImprovement, probabilityOfImprovementCI } from '../../../src-core/stats/improvement.ts';
import { normalizeScores, resolveRanges } from '../../../src-core/stats/normalize.ts';
import { performanceProfile } from '../../../src-core/stats/profiles.ts';
import { defaultScoreRange } from '../../../src-core/stats/score-ranges.ts';

describe('stratified bootstrap', () => {
  it('resamples within each stratum: strata of 0s and 1s always pool to mean 0.5', () => {
    const ci = stratifiedBootstrapCI([[0, 0, 0, 0], [1, 1, 1, 1]], meanInPlace, { resamples: 500, seed: 3 });
    expect(ci).toEqual({ point: 0.5, lower: 0.5, upper: 0.5 });
  });

  it('is seeded and brackets the point estimate', () => {
    const data = [[1, 5, 2, 8, 3, 9, 4], [0.31, 2.7, 1.41, 5.9, 2.65]];
    const a = stratifiedBootstrapCI(data, iqmInPlace, { resamples: 1000, seed: 11 });
    const b = stratifiedBootstrapCI(data, iqmInPlace, { resamples: 1000, seed: 11 });
    const c = stratifiedBootstrapCI(data, iqmInPlace, { resamples: 1000, seed: 12 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    // pooled n = 12: drop the 3 lowest (0.31 1 1.41) and 3 highest (5.9 8 9)
    expect(a.point).toBeCloseTo((2 + 2.65 + 2.7 + 3 + 4 + 5) / 6, 12);
    expect(a.lower).toBeLessThan(a.point);
    expect(a.upper).toBeGreaterThan(a.point);
    expect(a.lower).toBeGreaterThanOrEqual(0.31);
    expect(a.upper).toBeLessThanOrEqual(9);
  });

  it('rejects bad settings with a message naming them', () => {
    expect(() => stratifiedBootstrapCI([[1]], meanInPlace, { resamples: 0 })).toThrow(/resamples/);
    expect(() => stratifiedBootstrapCI([[1]], meanInPlace, { confidence: 1.5 })).toThrow(/confidence/);
  });

  it('coverage: the 95% interval of the mean contains the true mean in >= 90% of trials', () => {
    // Two environments (strata), 15 seeds each: N(0, 1) and a skewed exp(1) + 2 (mean 3).
    // The pooled mean's expectation is (0 + 3) / 2 = 1.5.
    const rng = new Rng(2025);
    const trials = 300;
    let covered = 0;
    for (let t = 0; t < trials; t++) {
      const a = Array.from({ length: 15 }, () => rng.normal());
      const b = Array.from({ length: 15 }, () => 2 - Math.log(1 - rng.uniform()));
      const ci = stratifiedBootstrapCI([a, b], meanInPlace, { resamples: 1000, seed: t });
      if (ci.lower <= 1.5 && 1.5 <= ci.upper) covered++;
    }
    expect(covered / trials).toBeGreaterThanOrEqual(0.9);
    expect(covered / trials).toBeLessThan(0.995); // an interval that always covers is too wide
  });
});

describe('probability of improvement', () => {
  it('identical samples give 0.5 and fully separated samples give 1 (and 0)', () => {
    const x = [[0.1, 0.5, 0.9, 0.3]];
    expect(probabilityOfImprovement(x, x)).toBe(0.5);
    const ci = probabilityOfImprovementCI(x, x, { resamples: 500, seed: 1 });
    expect(ci.point).toBe(0.5);
    expect(probabilityOfImprovement([[5, 6, 7]], [[1, 2, 3]])).toBe(1);
    expect(probabilityOfImprovement([[1, 2, 3]], [[5, 6, 7]])).toBe(0);
    const sep = probabilityOfImprovementCI([[5, 6, 7]], [[1, 2, 3]], { resamples: 500, seed: 1 });
    expect(sep).toEqual({ point: 1, lower: 1, upper: 1 });
  });

  it('counts ties as one half and averages over environments', () => {
    // env 1: 3 beats 1, ties 3, loses to 5; 4 beats 1 and 3 -> 3.5 / 6; env 2: separated -> 1
    expect(probabilityOfImprovement([[3, 4]], [[1, 3, 5]])).toBeCloseTo(3.5 / 6, 12);
    expect(probabilityOfImprovement([[3, 4], [9]], [[1, 3, 5], [0, 1]])).toBeCloseTo((3.5 / 6 + 1) / 2, 12);
    expect(() => probabilityOfImprovement([[1]], [[1], [2]])).toThrow(/environments/);
  });

  it('its interval brackets the point and is seeded', () => {
    const x = [[0.2, 0.8, 0.6, 0.9, 0.4]];
    const y = [[0.1, 0.5, 0.3, 0.7, 0.2]];
    const a = probabilityOfImprovementCI(x, y, { resamples: 1000, seed: 4 });
    expect(a).toEqual(probabilityOfImprovementCI(x, y, { resamples: 1000, seed: 4 }));
    // pairs won by x: 0.2 -> 1 + a tie, 0.8 -> 5, 0.6 -> 4, 0.9 -> 5, 0.4 -> 3
    expect(a.point).toBeCloseTo(18.5 / 25, 12);
    expect(a.lower).toBeLessThan(a.point);
    expect(a.upper).toBeGreaterThan(a.point);
  });
});

describe('performance profiles', () => {
  it('fraction of runs strictly above each threshold, with bands', () => {
    const taus = Float64Array.of(-1, 0.25, 0.5, 1, 2);
    const p = performanceProfile([[0, 0.5], [1, 1.5]], taus, { resamples: 400, seed: 2 });
    expect(Array.from(p.fraction)).toEqual([1, 0.75, 0.5, 0.25, 0]);
    expect(p.n).toBe(4);
    for (let t = 0; t < taus.length; t++) {
      expect(p.lower[t]!).toBeLessThanOrEqual(p.fraction[t]!);
      expect(p.upper[t]!).toBeGreaterThanOrEqual(p.fraction[t]!);
    }
    expect(p.lower[0]).toBe(1); // every resample is above -1
    expect(p.upper[4]).toBe(0);
    // above 0.25 the first environment's resample varies; above 0.5 it never counts (stratified)
    expect([p.lower[1], p.upper[1]]).toEqual([0.5, 1]);
    expect([p.lower[2], p.upper[2]]).toEqual([0.5, 0.5]);
  });
});

describe('min-max normalisation', () => {
  it('maps the range to [0, 1]; overrides beat presets beat observed ranges', () => {
    expect(Array.from(normalizeScores([-1, 0, 1], { min: -1, max: 1 }))).toEqual([0, 0.5, 1]);
    expect(() => normalizeScores([1], { min: 2, max: 2 })).toThrow(/max > min/);
    const r = resolveRanges(['toy', 'vehicle', 'acrobot'], { acrobot: [3, 7, 5] }, { toy: { min: -20, max: 1 }, vehicle: { min: 0, max: 100 } }, { vehicle: { min: 0, max: 50 } });
    expect(r.toy).toEqual({ min: -20, max: 1, source: 'preset' });
    expect(r.vehicle).toEqual({ min: 0, max: 50, source: 'override' });
    expect(r.acrobot).toEqual({ min: 3, max: 7, source: 'observed' });
  });

  it('the toy default range follows from its rewards (-20 to +1); others are observed unless given', () => {
    expect(defaultScoreRange('toy')).toEqual({ min: -20, max: 1 });
    expect(defaultScoreRange('vehicle/dynamic')).toBeUndefined();
    expect(Array.from(normalizeScores([-20, -1, 1], defaultScoreRange('toy')!))).toEqual([0, 19 / 21, 1]);
  });
});
