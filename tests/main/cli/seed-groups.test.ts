// Seed groups through the `lab` command (issue 12), on the real engine: `lab experiment run
// --seed-batch 2` trains TD3's two seeds in one worker, and every seed's stored run
// (metrics, evaluations, trajectories) equals the same seed run alone (`--seed-batch off`), on
// the same backend. `lab train --seeds` writes one folder and one stored run per seed, equal to
// that seed trained alone (PPO and the SAC family: tests/core/train/group_equivalence.test.ts).
// Bad values are usage errors.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../src-main/store/index.ts';
import { run as train } from '../../../src-main/cli/verbs/train.ts';
import { run as experiment } from '../../../src-main/cli/verbs/experiment.ts';
import { UsageError } from '../../../src-main/cli/errors.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const lab = path.join(root, 'bin/lab.js');
const tmp = mkdtempSync(path.join(tmpdir(), 'lab-groups-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const env = { ...process.env, LAB_DB: path.join(tmp, 'train.db') };

function lab_(args: string[]) {
  return spawnSync(process.execPath, [lab, ...args], { cwd: root, env, encoding: 'utf8', timeout: 240_000 });
}

/** Metric rows without the wall-clock columns (wall time, steps per second), as comparable text. */
function metricsOf(csv: string): string[] {
  return csv.trim().split('\n').slice(1).filter((l) => !l.startsWith('charts/SPS,')).map((l) => {
    const [key, step, , value] = l.split(',');
    return `${key},${step},${value}`;
  });
}

/** Everything stored for each run of a database, keyed by algorithm and seed (wall-clock values left out). */
function storedRuns(db: string): Map<string, { metrics: Record<string, number[]>; evals: unknown[]; trajectories: string[]; versions: Record<string, string> }> {
  const store = openStore(db);
  try {
    const out = new Map();
    for (const id of store.runs.idsOfExperiment(1)) {
      const r = store.runs.get(id)!;
      expect(r.status).toBe('completed');
      const metrics: Record<string, number[]> = {};
      for (const { key } of store.metrics.keys(id)) {
        if (key === 'charts/SPS') continue;
        const s = store.metrics.series(id, key);
        metrics[key] = [...Array.from(s.step), ...Array.from(s.value, (v) => (Number.isNaN(v) ? -0.123456 : v))];
      }
      const evals = store.evaluations.list(id).map((e) => ({ step: e.step, mode: e.mode, returns: e.returns, lengths: e.lengths }));
      out.set(`${r.config.algo}/${r.config.seed}`, { metrics, evals, trajectories: store.trajectories.list(id).map((t) => `${t.step}/${t.mode}/${t.episode}`), versions: r.versions ?? {} });
    }
    return out;
  } finally {
    store.close();
  }
}

describe('seed groups from the lab command', () => {
  it('lab experiment run --seed-batch 2 stores each seed exactly as --seed-batch off does', () => {
    const file = path.join(tmp, 'g.yaml');
    writeFileSync(file, [
      'name: groups',
      'preset: quick',
      'budget: 200',
      'eval: {interval: 100, episodes: 2, modes: [deterministic, stochastic], record_episodes: 1}',
      'seeds: [3, 4]',
      'environments: [{id: toy}]',
      'algorithms:',
      '  - {algo: td3, hyperparameters: {hidden: [8, 8], batchSize: 16, warmupSteps: 100}}',
      '',
    ].join('\n'));
    const dbs = { grouped: path.join(tmp, 'grouped.db'), alone: path.join(tmp, 'alone.db') };
    for (const [name, batch] of [['grouped', '2'], ['alone', 'off']] as const) {
      const r = lab_(['experiment', 'run', file, '--seed-batch', batch, '--concurrency', '1', '--backend', 'wasm', '--db', dbs[name]]);
      expect(r.status, r.stderr).toBe(0);
    }
    const grouped = storedRuns(dbs.grouped);
    const alone = storedRuns(dbs.alone);
    expect([...grouped.keys()].sort()).toEqual(['td3/3', 'td3/4']);
    for (const [k, g] of grouped) {
      const a = alone.get(k)!;
      expect(g.versions.seedGroup, k).toMatch(/^\d+,\d+$/);
      expect(a.versions.seedGroup, k).toBeUndefined();
      expect(Object.keys(g.metrics).sort(), k).toEqual(Object.keys(a.metrics).sort());
      expect(Object.keys(g.metrics).length).toBeGreaterThan(3);
      for (const key of Object.keys(a.metrics)) expect(g.metrics[key], `${k} ${key}`).toEqual(a.metrics[key]);
      expect(g.evals, k).toEqual(a.evals);
      expect(g.trajectories, k).toEqual(a.trajectories);
      expect(g.trajectories.length).toBeGreaterThan(0);
    }
    // the seeds did train differently (a group is not one seed copied)
    expect(grouped.get('td3/3')!.metrics['losses/qf1_loss']).not.toEqual(grouped.get('td3/4')!.metrics['losses/qf1_loss']);
  }, 300_000);

  it('lab train --seeds trains one group: a folder and a stored run per seed, each equal to the seed alone', () => {
    const tiny = ['--env', 'toy', '--algo', 'td3', '--preset', 'quick', '--steps', '200', '--set', 'hidden=8,8', '--set', 'batchSize=16', '--set', 'warmupSteps=50', '--set', 'evalEpisodes=2', '--set', 'evalInterval=100', '--backend', 'wasm'];
    const group = lab_(['train', ...tiny, '--seeds', '5,6', '--out', path.join(tmp, 'group')]);
    expect(group.status, group.stderr).toBe(0);
    expect(group.stderr).toContain('seeds 5, 6 (one seed group)');
    const alone = lab_(['train', ...tiny, '--seed', '6', '--out', path.join(tmp, 'alone6')]);
    expect(alone.status, alone.stderr).toBe(0);
    const g6 = metricsOf(readFileSync(path.join(tmp, 'group/seed-6/metrics.csv'), 'utf8'));
    expect(g6.length).toBeGreaterThan(10);
    expect(g6).toEqual(metricsOf(readFileSync(path.join(tmp, 'alone6/metrics.csv'), 'utf8')));
    expect(metricsOf(readFileSync(path.join(tmp, 'group/seed-5/metrics.csv'), 'utf8'))).not.toEqual(g6);
    const runs = JSON.parse(lab_(['runs', '--json']).stdout) as { rows: { seed: number; status: string; versions: Record<string, string> }[] };
    expect(runs.rows.filter((r) => r.versions.seedGroup === '5,6').map((r) => r.seed).sort()).toEqual([5, 6]);
  }, 300_000);

  it('bad --seeds and --seed-batch values are usage errors (one line, exit code 2) naming the flag', async () => {
    for (const [args, message] of [
      [['--env', 'toy', '--algo', 'td3', '--seeds', '1,1'], /--seeds: '1,1' repeats a seed/],
      [['--env', 'toy', '--algo', 'td3', '--seeds', '1,x'], /--seeds/],
      [['--env', 'toy', '--algo', 'td3', '--seed', '1', '--seeds', '2,3'], /not both/],
    ] as const) {
      await expect(train([...args])).rejects.toThrow(message);
      await expect(train([...args])).rejects.toBeInstanceOf(UsageError);
    }
    const bad = ['run', 'toy.quick', '--seed-batch', 'two', '--db', path.join(tmp, 'x.db')];
    await expect(experiment(bad)).rejects.toThrow(/--seed-batch: 'two' is not auto, off or an integer from 1 to 64/);
    await expect(experiment(bad)).rejects.toBeInstanceOf(UsageError);
  });
});
