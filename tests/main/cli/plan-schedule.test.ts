// `lab reproduce --plan`'s times: the seed groups of each task take the workers in queue order, each
// the first that is free, so a task of one seed group takes its group's whole time however many
// workers there are (its time was once divided by their number), and the plan ends with its last group.
import { describe, expect, it } from 'vitest';
import { schedule } from '../../../src-main/cli/reproduce-plan.ts';

describe('the plan schedule', () => {
  it('a task of one seed group is not shortened by more workers', () => {
    expect(schedule([[7], [8]], 2)).toEqual({ finish: [7, 8], total: 8 });
    expect(schedule([[7], [8]], 1)).toEqual({ finish: [7, 15], total: 15 });
  });

  it('spreads a task of several groups, and a later task waits for a free worker', () => {
    // three single-seed groups of 2 h on 2 workers end at 2, 2 and 4; the next task's 3 h group takes the worker free at 2
    expect(schedule([[2, 2, 2], [3]], 2)).toEqual({ finish: [4, 5], total: 5 });
    // ... on 3 workers the first task is done at 2, and the next one waits for it
    expect(schedule([[2, 2, 2], [3]], 3)).toEqual({ finish: [2, 5], total: 5 });
    // ... on 4 it starts at once
    expect(schedule([[2, 2, 2], [3]], 4)).toEqual({ finish: [2, 3], total: 3 });
  });

  it('leaves a task of unknown time out, and a completed task is done at once', () => {
    expect(schedule([null, [], [5]], 2)).toEqual({ finish: [null, 0, 5], total: 5 });
  });
});
