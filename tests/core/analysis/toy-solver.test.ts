// The exact toy analysis: the paper's alpha* and P(right) at alpha = 1, stability for small alpha,
// agreement of bisection with the closed form, and a rollout check against the environment.
import { describe, expect, it } from 'vitest';
import {
  PAPER_TOY,
  crossoverAlpha,
  crossoverAlphaClosedForm,
  logSumExp,
  pRightS0,
  qSoftS0,
  toyAnalysis,
  vSoftS1,
  vSoftS2,
} from '../../../src-core/analysis/toy-solver.ts';

describe('toy solver', () => {
  it('alpha* = 2 / ln 10 = 0.8686 (closed form) and bisection agrees', () => {
    expect(crossoverAlphaClosedForm(PAPER_TOY)).toBeCloseTo(2 / Math.LN10, 15);
    expect(crossoverAlphaClosedForm(PAPER_TOY).toFixed(4)).toBe('0.8686');
    const c = crossoverAlpha(PAPER_TOY);
    expect(c.method).toBe('bisection');
    expect(c.alpha!.toFixed(4)).toBe('0.8686');
    expect(Math.abs(c.alpha! - 2 / Math.LN10)).toBeLessThan(1e-8); // the fail term moves it by ~1e-10
    const q = qSoftS0({ ...PAPER_TOY, alpha: c.alpha! });
    expect(Math.abs(q.left - q.right)).toBeLessThan(1e-12);
  });

  it('P(right at s0) = 0.574 at alpha = 1; below alpha* the precise branch is preferred', () => {
    expect(pRightS0({ ...PAPER_TOY, alpha: 1 }).toFixed(3)).toBe('0.574');
    expect(pRightS0({ ...PAPER_TOY, alpha: 0.5 })).toBeLessThan(0.5);
    expect(pRightS0({ ...PAPER_TOY, alpha: 0.9 })).toBeGreaterThan(0.5);
  });

  it('values at alpha = 1 from the formulas', () => {
    const p = { ...PAPER_TOY, alpha: 1 };
    expect(vSoftS1(p)).toBeCloseTo(Math.log(0.2 * Math.E + 1.8 * Math.exp(-20)), 14);
    expect(vSoftS2(p)).toBeCloseTo(-1 + Math.log(2), 14);
    expect(qSoftS0(p).left).toBeCloseTo(0.99 * vSoftS1(p), 14);
  });

  it('small alpha does not overflow: the soft values tend to the hard ones', () => {
    const p = { ...PAPER_TOY, alpha: 1e-4 };
    expect(vSoftS1(p)).toBeCloseTo(1 + 1e-4 * Math.log(0.2), 10);
    expect(Number.isFinite(vSoftS1({ ...PAPER_TOY, alpha: 1e-300 }))).toBe(true);
    expect(pRightS0({ ...PAPER_TOY, alpha: 1e-3 })).toBe(0);
    expect(logSumExp([1000, 1000])).toBeCloseTo(1000 + Math.log(2), 10);
    expect(logSumExp([-Infinity, 2])).toBe(2);
  });

  it('general parameters: bisection root is a true crossover; no crossover is reported with a reason', () => {
    const p = { bandHalfWidth: 0.25, rewardGood: 2, rewardFail: -5, rewardSafe: 0, gamma: 0.9 };
    const c = crossoverAlpha(p);
    const q = qSoftS0({ ...p, alpha: c.alpha! });
    expect(Math.abs(q.left - q.right)).toBeLessThan(1e-10);
    expect(Math.abs(c.alpha! - c.closedForm)).toBeGreaterThan(1e-3); // the fail term matters here
    expect(crossoverAlpha({ ...p, rewardSafe: 3 }).alpha).toBeNull();
    expect(crossoverAlpha({ ...p, rewardFail: 1 }).reason).toMatch(/precise branch/);
  });

  it('probabilities are consistent and alpha must be positive', () => {
    const a = toyAnalysis({ ...PAPER_TOY, alpha: 1 });
    expect(a.pGood).toBeCloseTo((1 - a.pRight) * a.pBand, 15);
    expect(a.pBand).toBeCloseTo((0.2 * Math.E) / (0.2 * Math.E + 1.8 * Math.exp(-20)), 14);
    expect(() => vSoftS1({ ...PAPER_TOY, alpha: 0 })).toThrow(/alpha must be/);
  });
});
