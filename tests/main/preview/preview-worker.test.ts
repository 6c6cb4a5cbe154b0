// The preview worker seen from main: a worker that dies or never answers becomes a clear error
// (the API's `unavailable`, naming what happened), a silent worker is killed at the timeout, and
// previews do not pile up processes.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PreviewArgs } from '../../../src-core/contract/methods/scenes.ts';
import type { PreviewJob } from '../../../src-core/contract/worker-protocol.ts';
import { sceneHandlers } from '../../../src-main/api/scenes.ts';
import type { Services } from '../../../src-main/api/services.ts';
import { PreviewWorkerError, workerPreviewRunner } from '../../../src-main/preview/preview-worker.ts';
import { storedPolicies } from '../../../src-main/preview/stored-policy.ts';
import { NodeWorkerHost } from '../../../src-main/runs/host.ts';

const ENTRY = new URL('./fixtures/broken-worker.ts', import.meta.url).pathname;
const JOB: PreviewJob = { checkpointFile: '/nonexistent', runConfig: {}, mode: 'deterministic', seed: 0, label: 'x', request: { envId: 'pendulum', seed: 0 } };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('main loads no tfjs', () => {
  it('importing the scenes handlers and the run manager leaves tfjs unloaded (its engine global absent)', () => {
    const here = (p: string) => new URL(p, import.meta.url).pathname;
    const code = `await import(${JSON.stringify(here('../../../src-main/api/index.ts'))});
      await import(${JSON.stringify(here('../../../src-main/runs/manager.ts'))});
      process.stdout.write(String(globalThis._tfengine === undefined));`;
    const r = spawnSync(process.execPath, ['--no-warnings', '--input-type=module', '-e', code], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('true');
  });
});

describe('preview worker failures', () => {
  it('a worker that dies is reported with its exit and its last stderr line; the API says unavailable', async () => {
    const host = new NodeWorkerHost({ entry: ENTRY, env: { ...process.env, PREVIEW_FIXTURE: 'die' } });
    const runner = workerPreviewRunner({ spawn: () => host.spawn() });
    const err = await runner(JOB).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PreviewWorkerError);
    expect((err as Error).message).toBe('the preview worker exited unexpectedly (exit code 3): fatal: simulated crash while loading the policy');

    const index = { list: () => [{ step: 10, file: '/nonexistent', size: 1 }], config: () => ({ env: { id: 'pendulum' } }) };
    const h = sceneHandlers({} as Services, storedPolicies(index, runner));
    await expect(h['scenes.preview'](PreviewArgs.parse({ envId: 'pendulum', policy: { kind: 'checkpoint', runId: 1, step: 10 } }))).rejects.toMatchObject({
      code: 'unavailable',
      path: 'policy',
      message: expect.stringMatching(/exited unexpectedly \(exit code 3\)/),
    });
  });

  it('a worker that never answers is killed at the timeout', async () => {
    const host = new NodeWorkerHost({ entry: ENTRY, env: { ...process.env, PREVIEW_FIXTURE: 'silent' } });
    let pid = 0;
    const runner = workerPreviewRunner({
      spawn: () => {
        const p = host.spawn();
        pid = p.pid!;
        return p;
      },
      timeoutMs: 700,
    });
    const t0 = Date.now();
    await expect(runner(JOB)).rejects.toThrow('the preview worker did not finish within 0.7 s and was stopped');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(650);
    expect(alive(pid)).toBe(false);
  });

  it('at most maxConcurrent preview workers live at once; the next job starts when one ends', async () => {
    const host = new NodeWorkerHost({ entry: ENTRY, env: { ...process.env, PREVIEW_FIXTURE: 'silent' } });
    const spawnedAt: number[] = [];
    const runner = workerPreviewRunner({ spawn: () => (spawnedAt.push(Date.now()), host.spawn()), timeoutMs: 400, maxConcurrent: 1 });
    const t0 = Date.now();
    const results = await Promise.allSettled([runner(JOB), runner(JOB)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(spawnedAt).toHaveLength(2);
    expect(spawnedAt[1]! - t0).toBeGreaterThanOrEqual(380); // the second waited for the first's timeout
  });
});
