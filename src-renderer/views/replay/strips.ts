// The series the strip charts show for an episode: reward, each reward component, each action
// dimension, and the policy's log-probability and entropy where recorded.
import type { Episode } from '../environments/episode.ts';

export interface Strip {
  name: string;
  values: (number | null)[];
}

export function episodeStrips(e: Episode): Strip[] {
  const out: Strip[] = [{ name: 'reward', values: e.rewards }];
  for (const [k, v] of Object.entries(e.rewardComponents)) out.push({ name: `reward: ${k}`, values: v });
  for (let i = 0; i < e.actDim; i++) {
    const values: number[] = [];
    for (let t = 0; t < e.length; t++) values.push(e.actions[t * e.actDim + i]!);
    out.push({ name: `action: ${e.actionNames[i] ?? `a${i}`}`, values });
  }
  const has = (v?: (number | null)[]): v is (number | null)[] => !!v && v.some((x) => x !== null && Number.isFinite(x));
  if (has(e.logProbs)) out.push({ name: 'log-probability of the action', values: e.logProbs });
  if (has(e.entropies)) out.push({ name: 'policy entropy', values: e.entropies });
  return out;
}

/** Finite min and max of a series (a unit range when empty or flat). */
export function range(values: (number | null)[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) return [0, 1];
  if (lo === hi) return [lo - 0.5, hi + 0.5];
  return [lo, hi];
}
