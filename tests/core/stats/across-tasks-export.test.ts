// The aggregates' CSV, Markdown and LaTeX: the numbers given, at full precision in CSV and three
// decimals elsewhere, 'n/a' (or an empty CSV cell) for a missing one, names escaped, the
// normalisation and the bootstrap said once.
import { describe, expect, it } from 'vitest';
import { acrossTasksCsv, acrossTasksLatex, acrossTasksMarkdown, type AcrossTasksExport } from '../../../src-core/stats/across-tasks-export.ts';

const iv = (point: number | null, lower: number | null, upper: number | null) => ({ point, lower, upper });
const A: AcrossTasksExport = {
  confidence: 0.95,
  resamples: 2000,
  ranges: ['toy [-20, 1] (preset)', 'acrobot [-1900.67, -673.241] (observed)'],
  groups: [
    { group: 'ppo', runs: 6, iqm: iv(0.123456789, 0.1, 0.2), mean: iv(0.5, 0.4, 0.6), median: iv(0.55, 0.45, 0.65), optimalityGap: iv(0.45, 0.35, 0.55) },
    { group: 'sac_auto & co|x', runs: 5, iqm: iv(null, null, null), mean: iv(0.7, 0.6, 0.8), median: iv(0.75, 0.65, 0.85), optimalityGap: iv(0.25, 0.15, 0.35) },
  ],
};

describe('aggregates over environments, exported', () => {
  it('CSV: a # line with what they rest on, then full-precision columns', () => {
    const lines = acrossTasksCsv(A).trim().split('\n');
    expect(lines[0]).toBe("# rliable's aggregates over 2 environments on scores min-max normalised per environment (toy [-20, 1] (preset); acrobot [-1900.67, -673.241] (observed)): IQM and optimality gap (gamma = 1) over all runs pooled, mean and median of the per-environment means; 95% stratified bootstrap percentile CI, 2000 resamples");
    expect(lines[1]).toBe('group,runs,iqm,iqm_ci_lower,iqm_ci_upper,mean,mean_ci_lower,mean_ci_upper,median,median_ci_lower,median_ci_upper,optimality_gap,optimality_gap_ci_lower,optimality_gap_ci_upper');
    expect(lines[2]).toBe('ppo,6,0.123456789,0.1,0.2,0.5,0.4,0.6,0.55,0.45,0.65,0.45,0.35,0.55');
    expect(lines[3]).toBe('sac_auto & co|x,5,,,,0.7,0.6,0.8,0.75,0.65,0.85,0.25,0.15,0.35');
  });

  it('Markdown and LaTeX: three decimals, n/a, names escaped', () => {
    const md = acrossTasksMarkdown(A).trim().split('\n');
    expect(md.at(-2)).toBe('| ppo | 6 | 0.123 [0.100, 0.200] | 0.500 [0.400, 0.600] | 0.550 [0.450, 0.650] | 0.450 [0.350, 0.550] |');
    expect(md.at(-1)).toBe('| sac_auto & co\\|x | 5 | n/a [n/a, n/a] | 0.700 [0.600, 0.800] | 0.750 [0.650, 0.850] | 0.250 [0.150, 0.350] |');
    const tex = acrossTasksLatex(A);
    expect(tex).toContain('Group & Runs & IQM [95\\% CI] & Mean & Median & Optimality gap \\\\');
    expect(tex).toContain('sac\\_auto \\& co|x & 5 & n/a [n/a, n/a] & 0.700 [0.600, 0.800]');
    expect(tex.trim().split('\n').at(-1)).toMatch(/^% rliable's aggregates over 2 environments .* 95\\% stratified bootstrap/);
  });
});
