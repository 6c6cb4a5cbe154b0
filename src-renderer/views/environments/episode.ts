// An episode as the Environments view and the replays hold it: full states, actions, rewards and
// their components, log-probabilities and entropies, with the frames the scene draws.
import { drawEpisode, type DrawFrame } from '../../../src-core/draw/index.ts';

export interface Episode {
  envId: string;
  variant: string;
  params: Record<string, number>;
  /** What produced it, e.g. 'constant [0, 0]' or 'run 3, step 20000, deterministic, episode 0'. */
  label: string;
  length: number; // T
  stateDim: number;
  actDim: number;
  states: number[]; // (T + 1) x stateDim
  actions: number[]; // T x actDim
  rewards: (number | null)[];
  rewardComponents: Record<string, (number | null)[]>;
  logProbs?: (number | null)[];
  entropies?: (number | null)[];
  stateNames: string[];
  actionNames: string[];
  /** Start seed of an evaluation episode (replays), or the preview's seed. */
  startSeed?: number;
  frames: DrawFrame[];
}

export type EpisodeInput = Omit<Episode, 'frames'>;

/** Attach the drawn frames (frame k: state k with the action taken from it). */
export function withFrames(e: EpisodeInput): Episode {
  const frames = drawEpisode(e.envId, e.variant, e.params, e.states, e.stateDim, e.actions, e.actDim);
  return { ...e, frames };
}

/** Step length of each environment in seconds where it has no `dt` parameter (spec: environments.md). */
const DT: Record<string, number> = { vehicle: 0.1, quadrotor: 0.1, acrobot: 0.2, obstacle2d: 1 };

/** Seconds per environment step (params.dt when the environment has one), or undefined (toy). */
export function stepSeconds(envId: string, params: Record<string, number>): number | undefined {
  return params.dt ?? DT[envId];
}

/** Row k of a flat row-major array. */
export function row(flat: readonly (number | null)[], dim: number, k: number): (number | null)[] {
  return flat.slice(k * dim, (k + 1) * dim);
}

/** A number for display with its sign and a sensible precision; '–' for missing. */
export function fmt(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(3);
  return v.toFixed(digits);
}
