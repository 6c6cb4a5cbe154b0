// Budget groups of the evidence report (src-main/evidence/budgets.ts): which runs of a task share a
// budget, and how each budget is named.
import { describe, expect, it } from 'vitest';
import { budgetGroups, labelSlug, learningStepsOf, type BudgetedRun } from '../../../src-main/evidence/budgets.ts';
import { learningStepsText, stepsText } from '../../../src-core/stats/steps-text.ts';
import type { RunConfig } from '../../../src-core/train/types.ts';

let next = 1;
function run(task: string, envId: string, algo: string, totalSteps: number, warmupSteps?: number): BudgetedRun {
  const config = { env: { id: envId, variant: 'default', params: {} }, algo, preset: 'quick', seed: 0, totalSteps, evalInterval: 1000, evalEpisodes: 1, evalModes: ['deterministic'], recordEpisodes: 0, evalSeed: 0, algoConfig: warmupSteps === undefined ? {} : { warmupSteps } } as unknown as RunConfig;
  return { id: next++, task, envId, config };
}
const shape = (runs: BudgetedRun[]) => budgetGroups(runs).map((g) => [g.label, g.learningSteps, g.runIds.length]);

describe('budget groups', () => {
  it('learning steps are the steps after the warm-up, never below 0', () => {
    expect(learningStepsOf(run('t', 'vehicle', 'sac', 202_000, 2_000).config)).toBe(200_000);
    expect(learningStepsOf(run('t', 'vehicle', 'ppo', 200_000).config)).toBe(200_000);
    expect(learningStepsOf(run('t', 'pendulum', 'sac', 60, 1_000).config)).toBe(0);
  });

  it("the campaign's runs are one budget; five times its learning steps is another, named", () => {
    const quick = [run('vehicle-dynamic', 'vehicle', 'ppo', 200_000), run('vehicle-dynamic', 'vehicle', 'sac', 202_000, 2_000), run('vehicle-dynamic', 'vehicle', 'td3', 202_000, 2_000)];
    const longer = [run('vehicle-dynamic', 'vehicle', 'ppo', 1_000_000), run('vehicle-dynamic', 'vehicle', 'sac', 1_002_000, 2_000)];
    expect(shape([...longer, ...quick])).toEqual([
      ['vehicle-dynamic', [200_000], 3],
      ['vehicle-dynamic (1M learning steps)', [1_000_000], 2],
    ]);
  });

  it('an experiment budget in environment steps (the warm-up inside it, as in SB3) is one budget, named by those steps', () => {
    const sb3 = [run('vehicle-dynamic', 'vehicle', 'ppo', 50_000), run('vehicle-dynamic', 'vehicle', 'sac', 50_000, 2_000)];
    expect(shape(sb3)).toEqual([['vehicle-dynamic', [48_000, 50_000], 2]]);
    expect(shape([...sb3, run('vehicle-dynamic', 'vehicle', 'ppo', 200_000)])).toEqual([
      ['vehicle-dynamic (50k environment steps)', [48_000, 50_000], 2],
      ['vehicle-dynamic', [200_000], 1],
    ]);
  });

  it('tasks are grouped apart, and a task with one budget keeps its bare name whatever the budget', () => {
    expect(shape([run('toy', 'toy', 'ppo', 3_000), run('acrobot', 'acrobot', 'ppo', 3_000)])).toEqual([
      ['toy', [3_000], 1],
      ['acrobot', [3_000], 1],
    ]);
    expect(shape([run('toy', 'toy', 'ppo', 3_000), run('toy', 'toy', 'ppo', 6_000)]).map((g) => g[0])).toEqual(['toy (3k learning steps)', 'toy (6k learning steps)']);
  });

  it('names steps shortly and labels as file names', () => {
    expect([stepsText(1_000_000), stepsText(1_500_000), stepsText(200_000), stepsText(12_345)]).toEqual(['1M', '1.5M', '200k', '12,345']);
    expect([learningStepsText([200_000]), learningStepsText([48_000, 50_000])]).toEqual(['200k', '48k-50k']);
    expect(labelSlug('quadrotor-rotors (1M learning steps)')).toBe('quadrotor-rotors-1M-learning-steps');
  });
});
