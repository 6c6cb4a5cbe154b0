// Final-performance table and P(improvement) matrix, and their CSV / Markdown / LaTeX forms.
import { describe, expect, it } from 'vitest';
import { finalTable, type RunScore } from '../../../src-core/stats/final-table.ts';
import { finalTableCsv, finalTableLatex, finalTableMarkdown } from '../../../src-core/stats/table-export.ts';

const scores: RunScore[] = [
  ...[1, 1, 0.98, 1, 0.96].map((score, i) => ({ runId: `ppo-${i}`, group: 'ppo', env: 'toy', score })),
  ...[-1, -1, -1.02, -1, 1].map((score, i) => ({ runId: `sac-${i}`, group: 'sac', env: 'toy', score })),
];

describe('final-performance table', () => {
  const t = finalTable(scores, 'final evaluation return (deterministic)', { resamples: 1000, seed: 0 });

  it('one row per environment and group with IQM, interval, mean, std and N', () => {
    expect(t.envs).toEqual(['toy']);
    expect(t.groups).toEqual(['ppo', 'sac']);
    const sac = t.rows.find((r) => r.group === 'sac')!;
    expect(sac.n).toBe(5);
    expect(sac.iqm).toBe(-1); // sorted -1.02 -1 -1 -1 1: drop one at each end
    expect(sac.mean).toBeCloseTo(-0.604, 12);
    expect(sac.iqmCI.lower).toBeLessThanOrEqual(-1);
    expect(sac.iqmCI.upper).toBeLessThan(1);
    expect(sac.runIds).toHaveLength(5);
  });

  it('P(improvement) matrix: each direction, null on the diagonal', () => {
    const ppoOverSac = t.improvement[0]![1]!;
    // 24 of 25 pairs won by PPO; the SAC run at +1 beats the PPO runs at 0.98 and 0.96 and ties the three 1s
    expect(ppoOverSac.probability.point).toBeCloseTo((20 + 0 + 3 * 0.5 + 0) / 25, 12);
    expect(t.improvement[1]![0]!.probability.point).toBeCloseTo(1 - ppoOverSac.probability.point, 12);
    expect(t.improvement[0]![0]).toBeNull();
  });

  it('cell intervals do not depend on which other groups are present', () => {
    const alone = finalTable(scores.filter((s) => s.group === 'sac'), 'x', { resamples: 1000, seed: 0 });
    expect(alone.rows[0]!.iqmCI).toEqual(t.rows.find((r) => r.group === 'sac')!.iqmCI);
  });

  it('exports the same numbers as CSV, Markdown and LaTeX', () => {
    const ppo = t.rows[0]!;
    const csv = finalTableCsv(t).split('\n');
    expect(csv[1]).toBe('env,group,n,iqm,iqm_ci_lower,iqm_ci_upper,mean,median,std,stderr,min,max');
    expect(csv[2]!.split(',').slice(0, 6).map(String)).toEqual(['toy', 'ppo', '5', String(ppo.iqm), String(ppo.iqmCI.lower), String(ppo.iqmCI.upper)]);
    const md = finalTableMarkdown(t);
    expect(md).toContain(`| toy | ppo | ${ppo.iqm.toFixed(3)} [${ppo.iqmCI.lower.toFixed(3)}, ${ppo.iqmCI.upper.toFixed(3)}] |`);
    const tex = finalTableLatex(t);
    expect(tex).toContain('\\begin{tabular}');
    expect(tex).toContain('IQM [95\\% CI]');
    expect(finalTableLatex(finalTable([{ runId: 'a', group: 'sac_auto', env: 'toy', score: 1 }], 'x'))).toContain('sac\\_auto');
  });
});
