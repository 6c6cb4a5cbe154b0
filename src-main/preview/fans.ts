// Main's side of the rollout fan (contract: analysis.fan): find the checkpoint through the store,
// check the start against the run's environment, hand the episodes to a short-lived worker process
// (./fan-job.ts through ./preview-worker.ts) and keep the last answers (./answer-cache.ts; the
// same request gives the same episodes: every seed is in it).
import type { z } from 'zod';
import type { FanArgs, FanResult } from '../../src-core/contract/methods/analysis.ts';
import type { FanJob } from '../../src-core/contract/worker-protocol.ts';
import type { FanRunner } from './preview-worker.ts';
import { answerCache } from './answer-cache.ts';
import { PreviewInputError } from './rollout.ts';
import { StoredPolicyError, type CheckpointIndex } from './stored-policy.ts';

export type FanRequest = z.output<typeof FanArgs>;

export interface Fans {
  fan(args: FanRequest): Promise<FanResult>;
}

const CACHE_SIZE = 16;

interface RunConfigView {
  algo?: string;
  seed?: number;
  env?: { id: string; variant: string; params: Record<string, number> };
}

export function fans(index: CheckpointIndex, runner: FanRunner | null): Fans {
  const cached = answerCache<FanResult>(CACHE_SIZE);
  return {
    fan(args) {
      const { runId, step } = args.run;
      const config = index.config(runId) as RunConfigView | undefined;
      if (!config) throw new StoredPolicyError('not_found', `run ${runId} does not exist`, 'run.runId');
      const list = index.list(runId);
      const c = list.find((x) => x.step === step);
      if (!c) throw new StoredPolicyError('not_found', `run ${runId} has no checkpoint at step ${step} (stored: ${list.map((x) => x.step).join(', ') || 'none'})`, 'run.step');
      if (!config.env) throw new StoredPolicyError('not_found', `run ${runId} has no environment in its config`, 'run.runId');
      if (!runner) throw new StoredPolicyError('unavailable', 'rollout fans need a worker process, which this build does not have', 'run');
      const env = config.env;
      const seed = args.start.kind === 'seed' ? args.start.seed : 0;
      const startLabel = args.start.kind === 'seed' ? `the environment's reset from seed ${seed}` : `the given state [${args.start.state.join(', ')}]`;
      const job: FanJob = {
        checkpointFile: c.file,
        runConfig: config as Record<string, unknown>,
        seed,
        label: `run ${runId} (${config.algo}, seed ${config.seed}) at step ${step}`,
        request: {
          envId: env.id,
          variant: env.variant,
          params: env.params,
          seed,
          ...(args.start.kind === 'state' ? { initialState: args.start.state } : {}),
          ...(args.steps !== undefined ? { steps: args.steps } : {}),
        },
        count: args.count,
        samplingSeed: args.samplingSeed,
        context: { runId, step, algo: String(config.algo), startLabel },
      };
      const key = JSON.stringify([c.file, args.start, args.count, args.samplingSeed, args.steps ?? null]);
      return cached(key, () =>
        runner(job).catch((err: unknown) => {
          // the worker names the rollout's field; the request calls it start.state
          if (err instanceof PreviewInputError && err.path === 'initialState') throw new PreviewInputError(err.message, 'start.state');
          throw err;
        }),
      );
    },
  };
}
