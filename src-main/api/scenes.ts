// Handlers of the scenes methods: preview rollouts (src-main/preview) and a run's checkpoints.
// A stored policy's preview runs its environment with the run's own environment config unless the
// request names one explicitly.
import { ApiFailure, type Handlers } from '../../src-core/contract/define.ts';
import type { sceneMethods } from '../../src-core/contract/methods/scenes.ts';
import { PreviewInputError, rollout, simplePolicy } from '../preview/rollout.ts';
import { StoredPolicyError, type StoredPolicies } from '../preview/stored-policy.ts';
import { getEnvSpec } from '../../src-core/envs/registry.ts';
import type { Services } from './services.ts';

function fail(err: unknown): never {
  if (err instanceof PreviewInputError) throw new ApiFailure(err.path === 'envId' ? 'not_found' : 'invalid_args', err.message, err.path);
  if (err instanceof StoredPolicyError) throw new ApiFailure(err.code, err.message, err.path);
  throw err;
}

/** `policies` is null where no run store is available (then stored-policy previews answer 'unavailable'). */
export function sceneHandlers(_s: Services, policies: StoredPolicies | null = null): Handlers<typeof sceneMethods> {
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
          return rollout(args, act, label);
        }
        if (!policies) throw new ApiFailure('unavailable', 'stored policies need the run store, which is not open here', 'policy');
        const p = args.policy;
        const stored = await policies.load(p.runId, p.step, p.mode, args.seed);
        try {
          return rollout(args, stored.act, stored.label);
        } finally {
          stored.dispose();
        }
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
