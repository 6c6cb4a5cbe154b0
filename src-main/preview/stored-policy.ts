// Stored policies for previews: a run's checkpoints, and one episode of the policy stored at one of
// them. Main only finds the checkpoint file through the store and checks the request; loading the
// networks and rolling out (tfjs inference) is a job for a short-lived worker process
// (./preview-worker.ts), so main never computes (architecture principle 5).
import type { PreviewResult } from '../../src-core/contract/methods/scenes.ts';
import type { PreviewJob } from '../../src-core/contract/worker-protocol.ts';
import { PreviewInputError, type RolloutRequest } from './rollout.ts';

/** What the store must answer (src-main/store: checkpoints repo and runs repo). */
export interface CheckpointIndex {
  list(runId: number): { step: number; file: string; size: number }[];
  /** The run's resolved config (RunConfig), or undefined when the run does not exist. */
  config(runId: number): Record<string, unknown> | undefined;
}

/** Runs a preview job to its episode (in a worker process: ./preview-worker.ts; in tests, anywhere). */
export type PreviewRunner = (job: PreviewJob) => Promise<PreviewResult>;

export class StoredPolicyError extends Error {
  override name = 'StoredPolicyError';
  readonly code: 'not_found' | 'unavailable';
  readonly path: string;
  constructor(code: 'not_found' | 'unavailable', message: string, path: string) {
    super(message);
    this.code = code;
    this.path = path;
  }
}

export interface StoredPolicies {
  checkpoints(runId: number): { step: number; size: number }[];
  /** One episode of the policy stored at `step`; `request.seed` also seeds the policy's sampling. */
  preview(runId: number, step: number, mode: 'deterministic' | 'stochastic', request: RolloutRequest): Promise<PreviewResult>;
}

export function storedPolicies(index: CheckpointIndex, runner: PreviewRunner | null): StoredPolicies {
  const checkpoints = (runId: number): { step: number; file: string; size: number }[] => {
    if (!index.config(runId)) throw new StoredPolicyError('not_found', `run ${runId} does not exist`, 'runId');
    return index.list(runId);
  };
  return {
    checkpoints: (runId) => checkpoints(runId).map((c) => ({ step: c.step, size: c.size })),
    async preview(runId, step, mode, request) {
      const list = checkpoints(runId);
      const c = list.find((x) => x.step === step);
      if (!c) {
        const known = list.map((x) => x.step).join(', ') || 'none';
        throw new StoredPolicyError('not_found', `run ${runId} has no checkpoint at step ${step} (stored: ${known})`, 'policy.step');
      }
      if (!runner) throw new StoredPolicyError('unavailable', 'loading a policy from a checkpoint is not available in this build (no preview worker)', 'policy');
      const config = index.config(runId)!;
      const trainedOn = (config as { env?: { id?: string } }).env?.id;
      if (trainedOn && trainedOn !== request.envId) throw new PreviewInputError(`run ${runId} was trained on '${trainedOn}', not '${request.envId}'`, 'envId');
      return runner({
        checkpointFile: c.file,
        runConfig: config,
        mode,
        seed: request.seed,
        label: `run ${runId} at step ${step} (${mode})`,
        request: {
          envId: request.envId,
          seed: request.seed,
          ...(request.variant !== undefined ? { variant: request.variant } : {}),
          ...(request.params !== undefined ? { params: request.params } : {}),
          ...(request.initialState !== undefined ? { initialState: request.initialState } : {}),
          ...(request.steps !== undefined ? { steps: request.steps } : {}),
        },
      });
    },
  };
}
