// Algorithm factories: a single-seed agent for an AlgoId from its resolved config
// (RunConfig.algoConfig), and a seed-batched agent for K seeds of the same config.
import type { Rng } from '../rng.ts';
import type { AlgoId } from '../train/types.ts';
import type { Agent, SeedBatchedAgent } from './common/types.ts';
import { checkAutoAlpha, type SacConfig } from './sac/config.ts';
import { SeedSacAgent } from './sac/sac.ts';
import { SingleSeedSac, type SeedSacBase } from './sac/seed_sac.ts';
import type { PpoConfig } from './ppo/config.ts';
import { PpoAgent, SeedPpoAgent } from './ppo/ppo.ts';
import type { Td3Config } from './td3/config.ts';
import type { SacAdaEntConfig } from './sac_adaent/config.ts';
import { SeedSacAdaEntAgent } from './sac_adaent/sac_adaent.ts';
import { SeedTd3Agent, SingleSeedTd3 } from './td3/td3.ts';

export function createAgent(algo: AlgoId, algoConfig: Record<string, unknown>, obsDim: number, actDim: number, rng: Rng): Agent {
  switch (algo) {
    case 'sac':
    case 'sac-auto':
    case 'sac-adaent':
      // the SAC family has one implementation, seed-batched; a run alone is its group of one
      return new SingleSeedSac(createSeedBatchedAgent(algo, algoConfig, obsDim, actDim, [rng]) as SeedSacBase);
    case 'td3':
      // TD3 has one implementation, seed-batched; a run alone is its group of one
      return new SingleSeedTd3(createSeedBatchedAgent(algo, algoConfig, obsDim, actDim, [rng]) as SeedTd3Agent);
    case 'ppo':
      // PPO has one implementation, seed-batched; a run alone is its group of one
      return new PpoAgent(algoConfig as unknown as PpoConfig, obsDim, actDim, rng);
    default:
      throw new Error(`unknown algorithm '${String(algo)}'`);
  }
}

/**
 * K seeds of one algorithm and config, seed k initialised from initRngs[k] exactly as createAgent
 * would: the SAC family (sac/seed_sac.ts), TD3 (td3/td3.ts) and PPO (ppo/ppo.ts), each seed-batched.
 */
export function createSeedBatchedAgent(algo: AlgoId, algoConfig: Record<string, unknown>, obsDim: number, actDim: number, initRngs: Rng[]): SeedBatchedAgent {
  if (algo === 'sac' || algo === 'sac-auto') {
    // the config runs as stored; one that contradicts the algorithm id is refused, never overridden
    checkAutoAlpha(algo, algoConfig.autoAlpha);
    return new SeedSacAgent(algo, algoConfig as unknown as SacConfig, obsDim, actDim, initRngs);
  }
  if (algo === 'sac-adaent') return new SeedSacAdaEntAgent(algoConfig as unknown as SacAdaEntConfig, obsDim, actDim, initRngs);
  if (algo === 'td3') return new SeedTd3Agent(algoConfig as unknown as Td3Config, obsDim, actDim, initRngs);
  if (algo === 'ppo') return new SeedPpoAgent(algoConfig as unknown as PpoConfig, obsDim, actDim, initRngs);
  throw new Error(`unknown algorithm '${String(algo)}'`);
}
