// The paper's toy claim with quick presets (npm run test:learning): PPO (entropy coefficient 0)
// and SAC-AdaEnt end on the precise +1 branch, SAC with alpha = 1 on the safe -1 branch.
// Deterministic evaluation return, averaged over 3 seeds.
import { describe, expect, it } from 'vitest';
import { finalReturn, mean } from './helpers.ts';

const SEEDS = [0, 1, 2];

describe('toy: where maximum entropy misleads', () => {
  it('SAC with alpha = 1 converges to the safe -1 branch', async () => {
    const finals = [];
    for (const s of SEEDS) finals.push((await finalReturn('toy', 'sac', s)).final);
    expect(mean(finals)).toBeLessThanOrEqual(-0.9);
  });

  it('SAC-AdaEnt recovers the +1 branch', async () => {
    const finals = [];
    for (const s of SEEDS) finals.push((await finalReturn('toy', 'sac-adaent', s)).final);
    expect(mean(finals)).toBeGreaterThanOrEqual(0.9);
  });

  it('PPO finds the +1 branch', async () => {
    const finals = [];
    for (const s of SEEDS) finals.push((await finalReturn('toy', 'ppo', s)).final);
    expect(mean(finals)).toBeGreaterThanOrEqual(0.9);
  });
});
