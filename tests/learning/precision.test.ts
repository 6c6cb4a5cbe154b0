// The paper's headline outcome on each precision task (and Obstacle2D, where entropy helps, and the
// quadrotor's simplified variant, where the paper has all methods learn), with
// the quick presets unchanged, 3 seeds per algorithm, decided by the rule of `lab report`
// (src-core/stats/paper-claims.ts: P(X > Y) on the final deterministic return with its 95%
// stratified-bootstrap interval). The toy has its own tests (toy.test.ts, toy-compare.test.ts).
//
// EXPECTED is the paper's direction ("reproduced") until the campaign (docs/results.md) states
// otherwise for a task; then it becomes the verdict the rule gives on the campaign's seeds 0-2 (the
// same configs as this test's runs, which re-train bit for bit), with the report's 5-seed line quoted
// beside it. It is never changed to make a run pass, and no preset is tuned for it. Each task is hours
// of SAC on the wasm backend (200k steps x 3 seeds; obstacle2d 42.5k); the campaign has run them all.
import { describe, expect, it } from 'vitest';
import { claimText, PAPER_CLAIMS, type Verdict } from '../../src-core/stats/paper-claims.ts';
import { OBSTACLE_PARAMS } from '../../src-core/envs/obstacle2d/params.ts';
import { claimOutcome } from './helpers.ts';

const SEEDS = [0, 1, 2];
// An Obstacle2D run at the goal returns the goal reward less its few steps' costs; one at the wall
// about 0, one through it the wall's -200. Four fifths of the goal reward tells them apart.
const AT_GOAL = 0.8 * OBSTACLE_PARAMS.find((p) => p.name === 'goalReward')!.default;

// `alsoCheck`: what the report's verdict alone does not pin down, as the campaign saw it.
const EXPECTED: Record<string, { claim: string; verdict: Verdict; alsoCheck?: (finals: Record<string, number[]>) => void }> = {
  // docs/results.md (5 seeds): "P(ppo > sac) = 0.08 [0.00, 0.32] lies below 0.5: sac is better; at
  // the end of the budget: ppo still rising". Its seeds 0-2 are this test's runs (same configs):
  // final deterministic returns PPO -25,838, -27,099, -6,232 and SAC -4,413, -4,542, -3,123.
  'vehicle-dynamic': { claim: 'ppo better than sac', verdict: 'contradicted' },
  // docs/results.md (5 seeds): "P(ppo > sac) = 0.04 [0.00, 0.24] lies below 0.5: sac is better; at
  // the end of the budget: ppo still rising". Its seeds 0-2: PPO -6,008, -5,940, -5,534 and SAC
  // -3,215, -3,317, -2,349, so P(ppo > sac) = 0.00 [0.00, 0.00] on this test's 3 seeds.
  'quadrotor-rotors': { claim: 'ppo better than sac', verdict: 'contradicted' },
  // docs/results.md (5 seeds): "P(ppo > sac) = 0.32 [0.00, 0.72] contains 0.5; at the end of the
  // budget: ppo still rising". On this test's seeds 0-2 SAC beats PPO in every pair (PPO -1,591,
  // -1,156, -1,901; SAC -1,061, -969, -930; P(ppo > sac) = 0.00 [0.00, 0.00]), so 3 seeds say
  // "contradicted" where 5 say "not reproduced": PPO's two best seeds are 3 and 4.
  acrobot: { claim: 'ppo better than sac', verdict: 'contradicted' },
  // The Figure 1 pair's other half. docs/results.md (5 seeds): "P(ppo > sac) = 1.00 [1.00, 1.00]
  // lies above 0.5: ppo is better"; seeds 0-2: PPO -253.3, -253.3, -247.2, SAC -418.6, -514.7, -402.0.
  'quadrotor-simplified': { claim: 'ppo about equal to sac', verdict: 'contradicted' },
  // docs/results.md (5 seeds): "P(sac > ppo) = 0.80 [0.40, 1.00] contains 0.5; at the end of the
  // budget: sac still rising". Its seeds 0-2: SAC 502.8, 502.6, -7.0 (seeds 0 and 1 reach the goal)
  // and PPO -2.6, -4.4, -1.8, so P(sac > ppo) = 0.67 [0.00, 1.00] on this test's 3 seeds.
  // "Not reproduced" must still mean what the campaign found, not a run that learnt nothing: some
  // SAC seed passes the wall to the goal and no PPO seed does.
  obstacle2d: {
    claim: 'sac better than ppo',
    verdict: 'not reproduced',
    alsoCheck: (finals) => {
      expect(finals.sac!.filter((r) => r > AT_GOAL).length, 'SAC seeds at the goal').toBeGreaterThanOrEqual(1);
      expect(finals.ppo!.filter((r) => r > AT_GOAL).length, 'PPO seeds at the goal').toBe(0);
    },
  },
};

describe('precision tasks: the direction of the paper\'s outcome, 3 seeds, quick presets', () => {
  for (const [task, want] of Object.entries(EXPECTED)) {
    const claim = PAPER_CLAIMS.find((c) => c.task === task && claimText(c) === want.claim);
    it(`${task}: ${want.claim} is ${want.verdict}`, async () => {
      expect(claim, `${task}: no such claim in PAPER_CLAIMS`).toBeDefined();
      const out = await claimOutcome(claim!, SEEDS);
      process.stdout.write(`${task}: ${out.verdict} (${out.reason}); finals ${JSON.stringify(out.finals)}\n`);
      expect(out.verdict, `${out.reason}; curves ${JSON.stringify(out.curves)}`).toBe(want.verdict);
      want.alsoCheck?.(out.finals);
    });
  }
});
