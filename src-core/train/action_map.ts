// Agent actions to environment actions (spec/environments.md, conventions): squashing agents
// act in [-1, 1] and map linearly to [low, high]; PPO's raw Gaussian samples pass unchanged.
import type { Box } from '../spaces/box.ts';

export function toEnvAction(scaling: 'squash' | 'raw', a: ArrayLike<number>, space: Box, out: Float64Array): Float64Array {
  if (scaling === 'raw') {
    for (let k = 0; k < out.length; k++) out[k] = a[k]!;
    return out;
  }
  for (let k = 0; k < out.length; k++) {
    const lo = space.low[k]!;
    const hi = space.high[k]!;
    out[k] = lo + (a[k]! + 1) * 0.5 * (hi - lo);
  }
  return out;
}
