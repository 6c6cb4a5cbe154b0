// Handlers of the scenes methods: preview rollouts (src-main/preview) and a run's checkpoints.
// A stored policy's preview runs its environment with the run's own environment config unless the
// request names one explicitly.
import { ApiFailure, type Handlers } from '../../src-core/contract/define.ts';
import type { sceneMethods } from '../../src-core/contract/methods/scenes.ts';
import { PreviewInputError, rollout, simplePolicy } from '../preview/rollout.ts';
import { StoredPolicyError, storedPolicies, type PolicyLoader, type StoredPolicies } from '../preview/stored-policy.ts';
import { getEnvSpec } from '../../src-core/envs/registry.ts';
import type { Services } from './services.ts';

function fail(err: unknown): never {
  if (err instanceof PreviewInputError) {
    throw new ApiFailure(/unknown environment/.test(err.message) ? 'not_found' : 'invalid_args', err.message, err.path);
  }
  if (err instanceof StoredPolicyError) throw new ApiFailure(err.code, err.message, err.path);
  throw err;
}

/**
 * The engine's checkpoint -> policy loader (rebuilds the agent from the checkpoint's own config),
 * imported on first use so that main does not load tfjs until a stored policy is previewed.
 */
const ENGINE_POLICY_LOADER: PolicyLoader = async (...args) => (await import('../preview/engine-policy.ts')).enginePolicyLoader(...args);

/** Stored policies over the run store (checkpoint rows and run configs), or null without a store. */
function policiesOf(s: Services): StoredPolicies | null {
  if (!s.store) return null;
  const store = s.store;
  return storedPolicies(
    {
      list: (runId) => store.checkpoints.list(runId),
      config: (runId) => store.runs.get(runId)?.config as Record<string, unknown> | undefined,
    },
    ENGINE_POLICY_LOADER,
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
          return rollout(args, act, label);
        }
        if (!policies) throw new ApiFailure('unavailable', 'stored policies need the run store, which is not open here', 'policy');
        const p = args.policy;
        const stored = await policies.load(p.runId, p.step, p.mode, args.seed);
        try {
          const env = (stored.config as { env?: { id?: string } }).env;
          if (env?.id && env.id !== args.envId) {
            throw new PreviewInputError(`run ${p.runId} was trained on '${env.id}', not '${args.envId}'`, 'envId');
          }
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
