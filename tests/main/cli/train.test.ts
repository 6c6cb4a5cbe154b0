// `lab train` end to end as a user runs it: the run folder, one-line errors with exit code 2,
// Ctrl-C writing a checkpoint and the exact resume command, and --resume finishing the run.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const lab = path.join(root, 'bin/lab.js');
const tmp = mkdtempSync(path.join(tmpdir(), 'lab-train-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
// `lab train` also records the run in the store: keep it in this test's own database.
const env = { ...process.env, LAB_DB: path.join(tmp, 'lab.db') };

const TINY = ['--set', 'hidden=8,8', '--set', 'batchSize=16', '--set', 'evalEpisodes=2', '--set', 'evalInterval=100', '--backend', 'wasm'];

function lab_(args: string[], extraEnv: Record<string, string> = {}) {
  return spawnSync(process.execPath, [lab, ...args], { cwd: root, env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 240_000 });
}

describe('lab train', () => {
  it('writes config.json, metrics.csv and checkpoints into --out', () => {
    const out = path.join(tmp, 'run1');
    const r = lab_(['train', '--env', 'toy', '--algo', 'sac', '--preset', 'quick', '--steps', '200', '--seed', '3', '--out', out, ...TINY]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('200/200 steps');
    // the run is recorded in the store as well as in its folder
    const runs = JSON.parse(lab_(['runs', '--json']).stdout) as { rows: { envId: string; algo: string; seed: number; status: string; backend: string; versions: Record<string, string> }[] };
    const stored = runs.rows.find((row) => row.seed === 3);
    expect(stored).toMatchObject({ envId: 'toy', algo: 'sac', status: 'completed', backend: 'wasm' });
    expect(stored!.versions.backendRequested).toBe('wasm');
    const meta = JSON.parse(readFileSync(path.join(out, 'config.json'), 'utf8'));
    expect(meta.config).toMatchObject({ algo: 'sac', seed: 3, totalSteps: 200, preset: 'custom', env: { id: 'toy' } });
    expect(meta.config.algoConfig.hidden).toEqual([8, 8]);
    expect(meta.backend.backend).toBe('wasm');
    const rows = readFileSync(path.join(out, 'metrics.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('key,step,wall_time,value');
    const evals = rows.filter((l) => l.startsWith('eval/deterministic/return_mean,'));
    expect(evals.map((l) => Number(l.split(',')[1]))).toEqual([0, 100, 200]);
    expect(rows.some((l) => l.startsWith('charts/episodic_return,'))).toBe(true);
    expect(readFileSync(path.join(out, 'checkpoints/LATEST'), 'utf8').trim()).toBe('step-0000000200.ckpt');
    const evalRows = readFileSync(path.join(out, 'evaluations.csv'), 'utf8').trim().split('\n');
    expect(evalRows.length).toBe(1 + 3 * 2 * 2); // header + 3 evaluations (0, 100, 200) x 2 modes x 2 episodes
  }, 240_000);

  it('rejects bad flags and values with one line and exit code 2', () => {
    for (const args of [
      ['train', '--env', 'toy'],
      ['train', '--env', 'toy', '--algo', 'dqn'],
      ['train', '--env', 'mars', '--algo', 'sac'],
      ['train', '--env', 'toy', '--algo', 'sac', '--set', 'bogus=1'],
      ['train', '--env', 'toy', '--algo', 'sac', '--set', 'batchSize=lots'],
      ['train', '--env', 'toy', '--algo', 'sac', '--set', 'autoAlpha=true'],
      ['train', '--env', 'toy', '--algo', 'sac-auto', '--set', 'autoAlpha=false'],
      ['train', '--env', 'toy', '--algo', 'sac', '--steps', '-5'],
      ['train', '--env', 'toy', '--algo', 'sac', '--preset', 'fast'],
      ['train', '--env', 'toy', '--algo', 'sac', '--backend', 'gpu'],
      ['train', '--resume', path.join(tmp, 'nothing-here')],
      ['train', '--env', 'toy', '--algo', 'sac', '--frobnicate'],
    ]) {
      const r = lab_(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(lab_(['train', '--env', 'toy', '--algo', 'sac', '--set', 'bogus=1']).stderr).toMatch(/unknown setting 'bogus'/);
    // webgpu without an adapter (no driver): said, nothing written (a run on an adapter: tests/main/runs/backend.test.ts)
    const noGpu = lab_(['train', '--env', 'toy', '--algo', 'sac', '--backend', 'webgpu'], { VK_ICD_FILENAMES: '/nonexistent/no_icd.json' });
    expect(noGpu.status).toBe(2);
    expect(noGpu.stderr).toMatch(/--backend webgpu: no WebGPU adapter/);
  }, 240_000);

  it('Ctrl-C writes a checkpoint and prints the resume command; --resume continues it', async () => {
    const out = path.join(tmp, 'run2');
    const child = spawn(process.execPath, [lab, 'train', '--env', 'pendulum', '--algo', 'sac', '--preset', 'quick', '--steps', '100000', '--out', out, ...TINY, '--set', 'warmupSteps=50'], { cwd: root, env });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    // interrupt once the checkpoint of the evaluation at 100 exists (the run is well under way; the
    // evaluation at step 0, before training, writes one too)
    const latest = path.join(out, 'checkpoints/LATEST');
    while (!existsSync(latest) || readFileSync(latest, 'utf8').trim() === 'step-0000000000.ckpt') await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(130);
    const m = /resume with: (lab train --resume \S+ --backend wasm)/.exec(stderr);
    expect(m, stderr).not.toBeNull();
    const stoppedAt = Number(/stopped at step (\d+)/.exec(stderr)![1]);
    expect(stoppedAt).toBeGreaterThanOrEqual(100);
    expect(readFileSync(path.join(out, 'checkpoints/LATEST'), 'utf8').trim()).toBe(`step-${String(stoppedAt).padStart(10, '0')}.ckpt`);
    // resume takes everything from the run folder and refuses extra flags...
    expect(lab_(['train', '--resume', out, '--steps', '5']).status).toBe(2);
    // ...and continue the stored run (kill it again right after it resumes, then check the rows)
    const resumed = spawn(process.execPath, [lab, ...m![1]!.split(' ').slice(1)], { cwd: root, env });
    let err2 = '';
    resumed.stderr.on('data', (d) => (err2 += String(d)));
    while (!err2.includes('resuming at step')) await new Promise((r) => setTimeout(r, 100));
    expect(err2).toContain(`resuming at step ${stoppedAt}`);
    resumed.kill('SIGINT');
    expect(await new Promise<number | null>((resolve) => resumed.on('exit', resolve))).toBe(130);
    const steps = readFileSync(path.join(out, 'metrics.csv'), 'utf8').trim().split('\n').slice(1)
      .filter((l) => l.startsWith('eval/deterministic/return_mean,')).map((l) => Number(l.split(',')[1]));
    expect(new Set(steps).size).toBe(steps.length); // no evaluation written twice
  }, 240_000);
});
