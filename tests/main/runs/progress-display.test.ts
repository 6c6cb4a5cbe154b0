// The total line of the terminal progress (src-main/runs/progress-display.ts): each unfinished run
// timed at its own speed (an active run's, else the store's measured speed for its task and
// algorithm), over the worker slots in use (a seed group is one); an algorithm not timed yet is named.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { resolveRunConfig } from '../../../src-core/train/index.ts';
import type { ManagerEvents } from '../../../src-main/runs/events.ts';
import { ProgressDisplay } from '../../../src-main/runs/progress-display.ts';
import type { Store } from '../../../src-main/store/index.ts';
import { useTempStore } from '../store/helpers.ts';

let store: Store;
useTempStore((opened) => (store = opened));

class Source extends EventEmitter<ManagerEvents> {
  active: number[] = [];
  queued: number[] = [];
  activeIds(): number[] {
    return this.active;
  }
  queuedIds(): number[] {
    return this.queued;
  }
}

function run(algo: 'ppo' | 'sac', totalSteps: number, seedGroup?: string): number {
  const id = store.runs.insert({ ...resolveRunConfig({ env: 'toy', algo, preset: 'quick', seed: 0 }), totalSteps });
  store.runs.setReady(id, 'wasm', seedGroup ? { seedGroup } : {});
  return id;
}

/** A finished run of `algo` that trained `step` steps in `wallTime` seconds: the store's measured speed. */
function timed(algo: 'ppo' | 'sac', step: number, wallTime: number): void {
  const id = run(algo, step);
  store.evaluations.insert(id, { step, mode: 'deterministic', returns: [0], lengths: [2], startSeeds: [1], wallTime });
  store.runs.markEnded(id, 'completed');
}

const progress = (runId: number, globalStep: number, sps: number) => ({ runId, globalStep, totalSteps: 0, sps, etaSeconds: null, episodes: 0, lastEval: {} });

/** The total line of a queue: PPO (10,000 steps) half done at 1,000 steps/s, SAC (10,000 steps) queued behind it. */
function sacBehindPpo(): string {
  const ppo = run('ppo', 10_000);
  const sac = run('sac', 10_000);
  const src = new Source();
  src.active = [ppo];
  src.queued = [sac];
  const d = new ProgressDisplay(store, src, [ppo, sac]);
  src.emit('progress', progress(ppo, 5_000, 1_000)); // PPO: 5 s left
  return d.lines().at(-1)!;
}

describe('the total ETA of a queue', () => {
  it('times queued SAC at SAC\'s measured speed, not at the PPO run now training', () => {
    timed('sac', 1000, 100); // SAC: 10 steps/s
    expect(sacBehindPpo()).toMatch(/; ETA 16:45$/); // 5 s + 10,000 / 10 s
  });

  it('a seed group of 2 runs in one slot: its seeds advance together', () => {
    const a = run('sac', 10_000, '1,2');
    const b = run('sac', 10_000, '1,2');
    const src = new Source();
    src.active = [a, b];
    const d = new ProgressDisplay(store, src, [a, b]);
    src.emit('progress', progress(a, 4_000, 10));
    src.emit('progress', progress(b, 4_000, 10));
    expect(d.lines().at(-1)).toMatch(/; ETA 10:00$/); // 6,000 steps at 10 steps/s each, together
  });

  it('names the algorithms with no speed yet, and says the time is a lower bound', () => {
    expect(sacBehindPpo()).toMatch(/; ETA over 0:05 \(sac not timed yet\)$/);
  });
});
