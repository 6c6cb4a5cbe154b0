// Algorithm factory: an agent for an AlgoId from its resolved config (RunConfig.algoConfig).
import type { Rng } from '../rng.ts';
import type { AlgoId } from '../train/types.ts';
import type { Agent } from './common/types.ts';
import type { SacConfig } from './sac/config.ts';
import { SacAgent } from './sac/sac.ts';

export function createAgent(algo: AlgoId, algoConfig: Record<string, unknown>, obsDim: number, actDim: number, rng: Rng): Agent {
  switch (algo) {
    case 'sac':
    case 'sac-auto':
      return new SacAgent(algo, { ...(algoConfig as unknown as SacConfig), autoAlpha: algo === 'sac-auto' }, obsDim, actDim, rng);
    default:
      throw new Error(`algorithm '${algo}' is not available yet`);
  }
}
