// Handlers of the analysis methods (issue 15): Q landscapes at a state and critical-state scores
// along an episode. Main resolves checkpoints and observations (src-main/preview/landscapes.ts);
// a short-lived worker process does the tensor work, so main loads no tfjs.
import { ApiFailure, type Handlers } from '../../src-core/contract/define.ts';
import type { analysisMethods } from '../../src-core/contract/methods/analysis.ts';
import { landscapes, type Landscapes } from '../preview/landscapes.ts';
import { PreviewWorkerError, workerLandscapeRunner } from '../preview/preview-worker.ts';
import { PreviewInputError } from '../preview/rollout.ts';
import { StoredPolicyError } from '../preview/stored-policy.ts';
import { NodeWorkerHost, type WorkerHost } from '../runs/host.ts';
import type { Services } from './services.ts';

function fail(err: unknown): never {
  if (err instanceof PreviewInputError) throw new ApiFailure('invalid_args', err.message, err.path);
  if (err instanceof StoredPolicyError) throw new ApiFailure(err.code, err.message, err.path);
  if (err instanceof PreviewWorkerError) throw new ApiFailure('unavailable', err.message, 'run');
  throw err;
}

let fallbackHost: WorkerHost | null = null;

function landscapesOf(s: Services): Landscapes | null {
  if (!s.store) return null;
  const store = s.store;
  const host = (): WorkerHost => s.manager?.workerHost ?? (fallbackHost ??= new NodeWorkerHost());
  return landscapes(
    {
      list: (runId) => store.checkpoints.list(runId),
      config: (runId) => store.runs.get(runId)?.config as Record<string, unknown> | undefined,
    },
    { get: (id) => store.trajectories.get(id) },
    workerLandscapeRunner({ spawn: () => host().spawn(), timeoutMs: 120_000 }),
  );
}

/** `override` replaces the store-backed service (tests); null where no run store is open. */
export function analysisHandlers(s: Services, override?: Landscapes | null): Handlers<typeof analysisMethods> {
  let service: Landscapes | null | undefined = override;
  const get = (): Landscapes => {
    if (service === undefined) service = landscapesOf(s);
    if (!service) throw new ApiFailure('unavailable', 'landscapes need the run store, which is not open here', 'run');
    return service;
  };
  return {
    'analysis.landscape': async (args) => {
      try {
        return await get().landscape(args);
      } catch (err) {
        return fail(err);
      }
    },
    'analysis.critical': async (args) => {
      try {
        return await get().critical(args);
      } catch (err) {
        return fail(err);
      }
    },
  };
}
