// Algorithm factory: an agent for an AlgoId from its resolved config (RunConfig.algoConfig).
import type { Rng } from '../rng.ts';
import type { AlgoId } from '../train/types.ts';
import type { Agent } from './common/types.ts';
import { checkAutoAlpha, type SacConfig } from './sac/config.ts';
import { SacAgent } from './sac/sac.ts';
import type { PpoConfig } from './ppo/config.ts';
import { PpoAgent } from './ppo/ppo.ts';
import type { Td3Config } from './td3/config.ts';
import type { SacAdaEntConfig } from './sac_adaent/config.ts';
import { SacAdaEntAgent } from './sac_adaent/sac_adaent.ts';
import { Td3Agent } from './td3/td3.ts';

export function createAgent(algo: AlgoId, algoConfig: Record<string, unknown>, obsDim: number, actDim: number, rng: Rng): Agent {
  switch (algo) {
    case 'sac':
    case 'sac-auto':
      // the config runs as stored; one that contradicts the algorithm id is refused, never overridden
      checkAutoAlpha(algo, algoConfig.autoAlpha);
      return new SacAgent(algo, algoConfig as unknown as SacConfig, obsDim, actDim, rng);
    case 'sac-adaent':
      return new SacAdaEntAgent(algoConfig as unknown as SacAdaEntConfig, obsDim, actDim, rng);
    case 'ppo':
      return new PpoAgent(algoConfig as unknown as PpoConfig, obsDim, actDim, rng);
    case 'td3':
      return new Td3Agent(algoConfig as unknown as Td3Config, obsDim, actDim, rng);
    default:
      throw new Error(`unknown algorithm '${String(algo)}'`);
  }
}
