// The run manager with the shipped worker loop around a fake trainer: queue and concurrency,
// pause/resume on one step axis, cancel, delete, worker death, protocol errors and ready timeouts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, type Store } from '../../../src-main/store/index.ts';
import { RunManager } from '../../../src-main/runs/manager.ts';
import { NodeWorkerHost } from '../../../src-main/runs/host.ts';
import type { RunStatusEvent } from '../../../src-main/runs/events.ts';
import { tempDir, runConfig } from '../store/helpers.ts';
import { fakeValue } from './fixtures/fake-trainer.ts';

const ENTRY = new URL('./fixtures/fake-worker.ts', import.meta.url).pathname;
let t: ReturnType<typeof tempDir>;
let store: Store;
let manager: RunManager | undefined;

function makeManager(env: Record<string, string> = {}, extra: Partial<ConstructorParameters<typeof RunManager>[0]> = {}) {
  manager = new RunManager({ store, host: new NodeWorkerHost({ entry: ENTRY, env: { ...process.env, ...env } }), concurrency: 2, summaryMs: 50, ...extra });
  return manager;
}

function waitStatus(m: RunManager, runId: number, status: string): Promise<RunStatusEvent> {
  return new Promise((resolve) => {
    const l = (e: RunStatusEvent) => {
      if (e.runId === runId && e.status === status) {
        m.off('status', l);
        resolve(e);
      }
    };
    m.on('status', l);
  });
}

function steps(runId: number, key = 'charts/fake'): number[] {
  return Array.from(store.metrics.series(runId, key).step);
}

beforeEach(() => {
  t = tempDir();
  store = openStore(join(t.dir, 'lab.db'));
});
afterEach(async () => {
  await manager?.shutdown('kill');
  manager = undefined;
  store.close();
  t.cleanup();
});

describe('RunManager', () => {
  it('runs a queue two at a time and stores every message', async () => {
    const m = makeManager();
    const ids = [0, 1, 2].map((seed) => store.runs.insert(runConfig({ seed, totalSteps: 300, evalInterval: 100 })));
    let maxActive = 0;
    const summaries: number[] = [];
    m.on('status', () => (maxActive = Math.max(maxActive, m.activeIds().length)));
    m.on('metrics', (e) => summaries.push(e.runId));
    m.enqueue(ids);
    expect(m.activeIds().length).toBe(2);
    await m.waitIdle();
    expect(maxActive).toBe(2);
    for (const [i, id] of ids.entries()) {
      const r = store.runs.get(id)!;
      expect(r.status).toBe('completed');
      expect(r.globalStep).toBe(300);
      expect(r.backend).toBe('fake');
      const s = store.metrics.series(id, 'charts/fake');
      expect(s.count).toBe(300);
      expect(s.value[41]).toBe(fakeValue(i, 42));
      expect(Number.isNaN(store.metrics.series(id, 'losses/nan_sometimes').value[1])).toBe(true);
      expect(store.episodes.count(id)).toBe(30);
      expect(store.evaluations.list(id).map((e) => e.step)).toEqual([100, 200, 300]);
      expect(store.checkpoints.list(id).map((c) => c.step)).toEqual([100, 200, 300]);
      expect(r.lastEval.deterministic).toBeCloseTo((fakeValue(i, 300) + 1) / 2, 12);
    }
    expect(summaries.length).toBeGreaterThan(0);
  });

  it('pauses (checkpoint, exit) and resumes on the same step axis with nothing duplicated', async () => {
    const m = makeManager({ FAKE_STEP_MS: '2' });
    const id = store.runs.insert(runConfig({ totalSteps: 400, evalInterval: 100 }));
    m.enqueue([id]);
    while (store.metrics.series(id, 'charts/fake').count < 50) await new Promise((r) => setTimeout(r, 20));
    await m.pause(id);
    const paused = store.runs.get(id)!;
    expect(paused.status).toBe('paused');
    expect(paused.globalStep).toBeGreaterThan(0);
    expect(paused.globalStep).toBeLessThan(400);
    const cp = store.checkpoints.latest(id)!;
    expect(cp.step).toBe(paused.globalStep); // the pause checkpoint
    m.resume(id);
    await m.waitIdle();
    expect(store.runs.get(id)!.status).toBe('completed');
    expect(steps(id)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
  });

  it('marks a killed worker interrupted with the reason; resume replaces rows after the checkpoint', async () => {
    const m = makeManager({ FAKE_STEP_MS: '4' });
    const id = store.runs.insert(runConfig({ totalSteps: 800, evalInterval: 200 }));
    m.enqueue([id]);
    // kill mid-interval, with rows past the newest checkpoint stored (checked right before the kill,
    // after applying every queued report; the next checkpoint is dozens of steps away)
    const midInterval = () => {
      m.flushWrites();
      const cp = store.checkpoints.latest(id)?.step ?? 0;
      const n = store.metrics.series(id, 'charts/fake').count;
      return cp >= 200 && n > cp + 10 && n < cp + 150;
    };
    while (!midInterval()) await new Promise((r) => setTimeout(r, 5));
    const interrupted = waitStatus(m, id, 'interrupted');
    process.kill(m['active'].get(id)!.slot.proc.pid!, 'SIGKILL');
    const ev = await interrupted;
    expect(ev.reason).toMatch(/SIGKILL/);
    const cp = store.checkpoints.latest(id)!.step;
    const before = store.metrics.series(id, 'charts/fake');
    expect(before.count).toBeGreaterThan(cp); // rows after the checkpoint exist and will be replaced
    const upToCp = Array.from(before.value.subarray(0, cp));
    m.resume(id);
    await m.waitIdle();
    const after = store.metrics.series(id, 'charts/fake');
    expect(store.runs.get(id)!.status).toBe('completed');
    expect(Array.from(after.value.subarray(0, cp))).toEqual(upToCp);
    expect(Array.from(after.step)).toEqual(Array.from({ length: 800 }, (_, i) => i + 1));
    expect(store.evaluations.list(id).map((e) => e.step)).toEqual([200, 400, 600, 800]);
  });

  it('keeps the newest checkpoint files and about ten milestones', async () => {
    const m = makeManager();
    const id = store.runs.insert(runConfig({ totalSteps: 1000, evalInterval: 50 }));
    m.enqueue([id]);
    await m.waitIdle();
    const steps = store.checkpoints.list(id).map((c) => c.step);
    expect(steps).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 950, 1000]);
    const files = readdirSync(join(`${store.path}.checkpoints`, `run-${id}`)).sort();
    expect(files).toEqual(steps.map((s) => `step-${String(s).padStart(10, '0')}.ckpt`));
  });

  it('cancels, and deletes a run with its checkpoint files', async () => {
    const m = makeManager({ FAKE_STEP_MS: '2' });
    const id = store.runs.insert(runConfig({ totalSteps: 5000, evalInterval: 50 }));
    m.enqueue([id]);
    while (!store.checkpoints.latest(id)) await new Promise((r) => setTimeout(r, 20));
    await m.cancel(id);
    expect(store.runs.get(id)!.status).toBe('cancelled');
    const dir = join(`${store.path}.checkpoints`, `run-${id}`);
    expect(readdirSync(dir).length).toBeGreaterThan(0);
    expect(() => m.enqueue([id])).toThrow(/cancelled/);
    await m.delete(id);
    expect(existsSync(dir)).toBe(false);
    expect(store.runs.get(id)).toBeUndefined();
    await expect(m.delete(id)).rejects.toThrow(/no run with id/);
  });

  it('kills a worker that breaks the protocol and one that never becomes ready', async () => {
    const m = makeManager({ FAKE_MODE: 'garbage' });
    const id = store.runs.insert(runConfig({ totalSteps: 100 }));
    m.enqueue([id]);
    await m.waitIdle();
    const r = store.runs.get(id)!;
    expect(r.status).toBe('interrupted');
    expect(r.reason).toMatch(/protocol error.*metric columns/);

    const m2 = makeManager({ FAKE_MODE: 'silent' }, { readyTimeoutMs: 300 });
    const id2 = store.runs.insert(runConfig({ totalSteps: 100 }));
    m2.enqueue([id2]);
    const pausing = m2.pause(id2); // a pending request fails when the worker exits
    await m2.waitIdle();
    await pausing;
    const r2 = store.runs.get(id2)!;
    expect(r2.status).toBe('failed');
    expect(r2.reason).toMatch(/did not become ready within 0.3 s/);
  });

  it('fails pending requests when the worker exits before answering', async () => {
    const m = makeManager({ FAKE_MODE: 'mute' }, { readyTimeoutMs: 500 });
    const id = store.runs.insert(runConfig({ totalSteps: 100 }));
    m.enqueue([id]);
    const active = m['active'].get(id)!;
    const pending = m['request'](active.slot, { type: 'pause' });
    await expect(pending).rejects.toThrow(new RegExp(`the worker of run ${id} exited \\(signal SIGKILL\\) before answering 'pause'`));
    await m.waitIdle();
    expect(store.runs.get(id)!.status).toBe('failed');
  });
});
