// Pendulum sanity bar with quick presets (64x64 networks, 15k steps), npm run test:learning:
// SAC with automatic alpha and TD3 each reach a mean deterministic evaluation return >= -300.
import { describe, expect, it } from 'vitest';
import { finalReturn } from './helpers.ts';

describe('pendulum: the algorithms learn a familiar task', () => {
  for (const algo of ['sac-auto', 'td3']) {
    it(`${algo} reaches >= -300 within 15,000 steps`, async () => {
      const { curve } = await finalReturn('pendulum', algo, 0, { totalSteps: 15_000 });
      const best = Math.max(...curve.map(([, v]) => v));
      const final = curve[curve.length - 1]![1];
      expect(final, JSON.stringify(curve)).toBeGreaterThanOrEqual(-300);
      expect(best).toBeGreaterThanOrEqual(-300);
    });
  }
});
