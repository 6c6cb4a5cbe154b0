// The final table to the contract's JSON (NaN as null) and back (null as NaN): one conversion for
// main's compare API, `lab compare`'s exports and the Compare view's.
import { describe, expect, it } from 'vitest';
import { FinalTableJson } from '../../../src-core/contract/methods/compare.ts';
import { finalTable, type RunScore } from '../../../src-core/stats/final-table.ts';
import { finalTableFromJson, finalTableToJson } from '../../../src-core/stats/final-table-json.ts';
import { finalTableCsv } from '../../../src-core/stats/table-export.ts';

// One run on the vehicle: std, stderr and the interval's ends are NaN; no shared env between groups
// (vehicle only PPO, toy both), so one improvement cell is computed and the diagonal is null.
const scores: RunScore[] = [
  ...[1, 0.5, 0.9].map((score, i) => ({ runId: `ppo-${i}`, group: 'ppo', env: 'toy', score, step: 100 })),
  ...[-1, 0.2, -0.5].map((score, i) => ({ runId: `sac-${i}`, group: 'sac', env: 'toy', score, step: 100 })),
  { runId: 'ppo-v', group: 'ppo', env: 'vehicle', score: -3000 },
];

describe('final table JSON', () => {
  const table = finalTable(scores, 'final evaluation return (deterministic)', { resamples: 500, seed: 3 });
  const json = finalTableToJson(table);

  it('is valid against the contract, with null where the table has NaN', () => {
    expect(FinalTableJson.parse(JSON.parse(JSON.stringify(json)))).toEqual(json);
    const one = json.rows.find((r) => r.env === 'vehicle')!;
    expect(one.n).toBe(1);
    expect(one.iqm).toBe(-3000);
    expect(one.std).toBeNull();
    expect(one.stepMin).toBeNull();
    const toy = json.rows.find((r) => r.env === 'toy' && r.group === 'sac')!;
    const m = (-1 + 0.2 - 0.5) / 3;
    expect(toy.std).toBeCloseTo(Math.sqrt(((-1 - m) ** 2 + (0.2 - m) ** 2 + (-0.5 - m) ** 2) / 2), 12); // sample std
    expect(toy.stepMin).toBe(100);
    expect(json.improvement[0]![0]).toBeNull();
    expect(json.improvement[0]![1]!.envs).toEqual(['toy']);
  });

  it('comes back as the table it was made from, NaN for null', () => {
    const back = finalTableFromJson(JSON.parse(JSON.stringify(json)) as FinalTableJson);
    expect(back).toEqual(table);
    expect(Number.isNaN(back.rows.find((r) => r.env === 'vehicle')!.std)).toBe(true);
    expect(finalTableCsv(back)).toBe(finalTableCsv(table));
  });
});
