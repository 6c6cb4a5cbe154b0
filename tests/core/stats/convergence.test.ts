// The end-of-budget judgement of the evidence report (src-core/stats/convergence.ts).
import { describe, expect, it } from 'vitest';
import { judgeConvergence, meanCurve } from '../../../src-core/stats/convergence.ts';

const curve = (values: number[]) => values.map((value, i) => ({ step: i * 1000, value }));

describe('judgeConvergence', () => {
  it('a curve that has levelled off is converged; one still climbing in its last tenth is still rising', () => {
    const flat = curve([0, 5, 8, 9, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10]);
    expect(judgeConvergence([flat]).verdict).toBe('converged');
    const rising = curve(Array.from({ length: 20 }, (_, i) => i)); // range 19; last two vs two before: +2 > 1.9
    const r = judgeConvergence([rising]);
    expect(r.verdict).toBe('still rising');
    expect(r.late).toBe(18.5);
    expect(r.earlier).toBe(16.5);
    expect(r.range).toBe(19);
    expect(judgeConvergence([curve(Array.from({ length: 20 }, (_, i) => -i))]).verdict).toBe('still falling');
  });

  it('moves within a tenth of the range are converged (a noisy plateau)', () => {
    const noisy = curve([0, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10.9, 10.9]);
    expect(judgeConvergence([noisy]).verdict).toBe('converged'); // +0.9 < 1.09
  });

  it('judges the mean over runs, only at steps every run has, and not under 10 evaluations', () => {
    const a = curve(Array.from({ length: 12 }, () => 1));
    const b = curve(Array.from({ length: 12 }, (_, i) => (i >= 11 ? 21 : 1)));
    expect(meanCurve([a, b]).map((p) => p.value).slice(-3)).toEqual([1, 1, 11]);
    expect(judgeConvergence([a, b]).verdict).toBe('still rising');
    expect(meanCurve([a, b.slice(0, 11)])).toHaveLength(11);
    expect(judgeConvergence([curve([1, 2, 3])]).verdict).toBe('not judged');
    expect(judgeConvergence([]).verdict).toBe('not judged');
  });
});
