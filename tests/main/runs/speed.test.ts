// The speed a worker slot achieves on a task, from stored runs (src-main/runs/speed.ts): a run of a
// seed group of K advanced together with K - 1 others, so its slot did K times the run's own rate.
import { describe, expect, it } from 'vitest';
import { resolveRunConfig } from '../../../src-core/train/index.ts';
import { measuredSpeed } from '../../../src-main/runs/speed.ts';
import type { Store } from '../../../src-main/store/index.ts';
import { useTempStore } from '../store/helpers.ts';

let store: Store;
useTempStore((opened) => (store = opened));

/** A run of `algo` on the toy whose last evaluation is at `step` after `wallTime` seconds. */
function runWith(algo: 'sac' | 'td3', step: number, wallTime: number, seedGroup?: string): number {
  const id = store.runs.insert(resolveRunConfig({ env: 'toy', algo, preset: 'quick', seed: 0 }));
  store.runs.setReady(id, 'wasm', seedGroup ? { seedGroup } : {});
  store.evaluations.insert(id, { step: 0, mode: 'deterministic', returns: [0], lengths: [2], startSeeds: [1], wallTime: 0 });
  store.evaluations.insert(id, { step, mode: 'deterministic', returns: [0], lengths: [2], startSeeds: [1], wallTime });
  return id;
}

describe('measured speed of a worker slot', () => {
  it('a run alone counts its own rate; a run of a seed group of 5 counts 5 times its rate', () => {
    runWith('sac', 1000, 10); // alone: 100 steps/s
    runWith('sac', 1000, 40, '2,3,4,5,6'); // 25 steps/s each, 125 for the slot
    expect(measuredSpeed(store, 'toy', 'sac')).toEqual({ sps: (100 + 125) / 2, runs: 2 });
  });
  it('no run of the task: no speed', () => {
    runWith('sac', 1000, 10);
    expect(measuredSpeed(store, 'toy', 'td3')).toEqual({ sps: null, runs: 0 });
  });
});
