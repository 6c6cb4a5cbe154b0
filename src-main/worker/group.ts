// K ordinary trainers behind the engine's GroupTrainer interface (src-core/train/types.ts): the
// worker drives every job, one run or a seed group, as a GroupTrainer. A run alone is a group of
// one; the test workers (tests/main/runs/fixtures) build groups of fake trainers this way. The
// members take turns in this process (each yields to the event loop every ~50 ms) and compute
// exactly what each computes alone; real seed groups use createGroupTrainer (worker/main.ts).
import type { GroupTrainer, RunOutcome, Trainer } from '../../src-core/train/types.ts';

export function trainersAsGroup(trainers: Trainer[]): GroupTrainer {
  const cancelled = trainers.map(() => false);
  return {
    configs: trainers.map((t) => t.config),
    size: trainers.length,
    globalStep: (k) => trainers[k]!.globalStep,
    run: (shouldStop) => Promise.all(trainers.map((t, k): Promise<RunOutcome> => t.run(() => cancelled[k]! || (shouldStop?.() ?? false)))),
    cancel: (k) => {
      cancelled[k] = true;
    },
    checkpoint: (k) => trainers[k]!.checkpoint(),
    dispose: () => trainers.forEach((t) => t.dispose()),
  };
}
