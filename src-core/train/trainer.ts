// A run trained alone: a group of one (group_trainer.ts holds the one training loop), behind the
// single-run Trainer interface that the worker, the CLI and the tests use.
import { createGroupTrainer, type YieldFn } from './group_trainer.ts';
import type { RunConfig, RunOutcome, TrainCallbacks, Trainer } from './types.ts';

/** Create a trainer for a resolved RunConfig; `resume` continues from checkpoint bytes. */
export function createTrainer(config: RunConfig, callbacks: TrainCallbacks = {}, opts: { resume?: Uint8Array; yieldToHost?: YieldFn } = {}): Trainer {
  const group = createGroupTrainer([config], [callbacks], { resume: [opts.resume], yieldToHost: opts.yieldToHost });
  return {
    config,
    get globalStep() {
      return group.globalStep(0);
    },
    run: async (shouldStop?: () => boolean): Promise<RunOutcome> => (await group.run(shouldStop))[0]!,
    checkpoint: () => group.checkpoint(0),
    dispose: () => group.dispose(),
  };
}
