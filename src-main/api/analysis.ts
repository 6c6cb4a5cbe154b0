// Handlers of the analysis methods (issue 15): Q landscapes at a state and critical-state scores
// along an episode, and rollout fans from one start state (src-main/preview/fans.ts). Main resolves
// checkpoints and observations (src-main/preview/landscapes.ts);
// a short-lived worker process does the tensor work, so main loads no tfjs.
import { ApiFailure, type Handlers } from '../../src-core/contract/define.ts';
import type { analysisMethods } from '../../src-core/contract/methods/analysis.ts';
import { landscapes, type Landscapes } from '../preview/landscapes.ts';
import { fans, type Fans } from '../preview/fans.ts';
import { PreviewWorkerError, workerFanRunner, workerLandscapeRunner } from '../preview/preview-worker.ts';
import { PreviewInputError } from '../preview/rollout.ts';
import { StoredPolicyError } from '../preview/stored-policy.ts';
import { NodeWorkerHost, type WorkerHost } from '../runs/host.ts';
import type { Store } from '../store/index.ts';
import type { Services } from './services.ts';

/** The analysis services' errors as API failures (also used by the Paper results' analysis methods). */
export function analysisFailure(err: unknown): never {
  if (err instanceof PreviewInputError) throw new ApiFailure('invalid_args', err.message, err.path);
  if (err instanceof StoredPolicyError) throw new ApiFailure(err.code, err.message, err.path);
  if (err instanceof PreviewWorkerError) throw new ApiFailure('unavailable', err.message, 'run');
  throw err;
}

let fallbackHost: WorkerHost | null = null;

/** The worker host of the run manager, else one of this module's own. */
export function analysisHost(s: Services): WorkerHost {
  return s.manager?.workerHost ?? (fallbackHost ??= new NodeWorkerHost());
}

function landscapesOf(s: Services): Landscapes | null {
  return s.store ? storeLandscapes(s.store, () => analysisHost(s)) : null;
}

/** Landscapes over the checkpoints, configs and trajectories of one store (the user's or the Paper results'); `timeoutMs` per worker job. */
export function storeLandscapes(store: Store, host: () => WorkerHost, timeoutMs = 120_000): Landscapes {
  return landscapes(
    {
      list: (runId) => store.checkpoints.list(runId),
      config: (runId) => store.runs.get(runId)?.config as Record<string, unknown> | undefined,
    },
    { get: (id) => store.trajectories.get(id) },
    workerLandscapeRunner({ spawn: () => host().spawn(), timeoutMs }),
  );
}

/** Rollout fans over the checkpoints and configs of one store (the user's or the Paper results'); `timeoutMs` per worker job. */
export function storeFans(store: Store, host: () => WorkerHost, timeoutMs = 120_000): Fans {
  return fans(
    { list: (runId) => store.checkpoints.list(runId), config: (runId) => store.runs.get(runId)?.config as Record<string, unknown> | undefined },
    workerFanRunner({ spawn: () => host().spawn(), timeoutMs }),
  );
}

/** `override` replaces the store-backed services (tests); null where no run store is open. */
export function analysisHandlers(s: Services, override?: Landscapes | null, fanOverride?: Fans | null): Handlers<typeof analysisMethods> {
  let service: Landscapes | null | undefined = override;
  const get = (): Landscapes => {
    if (service === undefined) service = landscapesOf(s);
    if (!service) throw new ApiFailure('unavailable', 'landscapes need the run store, which is not open here', 'run');
    return service;
  };
  let fanService: Fans | null | undefined = fanOverride;
  const getFans = (): Fans => {
    if (fanService === undefined) fanService = s.store ? storeFans(s.store, () => analysisHost(s)) : null;
    if (!fanService) throw new ApiFailure('unavailable', 'rollout fans need the run store, which is not open here', 'run');
    return fanService;
  };
  return {
    'analysis.landscape': async (args) => {
      try {
        return await get().landscape(args);
      } catch (err) {
        return analysisFailure(err);
      }
    },
    'analysis.critical': async (args) => {
      try {
        return await get().critical(args);
      } catch (err) {
        return analysisFailure(err);
      }
    },
    'analysis.fan': async (args) => {
      try {
        return await getFans().fan(args);
      } catch (err) {
        return analysisFailure(err);
      }
    },
  };
}
