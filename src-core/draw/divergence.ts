// Where two episodes part ways: the drawn position of each frame (the point a viewer follows),
// and the first step at which two episodes' positions are farther apart than a chosen distance.
import type { DrawFrame } from './types.ts';

/** The point that stands for a frame's state, in world units (toy: the state index). */
export function framePosition(f: DrawFrame): number[] {
  switch (f.env) {
    case 'toy': return [f.stateIndex];
    case 'vehicle': return [...f.position];
    case 'quadrotor': return [...f.position];
    case 'acrobot': return [...f.tip];
    case 'obstacle2d': return [...f.position];
    case 'pendulum': return [...f.tip];
    case 'hopper':
    case 'opencat': return [...f.root]; // the torso or base
  }
}

/** Euclidean distance between the positions of two frames. */
export function frameDistance(a: DrawFrame, b: DrawFrame): number {
  const pa = framePosition(a);
  const pb = framePosition(b);
  let s = 0;
  for (let i = 0; i < pa.length; i++) s += (pa[i]! - (pb[i] ?? 0)) ** 2;
  return Math.sqrt(s);
}

/**
 * First step k at which any two of the episodes are more than `distance` apart (pairwise maximum),
 * over the steps all of them reached; null when they never are.
 */
export function firstDivergence(episodes: readonly (readonly DrawFrame[])[], distance: number): number | null {
  if (episodes.length < 2) return null;
  const steps = Math.min(...episodes.map((e) => e.length));
  for (let k = 0; k < steps; k++) {
    for (let i = 0; i < episodes.length; i++) {
      for (let j = i + 1; j < episodes.length; j++) {
        if (frameDistance(episodes[i]![k]!, episodes[j]![k]!) > distance) return k;
      }
    }
  }
  return null;
}
