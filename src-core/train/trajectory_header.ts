// The scalar fields of a recorded evaluation episode (types.ts, Trajectory): what every encoding of
// one carries unchanged (worker messages, the API, bundles), whatever it does with the arrays.
import type { Trajectory } from './types.ts';

export type TrajectoryHeader = Pick<Trajectory, 'step' | 'mode' | 'episode' | 'startSeed' | 'length' | 'obsDim' | 'actDim' | 'stateDim'>;

/** The header fields of `t` (a Trajectory or any encoding of one), nothing else. */
export function trajectoryHeader(t: TrajectoryHeader): TrajectoryHeader {
  return { step: t.step, mode: t.mode, episode: t.episode, startSeed: t.startSeed, length: t.length, obsDim: t.obsDim, actDim: t.actDim, stateDim: t.stateDim };
}
