// SAC-AdaEnt configuration: SAC's fields plus the switch between soft and plain Q landscapes
// (spec/algorithms.md, "SAC-AdaEnt").
import { SAC_DEFAULTS, type SacConfig } from '../sac/config.ts';

export interface SacAdaEntConfig extends SacConfig {
  /** Use plain Q for a state when cosine(min-shifted soft Q, min-shifted plain Q) is below this. */
  threshold: number;
  /**
   * Actions sampled per state to compare the two landscapes (N; the paper's 100). An option of the
   * algorithm: fewer samples make the switch cheaper but noisier. A preset may lower it only where
   * `npm run bench -- adaent_n` measures >= 95% of states decided as with N = 100; none does
   * (measured: docs/findings.md, "SAC-AdaEnt's N"), so every preset keeps 100.
   */
  numSamples: number;
}

export const SAC_ADAENT_DEFAULTS: Readonly<SacAdaEntConfig> = Object.freeze({
  ...SAC_DEFAULTS,
  threshold: 0.9,
  numSamples: 100,
});
