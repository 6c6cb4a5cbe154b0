// `lab export`: long CSV, SB3 monitor.csv + progress.csv (SB3 key names), JSON records, TensorBoard
// event files (read back with tests/main/export/read-tfevents.ts, every CRC checked).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../../src-main/cli/verbs/export.ts';
import { openStore } from '../../../src-main/store/index.ts';
import { captureStdout, seedStore, tempDir } from '../store/helpers.ts';
import { readEventFile } from '../export/read-tfevents.ts';

let t: ReturnType<typeof tempDir>;
let db: string;
let ids: number[];
beforeEach(() => {
  t = tempDir();
  db = join(t.dir, 'lab.db');
  const s = openStore(db);
  ids = seedStore(s, 2);
  s.close();
});
afterEach(() => t.cleanup());

describe('lab export', () => {
  it('writes one long CSV per run', async () => {
    const out = join(t.dir, 'csv');
    await captureStdout(() => run([String(ids[0]), '--format', 'csv', '--out', out, '--db', db]));
    const lines = readFileSync(join(out, `run-${ids[0]}.csv`), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('key,step,wall_time,value');
    expect(lines).toContain('losses/actor_loss,20,2,nan');
    expect(lines).toContain('charts/SPS,10,1,100');
    expect(lines.length).toBe(6);
  });

  it('writes SB3 monitor.csv and progress.csv for every run of an experiment', async () => {
    const out = join(t.dir, 'sb3');
    await captureStdout(() => run(['--experiment', '1', '--format', 'sb3', '--out', out, '--db', db]));
    for (const id of ids) expect(existsSync(join(out, `run-${id}`, 'progress.csv'))).toBe(true);
    const mon = readFileSync(join(out, `run-${ids[0]}`, 'monitor.csv'), 'utf8').trim().split('\n');
    const header = JSON.parse(mon[0]!.slice(1));
    expect(header.env_id).toBe('toy/default');
    expect(typeof header.t_start).toBe('number');
    expect(mon.slice(1)).toEqual(['r,l,t', '1,2,0.1', '-1,2,0.2', '3,8,1.2']);
    const prog = readFileSync(join(out, `run-${ids[0]}`, 'progress.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    const cols = prog[0]!;
    const row = (step: number) => Object.fromEntries(cols.map((c, i) => [c, prog.find((r) => r[0] === String(step))![i]]));
    expect(cols.slice(0, 2)).toEqual(['time/total_timesteps', 'time/time_elapsed']);
    expect(row(10)).toMatchObject({ 'time/fps': '100', 'train/critic_loss': '3', 'rollout/ep_rew_mean': '0', 'rollout/ep_len_mean': '2', 'eval/mean_reward': '' });
    expect(row(20)).toMatchObject({ 'eval/mean_reward': '-1.5', 'train/actor_loss': 'nan', 'time/time_elapsed': '2.5', 'rollout/ep_rew_mean': '1', 'rollout/ep_len_mean': '4' });
  });

  it('writes a TensorBoard event file per run: every metric point a scalar in step order, the config as text', async () => {
    const out = join(t.dir, 'tb');
    const { out: printed } = await captureStdout(() => run(['--experiment', '1', '--format', 'tensorboard', '--out', out, '--db', db]));
    expect(readdirSync(out).sort()).toEqual([`run-${ids[0]}-ppo-toy-default-seed0`, `run-${ids[1]}-sac-toy-default-seed1`]);
    expect(printed.trim().split('\n')).toEqual(readdirSync(out).sort().map((d) => join(out, d)));
    const s = openStore(db);
    const t0 = s.runs.get(ids[1]!)!.createdAt; // never started: the run's creation time
    s.close();
    const dir = join(out, `run-${ids[1]}-sac-toy-default-seed1`);
    const [file, ...others] = readdirSync(dir);
    expect(others).toEqual([]);
    expect(file).toBe(`events.out.tfevents.${Math.floor(t0)}.maxent-lab.${ids[1]}`);
    const events = readEventFile(readFileSync(join(dir, file!)));
    expect(events[0]).toEqual({ wallTime: t0, step: 0, fileVersion: 'brain.Event:2' });
    expect(events[1]!.tag).toBe('run/config');
    expect(events[1]!.text).toMatch(new RegExp(`^run ${ids[1]}: sac on toy/default, seed 1, preset quick, status paused at step 0 of \\d+; backend `));
    expect(events[1]!.text).toContain('        "gamma": 0.99');
    const scalars = events.slice(2).map((e) => [e.step, e.tag, e.value, e.wallTime - t0]);
    expect(scalars).toEqual([
      [10, 'charts/SPS', 100, 1],
      [10, 'losses/qf1_loss', 2, 1],
      [10, 'losses/qf2_loss', 4, 1],
      [20, 'eval/deterministic/return_mean', -1.5, 2.5],
      [20, 'losses/actor_loss', Number.NaN, 2],
    ]);
    expect(events.slice(2).every((e) => e.plugin === 'scalars')).toBe(true);
  });

  it('writes JSON records with configs, and rejects bad input', async () => {
    const out = join(t.dir, 'json');
    await captureStdout(() => run([String(ids[1]), '--format', 'json', '--out', out, '--db', db]));
    const doc = JSON.parse(readFileSync(join(out, 'runs.json'), 'utf8'));
    expect(doc.runs[0].config.algoConfig.gamma).toBe(0.99);
    expect(doc.runs[0].evaluations[0].returns).toEqual([-1, -2]);
    await expect(run(['77', '--format', 'csv', '--out', out, '--db', db])).rejects.toThrow(/^no run with id 77$/);
    await expect(run(['--experiment', '9', '--format', 'csv', '--out', out, '--db', db])).rejects.toThrow(/no experiment with id 9/);
    await expect(run([String(ids[0]), '--format', 'xls', '--out', out, '--db', db])).rejects.toThrow(/--format: 'xls' is not one of csv, sb3, json, tensorboard$/);
    await expect(run([String(ids[0]), '--format', 'csv', '--db', db])).rejects.toThrow(/--out DIR is required/);
  });
});
