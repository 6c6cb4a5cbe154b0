// The cost of a run from a measured speed (src-main/evidence/speed-probe.ts), and `lab reproduce
// --plan --measure` timing on this machine what no stored run has timed, without storing anything.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveRunConfig } from '../../../src-core/train/index.ts';
import { runCoreSeconds } from '../../../src-main/evidence/speed-probe.ts';
import { tempDir } from '../bundle/fixture.ts';
import { lab } from '../cli/lab-cli.ts';

const t = tempDir('lab-speed-probe-');
afterAll(() => t.cleanup());

describe('the cost of a run from its measured speed', () => {
  // toy: 2 steps per episode; 1,000 steps, 100 of warm-up, evaluations at 0, 500 and 1,000 of 2 episodes in 2 modes
  const cfg = { ...resolveRunConfig({ env: 'toy', algo: 'sac', preset: 'quick', seed: 0, overrides: { totalSteps: 1000, warmupSteps: 100, evalInterval: 500, evalEpisodes: 2 } }), evalModes: ['deterministic', 'stochastic'] as ('deterministic' | 'stochastic')[] };
  const probe = { learnMs: 2, warmMs: 0.1, evalMs: 0.5, k: 1 };
  it('a whole run: warm-up, learning and evaluation steps at their own speeds', () => {
    // 100 x 0.1 + 900 x 2 + (3 x 2 x 2 x 2 = 24) x 0.5 ms
    expect(runCoreSeconds(cfg, probe)).toBeCloseTo((10 + 1800 + 12) / 1000, 9);
  });
  it('what is left of a run half done: no warm-up, half the learning, the evaluations still to come', () => {
    // 500 x 2 + (ceil(3 x 500 / 1000) = 2 evaluations x 2 x 2 x 2 = 16) x 0.5 ms
    expect(runCoreSeconds(cfg, probe, 500)).toBeCloseTo((1000 + 8) / 1000, 9);
  });
});

describe('lab reproduce --plan --measure', () => {
  it('times each algorithm of a new task here and prints a known estimate; nothing is stored', async () => {
    const db = join(t.dir, 'plan.db');
    const r = await lab('reproduce', 'toy', '--seeds', '2', '--steps', '400', '--concurrency', '2', '--plan', '--measure', '--db', db);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^measuring 5 task and algorithm pairs on \w+ \(a brief training each; CPU time of one core\)$/m);
    for (const algo of ['ppo', 'sac', 'sac-auto', 'sac-adaent', 'td3']) {
      expect(r.stdout).toMatch(new RegExp(`^  toy +${algo} +\\d+\\.\\d learning seed-steps/s on one core \\(group of [12]: each seed \\d+\\.\\d steps/s\\); measured in \\d+ s$`, 'm'));
    }
    expect(r.stdout).toMatch(/^  toy +10 runs, 4000 environment steps; new; done in ~\d+ (h \d+ )?min \(\d+ seed groups\) \(ppo, sac, sac-auto, sac-adaent, td3 timed here by --measure\)$/m);
    expect(r.stdout).toMatch(/^estimated time: ~\d+ (h \d+ )?min on 2 workers, the tasks in this order \(speed measured in this store or here by --measure\)$/m);
    // a plan stores nothing: the same plan without --measure still knows no speed
    const again = await lab('reproduce', 'toy', '--seeds', '2', '--steps', '400', '--plan', '--db', db);
    expect(again.stdout).toMatch(/toy +10 runs, 4000 environment steps; new; time unknown \(no ppo, sac, sac-auto, sac-adaent, td3 run of toy in this store yet; --measure times it here\)/);
    expect(existsSync(db)).toBe(true);
  }, 300_000);
});
