// Default (min, max) score ranges per environment for min-max normalisation when several
// environments are pooled (performance profiles). Only ranges that follow from an environment's
// definition are given; elsewhere the observed range of the runs compared is used and labelled as
// such, and every range can be overridden in the Compare view (and the API's `ranges` argument).
import type { ScoreRange } from './normalize.ts';

export const DEFAULT_SCORE_RANGES: Readonly<Record<string, ScoreRange & { why: string }>> = {
  // spec/environments.md, Toy: an episode returns -20 (outside the band), -1 (safe branch) or +1.
  toy: { min: -20, max: 1, why: 'toy returns: -20 (missed band) to +1 (precise branch)' },
};

/** The default range of an environment label ('toy' or 'vehicle/kinematic'), if one is defined. */
export function defaultScoreRange(env: string): ScoreRange | undefined {
  const d = DEFAULT_SCORE_RANGES[env.split('/')[0]!];
  return d ? { min: d.min, max: d.max } : undefined;
}
