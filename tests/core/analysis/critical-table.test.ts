// The critical-state table: AdaEnt's switch is the cosine below the threshold (unknown where there is
// no cosine), the summary's entropies are means over the steps that recorded one, and the CSV carries
// the switch, reward and entropy beside each step's scores.
import { describe, expect, it } from 'vitest';
import { criticalCsv, criticalSummary, switchAt } from '../../../src-core/analysis/critical-table.ts';
import type { CriticalResult } from '../../../src-core/contract/methods/analysis.ts';

const c: CriticalResult = {
  title: 'run 1 (sac-adaent) at step 10',
  definition: 'definition text',
  threshold: 0.9,
  peakedness: [0.95, 0.5, null, 0.85],
  cosine: [0.5, null, 0.95, 0.8],
  critical: [true, false, false, true],
  missing: [],
  sources: [],
};

describe('critical-state table', () => {
  it('switch where the cosine is below the threshold; null where there is no cosine or threshold', () => {
    expect([0, 1, 2, 3].map((t) => switchAt(c, t))).toEqual([true, null, false, true]);
    expect(switchAt({ ...c, threshold: null }, 0)).toBeNull();
  });

  it('summary: share of scored steps, entropy means by switch over the steps that recorded one', () => {
    const s = criticalSummary(c, [1, 2, 3, null]);
    expect(s).toEqual({ steps: 4, critical: 2, scored: 3, switched: 2, switchShare: 2 / 3, entropySwitched: 1, entropyElsewhere: 3, entropyEpisode: 2 });
    const none = criticalSummary({ ...c, threshold: null });
    expect(none).toMatchObject({ scored: 0, switched: 0, switchShare: null, entropySwitched: null, entropyElsewhere: null, entropyEpisode: null });
  });

  it('CSV: header lines, then one row per step with the switch, reward and entropy', () => {
    const lines = criticalCsv(c, 'episode x', { rewards: [0, -1, null, 2], entropies: [1, 2, 3, null] }).trimEnd().split('\n');
    expect(lines.slice(0, 3)).toEqual(['# MaxEnt Lab critical states along episode x', '# run 1 (sac-adaent) at step 10', '# definition text']);
    expect(lines.slice(-5)).toEqual([
      'step,plain_q_peakedness,soft_plain_cosine,critical,adaent_switch,reward,policy_entropy',
      '0,0.95,0.5,1,1,0,1',
      '1,0.5,,0,,-1,2',
      '2,,0.95,0,0,,3',
      '3,0.85,0.8,1,1,2,',
    ]);
    expect(criticalCsv(c, 'e').split('\n')).toContain('step,plain_q_peakedness,soft_plain_cosine,critical');
  });
});
