// Handlers of the environment methods, read from the registry (src-core/envs/registry.ts).
import { ApiFailure, type Handlers } from '../../src-core/contract/define.ts';
import type { envMethods } from '../../src-core/contract/methods/envs.ts';
import { ENV_SPECS, getEnvSpec } from '../../src-core/envs/registry.ts';
import type { EnvSpec } from '../../src-core/envs/types.ts';
import type { Services } from './services.ts';

function summary(e: EnvSpec) {
  return {
    id: e.id,
    title: e.title,
    description: e.description,
    variants: e.variants.map((v) => ({ name: v.name, description: v.description })),
    defaultVariant: e.defaultVariant,
    params: e.params.map((p) => ({ ...p })),
  };
}

function specOrFail(id: string): EnvSpec {
  try {
    return getEnvSpec(id);
  } catch (err) {
    throw new ApiFailure('not_found', (err as Error).message, 'id');
  }
}

export function envHandlers(s: Services): Handlers<typeof envMethods> {
  return {
    'envs.list': () => ENV_SPECS.map(summary),
    'envs.describe': ({ id, variant }) => {
      const e = specOrFail(id);
      const name = variant ?? e.defaultVariant;
      const v = e.variants.find((x) => x.name === name);
      if (!v) throw new ApiFailure('not_found', `${id}: unknown variant '${name}' (known: ${e.variants.map((x) => x.name).join(', ')})`, 'variant');
      return {
        ...summary(e),
        variant: v.name,
        observationDim: v.observationDim,
        action: { low: [...v.actionLow], high: [...v.actionHigh] },
        maxEpisodeSteps: e.maxEpisodeSteps,
        stateNames: [...e.stateNames(v.name)],
      };
    },
    'presets.get': (args) => {
      specOrFail(args.envId);
      return s.preset(args.envId, args.algo, args.preset);
    },
  };
}
