// The network-free numbers of a landscape (src-core/analysis/landscape.ts): grids, the soft value
// against its closed form, densities that integrate to one, peakedness of known landscapes, and the
// ready-made cases.
import { describe, expect, it } from 'vitest';
import { caseState } from '../../../src-core/analysis/cases.ts';
import {
  actionGrid,
  axisPoints,
  boltzmannDensity,
  boxCover,
  gaussianDensity,
  isCritical,
  peakedness,
  softValue,
  squashedGaussianDensity,
  trapezoidWeights,
} from '../../../src-core/analysis/landscape.ts';
import { vSoftS1 } from '../../../src-core/analysis/toy-solver.ts';

const BOX1 = { low: [-1], high: [1] };

describe('grids and integrals', () => {
  it('axis points and trapezoid weights span the interval', () => {
    expect(axisPoints(-1, 1, 5)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(trapezoidWeights(-1, 1, 5)).toEqual([0.25, 0.5, 0.5, 0.5, 0.25]);
    expect(() => axisPoints(0, 1, 1)).toThrow('at least 2 points');
  });

  it('a 2-D grid holds the other components and orders rows y-major', () => {
    const g = actionGrid({ low: [-1, -2, 0], high: [1, 2, 4] }, [2, 0], [0.1, 0.2, 0.3], 3);
    expect(g.x).toEqual([0, 2, 4]);
    expect(g.y).toEqual([-1, 0, 1]);
    // row iy * 3 + ix: a2 = x[ix], a0 = y[iy], a1 held at 0.2
    expect(Array.from(g.actions.slice(5 * 3, 6 * 3))).toEqual([0, Math.fround(0.2), 4]);
    expect(g.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(8, 12);
    expect(() => actionGrid(BOX1, [1], [0], 3)).toThrow('not all in 0..0');
    expect(() => actionGrid({ low: [-1, -1], high: [1, 1] }, [0, 0], [0, 0], 3)).toThrow('must differ');
  });

  it('V_soft of a linear Q over [-1, 1] matches the closed form; the Boltzmann density integrates to 1', () => {
    const alpha = 0.7;
    const k = 1.3;
    const q0 = -0.4;
    const x = axisPoints(-1, 1, 201);
    const w = trapezoidWeights(-1, 1, 201);
    const q = x.map((a) => k * a + q0);
    const exact = q0 + alpha * Math.log((alpha / k) * (Math.exp(k / alpha) - Math.exp(-k / alpha)));
    const v = softValue(q, w, alpha);
    // trapezoid error ~ alpha (h^2 / 12) (k / alpha)^2 = 2.4e-5 at h = 0.01
    expect(Math.abs(v - exact)).toBeLessThan(5e-5);
    const p = boltzmannDensity(q, v, alpha);
    expect(p.reduce((s, pi, i) => s + pi * w[i]!, 0)).toBeCloseTo(1, 12);
  });

  it("the toy's s1 step landscape gives the exact solver's V_soft(s1) (within the grid's resolution of the band)", () => {
    // +1 on |a| < 0.1, -20 elsewhere; on a 2001-point grid the band's edges cost at most one cell
    const x = axisPoints(-1, 1, 2001);
    const q = x.map((a) => (Math.abs(a) < 0.1 ? 1 : -20));
    const v = softValue(q, trapezoidWeights(-1, 1, 2001), 1);
    expect(v).toBeCloseTo(vSoftS1({ alpha: 1, bandHalfWidth: 0.1, rewardGood: 1, rewardFail: -20, rewardSafe: -1, gamma: 0.99 }), 2);
  });

  it('densities integrate to one over the box (squashed) and the real line (Gaussian)', () => {
    const x = axisPoints(-1, 1, 4001);
    const w = trapezoidWeights(-1, 1, 4001);
    expect(x.reduce((s, a, i) => s + w[i]! * squashedGaussianDensity(a, 0.3, -0.7), 0)).toBeCloseTo(1, 4);
    expect(squashedGaussianDensity(1, 0, 0)).toBe(0);
    const g = axisPoints(-10, 10, 4001);
    const gw = trapezoidWeights(-10, 10, 4001);
    expect(g.reduce((s, a, i) => s + gw[i]! * gaussianDensity(a, 0.5, 0.2), 0)).toBeCloseTo(1, 8);
  });

  it('a box cover is a grid up to two dimensions and seeded Monte Carlo above', () => {
    expect(boxCover({ low: [-1, -1], high: [1, 1] }, 11, 100, 0).weights).toHaveLength(121);
    const a = boxCover({ low: [-1, -1, -1], high: [1, 1, 1] }, 11, 100, 7);
    const b = boxCover({ low: [-1, -1, -1], high: [1, 1, 1] }, 11, 100, 7);
    expect(a.weights).toHaveLength(100);
    expect(a.weights.reduce((s, v) => s + v, 0)).toBeCloseTo(8, 12);
    expect(Array.from(a.actions)).toEqual(Array.from(b.actions));
    expect(a.method).toMatch(/Monte Carlo with 100 uniform actions over the 3-D action box \(seed 7\)/);
  });
});

describe('peakedness and critical steps', () => {
  it('a narrow band is peaked; a slope, a broad hill, a half-good or flat landscape is not', () => {
    const x = axisPoints(-1, 1, 101);
    const band = x.map((a) => (Math.abs(a) < 0.1 ? 1 : -20));
    const inBand = band.filter((q) => q === 1).length;
    expect(peakedness(band).share).toBe(inBand / 101);
    // (max - mean) / (max - min) = (1 - (inBand - 20 (101 - inBand)) / 101) / 21
    expect(peakedness(band).peakedness).toBeCloseTo((1 - (inBand - 20 * (101 - inBand)) / 101) / 21, 12);
    expect(peakedness(band).peakedness).toBeGreaterThan(0.8);
    expect(peakedness(x.map((a) => 2 * a)).peakedness).toBeCloseTo(0.5, 12); // a linear slope
    expect(peakedness(x.map((a) => -a * a)).peakedness).toBeCloseTo(x.reduce((s, a) => s + a * a, 0) / 101, 12); // a broad hill: about 1/3
    expect(peakedness(x.map((a) => (a > 0 ? -1 : 0))).peakedness).toBeCloseTo(50 / 101, 12); // s0: half the box is best
    expect(peakedness(x.map(() => 3)).peakedness).toBe(0);
  });
  it('critical = peaked and cosine below the threshold', () => {
    expect(isCritical(0.9, 0.5, 0.9)).toBe(true);
    expect(isCritical(0.9, 0.95, 0.9)).toBe(false);
    expect(isCritical(0.5, 0.1, 0.9)).toBe(false);
  });
});

describe('ready-made cases', () => {
  it('toy s0 and s1; the vehicle at its start with omega = -1', () => {
    expect(caseState('toy-s0', 'toy', 'default', {})).toEqual([0]);
    expect(caseState('toy-s1', 'toy', 'default', {})).toEqual([1]);
    const v = caseState('vehicle-start', 'vehicle', 'dynamic', {});
    expect(v[5]).toBe(-1);
    expect(v[3]).toBe(3);
    expect(v[0]).toBeCloseTo(-1.32945, 5);
    expect(() => caseState('vehicle-start', 'toy', 'default', {})).toThrow("case 'vehicle-start' is a state of 'vehicle', the run is on 'toy'");
    expect(() => caseState('vehicle-start', 'vehicle', 'kinematic', {})).toThrow('no state for');
  });
});
