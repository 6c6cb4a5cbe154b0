// Hopper, the paper's control case (entropy helps), npm run test:learning: SAC (alpha 0.2) with the
// quick preset (300k steps, [64, 64] networks; src-core/presets/quick.ts) reaches a mean final
// deterministic evaluation return above 1,000 over 3 seeds. Hours on one core: not in `npm test`.
// The campaign's Hopper SAC runs (results/hopper-quick-ppo-sac.labbundle) are this computation (same
// configs, one group of seeds 0-2; their evaluations equal this test's, checked to 20k steps): final
// 3,037.5, 2,274.3 and 990.0, mean 2,100.6 (2026-12-05, ~85 min on one core of the loaded machine).
import { describe, expect, it } from 'vitest';
import { finalReturns, mean } from './helpers.ts';

describe('hopper: SAC learns to hop', () => {
  it('SAC, quick budget, seeds 0-2: mean final deterministic return > 1,000', async () => {
    const runs = await finalReturns('hopper', 'sac', [0, 1, 2]); // one seed group: as alone, cheaper per seed
    const finals = runs.map((r) => r.final);
    expect(mean(finals), JSON.stringify(runs.map((r) => r.curve))).toBeGreaterThan(1000);
  }, 4 * 3_600_000); // ~1.5 h on one idle core (3 seeds x 300k SAC updates), longer on a loaded machine
});
