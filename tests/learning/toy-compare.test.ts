// The paper's toy result end to end (issue 7), through the store and `lab compare --json`:
// the toy experiment with PPO, SAC (alpha = 1) and SAC-AdaEnt, 5 seeds, quick preset, run by
// `lab experiment run` into a fresh database. Expected: SAC's final deterministic IQM below 0 with
// its 95% interval below 0, PPO's and SAC-AdaEnt's above 0.5, and P(PPO > SAC) above 0.9.
// Slow (15 training runs): `npm run test:learning`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CompareJson } from '../../src-main/cli/verbs/compare.ts';
import { writeToyExperiment } from '../toy-experiment.ts';

const root = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'lab-toy-compare-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function lab(...args: string[]) {
  return spawnSync(process.execPath, ['bin/lab.js', ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
}


describe('toy: MaxEnt misleads, measured with rliable statistics', () => {
  it('SAC (alpha = 1) below 0, PPO and SAC-AdaEnt above 0.5, P(PPO > SAC) > 0.9', () => {
    const spec = writeToyExperiment(dir, { name: 'toy-quick-5-seeds', seeds: 5 });
    const db = join(dir, 'lab.db');
    const run = lab('experiment', 'run', spec, '--db', db, '--concurrency', '2');
    expect(run.status, run.stderr).toBe(0);
    const r = lab('compare', '--experiment', '1', '--json', '--db', db);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as CompareJson;
    process.stdout.write(`${lab('compare', '--experiment', '1', '--db', db).stdout}\n`);
    const by = Object.fromEntries(j.rows.map((x) => [x.group, x]));
    expect(by.sac!.n).toBe(5);
    expect(by.sac!.iqm).toBeLessThan(0);
    expect(by.sac!.iqmUpper).toBeLessThan(0);
    expect(by.ppo!.iqm).toBeGreaterThan(0.5);
    expect(by['sac-adaent']!.iqm).toBeGreaterThan(0.5);
    expect(j.improvement.find((c) => c.x === 'ppo' && c.y === 'sac')!.probability).toBeGreaterThan(0.9);
  });
});
