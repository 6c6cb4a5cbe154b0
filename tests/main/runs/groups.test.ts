// Seed groups in the run manager (issue 12), with the shipped worker loop around fake trainers:
// runs that differ only in seed share one worker up to the limit, each still its own run with its
// own rows; a killed group worker interrupts every member and resuming regroups them from their
// checkpoints; one member can be cancelled while the others finish; a pause stops the group.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openStore, type Store } from '../../../src-main/store/index.ts';
import { RunManager } from '../../../src-main/runs/manager.ts';
import { NodeWorkerHost } from '../../../src-main/runs/host.ts';
import { groupKey, parseSeedBatch, seedBatchLimit } from '../../../src-main/runs/grouping.ts';
import { tempDir, runConfig } from '../store/helpers.ts';
import { fakeValue } from './fixtures/fake-trainer.ts';

const ENTRY = new URL('./fixtures/fake-worker.ts', import.meta.url).pathname;
let t: ReturnType<typeof tempDir>;
let store: Store;
let manager: RunManager | undefined;

function makeManager(env: Record<string, string>, extra: Partial<ConstructorParameters<typeof RunManager>[0]>) {
  manager = new RunManager({ store, host: new NodeWorkerHost({ entry: ENTRY, env: { ...process.env, ...env } }), concurrency: 2, summaryMs: 50, ...extra });
  return manager;
}

/** The log line that says which other runs shared this run's worker (absent: trained alone). */
function groupLog(runId: number): string | undefined {
  return store.logs.tail(runId, 100).map((l) => l.message).find((m) => m.startsWith('trained in one worker with'));
}

function expectSeries(runId: number, seed: number, total: number): void {
  const s = store.metrics.series(runId, 'charts/fake');
  expect(Array.from(s.step)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  for (let i = 0; i < total; i++) expect(s.value[i]).toBe(fakeValue(seed, i + 1));
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

describe('seed groups', () => {
  it('groups runs identical but for seed, up to the limit; each member is its own run with its own rows', async () => {
    const m = makeManager({}, { seedBatch: 3 });
    const ids = [0, 1, 2, 3, 4].map((seed) => store.runs.insert(runConfig({ seed, totalSteps: 300, evalInterval: 100 })));
    const other = store.runs.insert(runConfig({ seed: 0, totalSteps: 200, evalInterval: 100 })); // another budget: never grouped with them
    m.enqueue([...ids, other]);
    // 2 workers (the concurrency): seeds 0-2 together, seeds 3-4 together; the other run waits
    expect(m.activeIds().sort()).toEqual(ids.slice().sort());
    await m.waitIdle();
    for (const [seed, id] of ids.entries()) {
      const r = store.runs.get(id)!;
      expect(r.status).toBe('completed');
      expect(r.globalStep).toBe(300);
      expectSeries(id, seed, 300);
      expect(store.episodes.count(id)).toBe(30);
      expect(store.evaluations.list(id).map((e) => e.step)).toEqual([100, 200, 300]);
      expect(store.checkpoints.list(id).map((c) => c.step)).toEqual([100, 200, 300]);
      expect(r.lastEval.deterministic).toBeCloseTo((fakeValue(seed, 300) + 1) / 2, 12);
    }
    expect(store.runs.get(ids[0]!)!.versions!.seedGroup).toBe(ids.slice(0, 3).join(','));
    expect(groupLog(ids[0]!)).toMatch(new RegExp(`runs ${ids[1]}, ${ids[2]} \\(a seed group of 3`));
    expect(groupLog(ids[4]!)).toMatch(new RegExp(`run ${ids[3]} \\(a seed group of 2`));
    expect(groupLog(other)).toBeUndefined();
    expect(store.runs.get(other)!.status).toBe('completed');
  });

  it('a killed group worker interrupts every member; resuming regroups them and continues each from its checkpoint', async () => {
    const m = makeManager({ FAKE_STEP_MS: '3' }, { seedBatch: 3 });
    const ids = [0, 1, 2].map((seed) => store.runs.insert(runConfig({ seed, totalSteps: 600, evalInterval: 150 })));
    m.enqueue(ids);
    const pastCheckpoint = () => {
      m.flushWrites();
      return ids.every((id) => (store.checkpoints.latest(id)?.step ?? 0) >= 150 && store.metrics.series(id, 'charts/fake').count > 160);
    };
    while (!pastCheckpoint()) await new Promise((r) => setTimeout(r, 5));
    const pid = m['active'].get(ids[0]!)!.slot.proc.pid!;
    expect(ids.map((id) => m['active'].get(id)!.slot.proc.pid)).toEqual([pid, pid, pid]);
    process.kill(pid, 'SIGKILL');
    await m.waitIdle();
    for (const id of ids) {
      const r = store.runs.get(id)!;
      expect(r.status).toBe('interrupted');
      expect(r.reason).toMatch(/SIGKILL/);
      expect(r.reason).toContain(`seed group's worker: runs ${ids.join(', ')}`);
    }
    m.enqueue(ids); // lab runs resume --all-interrupted
    expect(new Set(ids.map((id) => m['active'].get(id)!.slot.proc.pid)).size).toBe(1);
    await m.waitIdle();
    for (const [seed, id] of ids.entries()) {
      expect(store.runs.get(id)!.status).toBe('completed');
      expectSeries(id, seed, 600); // rows after the checkpoint were replaced, nothing duplicated
      expect(store.evaluations.list(id).map((e) => e.step)).toEqual([150, 300, 450, 600]);
      expect(store.logs.tail(id, 100).some((l) => /resuming from the checkpoint at step \d+/.test(l.message))).toBe(true);
    }
  });

  it('cancels one member while the rest of its group finishes; a pause stops the whole group', async () => {
    const m = makeManager({ FAKE_STEP_MS: '2' }, { seedBatch: 3 });
    const ids = [0, 1, 2].map((seed) => store.runs.insert(runConfig({ seed, totalSteps: 500, evalInterval: 100 })));
    m.enqueue(ids);
    while (store.metrics.series(ids[1]!, 'charts/fake').count < 40) await new Promise((r) => setTimeout(r, 10));
    await m.cancel(ids[1]!);
    const cancelled = store.runs.get(ids[1]!)!;
    expect(cancelled.status).toBe('cancelled');
    expect(m.activeIds().sort()).toEqual([ids[0]!, ids[2]!].sort());
    const cancelledSteps = store.metrics.series(ids[1]!, 'charts/fake').count;
    while (store.metrics.series(ids[0]!, 'charts/fake').count < cancelledSteps + 60) await new Promise((r) => setTimeout(r, 10));
    await m.pause(ids[2]!);
    for (const id of [ids[0]!, ids[2]!]) {
      const r = store.runs.get(id)!;
      expect(r.status).toBe('paused');
      expect(store.checkpoints.latest(id)!.step).toBe(r.globalStep); // each member's pause checkpoint
    }
    // nothing recorded for the cancelled run after its cancel
    expect(store.metrics.series(ids[1]!, 'charts/fake').count).toBe(cancelledSteps);
    expect(store.runs.get(ids[1]!)!.status).toBe('cancelled');
    m.enqueue([ids[0]!, ids[2]!]);
    await m.waitIdle();
    expectSeries(ids[0]!, 0, 500);
    expectSeries(ids[2]!, 2, 500);
    expect(store.metrics.series(ids[1]!, 'charts/fake').count).toBe(cancelledSteps);
  });

  it('groups only runs equal but for seed that start from the same step; limit from the override, the run, or auto', () => {
    const a = runConfig({ seed: 0 });
    expect(groupKey(a, -1)).toBe(groupKey(runConfig({ seed: 5 }), -1));
    expect(groupKey(a, -1)).not.toBe(groupKey(runConfig({ seed: 5 }), 100));
    expect(groupKey(a, -1)).not.toBe(groupKey(runConfig({ seed: 5, algoConfig: { gamma: 0.98, learning_rate: 0.001 } }), -1));
    expect(groupKey(a, -1)).not.toBe(groupKey({ ...runConfig({ seed: 5 }), backend: 'cpu' }, -1));
    expect(seedBatchLimit(a, 4, 1)).toBe(4);
    expect(seedBatchLimit(a, 'off', 1)).toBe(1);
    expect(seedBatchLimit({ ...a, seedBatch: 3 } as never, undefined, 1)).toBe(3);
    expect(seedBatchLimit({ ...a, seedBatch: 3 } as never, 'off', 1)).toBe(1);
    expect(parseSeedBatch('5')).toBe(5);
    expect(parseSeedBatch('off')).toBe('off');
    expect(() => parseSeedBatch('0')).toThrow(/not auto, off or an integer from 1 to 64/);
    expect(() => parseSeedBatch('two')).toThrow(/'two' is not auto, off/);
  });
});
