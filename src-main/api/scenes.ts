// Handlers of the scenes methods: preview rollouts (src-main/preview) and a run's checkpoints.
// Simple policies (random, zero, constant) are rolled out here: a few hundred environment steps,
// no tensors. A stored policy's episode is computed by a short-lived worker process started by
// the run manager's process host (src-main/preview/preview-worker.ts); main loads no tfjs.
import { ApiFailure, type Handlers } from '../../src-core/contract/define.ts';
import type { sceneMethods } from '../../src-core/contract/methods/scenes.ts';
import { PreviewInputError, rollout, simplePolicy } from '../preview/rollout.ts';
import { PreviewWorkerError, workerPreviewRunner } from '../preview/preview-worker.ts';
import { StoredPolicyError, storedPolicies, type StoredPolicies } from '../preview/stored-policy.ts';
import { NodeWorkerHost, type WorkerHost } from '../runs/host.ts';
import { getEnvSpec } from '../../src-core/envs/registry.ts';
import { ensurePhysicsFor } from '../engine/mujoco.ts';
import type { Services } from './services.ts';

function fail(err: unknown): never {
  if (err instanceof PreviewInputError) {
    throw new ApiFailure(/unknown environment/.test(err.message) ? 'not_found' : 'invalid_args', err.message, err.path);
  }
  if (err instanceof StoredPolicyError) throw new ApiFailure(err.code, err.message, err.path);
  if (err instanceof PreviewWorkerError) throw new ApiFailure('unavailable', err.message, 'policy');
  throw err;
}

let fallbackHost: WorkerHost | null = null;

/** Stored policies over the run store (checkpoint rows and run configs), or null without a store. */
function policiesOf(s: Services): StoredPolicies | null {
  if (!s.store) return null;
  const store = s.store;
  // the run manager's host (utilityProcess in Electron); a plain fork where no manager runs (tests)
  const host = (): WorkerHost => s.manager?.workerHost ?? (fallbackHost ??= new NodeWorkerHost());
  return storedPolicies(
    {
      list: (runId) => store.checkpoints.list(runId),
      config: (runId) => store.runs.get(runId)?.config as Record<string, unknown> | undefined,
    },
    workerPreviewRunner({ spawn: () => host().spawn() }),
  );
}

/** `policies` overrides the store-backed ones (tests); null where no run store is open. */
export function sceneHandlers(s: Services, override?: StoredPolicies | null): Handlers<typeof sceneMethods> {
  const policies = override !== undefined ? override : policiesOf(s);
  return {
    'scenes.preview': async (args) => {
      try {
        if (args.policy.kind !== 'checkpoint') {
          let spec;
          try {
            spec = getEnvSpec(args.envId);
          } catch (err) {
            throw new PreviewInputError((err as Error).message, 'envId');
          }
          const variant = spec.variants.find((v) => v.name === (args.variant ?? spec.defaultVariant));
          if (!variant) throw new PreviewInputError(`${args.envId}: unknown variant '${args.variant}' (known: ${spec.variants.map((v) => v.name).join(', ')})`, 'variant');
          const { act, label } = simplePolicy(args.policy, variant.actionLow, variant.actionHigh, args.seed);
          await ensurePhysicsFor(args.envId);
          return await rollout(args, act, label);
        }
        if (!policies) throw new ApiFailure('unavailable', 'stored policies need the run store, which is not open here', 'policy');
        const p = args.policy;
        return await policies.preview(p.runId, p.step, p.mode, args);
      } catch (err) {
        return fail(err);
      }
    },
    'scenes.checkpoints': ({ runId }) => {
      if (!policies) throw new ApiFailure('unavailable', 'checkpoints need the run store, which is not open here');
      try {
        return policies.checkpoints(runId);
      } catch (err) {
        return fail(err);
      }
    },
  };
}
