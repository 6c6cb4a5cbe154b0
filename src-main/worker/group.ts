// A seed group inside one worker process: K runs that differ only in seed (issue 12). The worker
// drives a GroupTrainer; each member reports through its own callbacks and ends on its own (a
// member may be paused or cancelled while the others go on). `concurrentGroup` builds one from K
// ordinary trainers that take turns in this process (each yields to the event loop every ~50 ms):
// every member computes exactly what it computes alone, without the batched speed-up; the
// engine's seed-batched trainer, where it supports the algorithm, replaces it (worker/main.ts).
import type { RunOutcome, Trainer } from '../../src-core/train/types.ts';

export interface GroupTrainer {
  /** Number of members, in the order of the configs it was made from. */
  readonly size: number;
  /** Current global step of member i. */
  globalStep(member: number): number;
  /**
   * Train every member to its budget. `shouldStop(i)` is checked between steps; a stopped member
   * writes its checkpoint first. `onEnd(i, outcome)` fires as soon as member i has ended.
   */
  run(shouldStop: (member: number) => boolean, onEnd: (member: number, outcome: RunOutcome) => void): Promise<void>;
  dispose(): void;
}

/** K independent trainers in one process, taking turns: identical results to K separate runs. */
export function concurrentGroup(trainers: Trainer[]): GroupTrainer {
  return {
    size: trainers.length,
    globalStep: (i) => trainers[i]!.globalStep,
    async run(shouldStop, onEnd) {
      await Promise.all(trainers.map(async (t, i) => onEnd(i, await t.run(() => shouldStop(i)))));
    },
    dispose() {
      for (const t of trainers) t.dispose();
    },
  };
}
