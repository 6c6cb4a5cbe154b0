// Crash safety with real training (toy, SAC, a few hundred steps; issue 5's two crash tests):
// (1) SIGKILL a worker mid-run, resume: the stream up to the checkpoint is unchanged, no step
//     appears twice, the run completes on one global_step axis;
// (2) SIGKILL the whole `lab experiment run` process with runs in flight, reopen: integrity_check
//     ok, every row committed before the kill is still there, every run resumes to completion.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { resolveRunConfig } from '../../../src-core/train/index.ts';
import { openStore, type Store } from '../../../src-main/store/index.ts';
import { RunManager } from '../../../src-main/runs/manager.ts';
import { NodeWorkerHost } from '../../../src-main/runs/host.ts';
import { tempDir } from '../store/helpers.ts';

const LAB = new URL('../../../bin/lab.js', import.meta.url).pathname;
const TINY = { totalSteps: 200, evalInterval: 50, evalEpisodes: 2, recordEpisodes: 1, batchSize: 32, warmupSteps: 20, hidden: [16, 16] };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let t: ReturnType<typeof tempDir>;
beforeEach(() => (t = tempDir()));
afterEach(() => t.cleanup());

function series(store: Store, id: number): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  for (const { key } of store.metrics.keys(id)) {
    const s = store.metrics.series(id, key);
    out.set(key, Array.from(s.step, (step, i) => [step, s.value[i]!]));
  }
  return out;
}

function assertNoDuplicates(db: Database.Database): void {
  const dup = db.prepare('SELECT count(*) FROM (SELECT run_id, key_id, step, count(*) c FROM metrics GROUP BY 1, 2, 3 HAVING c > 1)').pluck().get();
  expect(dup).toBe(0);
  const dupEval = db.prepare('SELECT count(*) FROM (SELECT run_id, step, mode, count(*) c FROM evaluations GROUP BY 1, 2, 3 HAVING c > 1)').pluck().get();
  expect(dupEval).toBe(0);
}

describe('crash safety (real training)', () => {
  it('a SIGKILLed worker leaves an interrupted run that resumes to completion without duplicates', async () => {
    const store = openStore(join(t.dir, 'lab.db'));
    const manager = new RunManager({ store, host: new NodeWorkerHost(), concurrency: 1 });
    try {
      // 400-step evaluation intervals: the worker's 250 ms batches (at most ~150 steps each on a fast
      // machine) always land mid-interval at least once, however fast training is
      const total = 1200;
      const every = 400;
      const id = store.runs.insert(resolveRunConfig({ env: 'toy', algo: 'sac', preset: 'quick', seed: 3, overrides: { ...TINY, totalSteps: total, evalInterval: every } }));
      manager.enqueue([id]);
      // wait for a checkpoint and stored metrics past it (checked synchronously right before the
      // kill, after applying every queued report: the manager runs on this same event loop)
      // (the engine sends metric batches at evaluations, training episodes as they end: the rows
      // past the checkpoint are episodes)
      const pastCheckpoint = () => {
        manager.flushWrites();
        const cp = store.checkpoints.latest(id)?.step ?? 0;
        const last = store.episodes.list(id).at(-1)?.step ?? 0;
        return cp >= every && cp < total && last > cp + 2 && last < cp + every - 10; // mid-interval: the next checkpoint is 10+ steps away
      };
      while (!pastCheckpoint()) {
        if (store.runs.get(id)!.status === 'completed') throw new Error('the run completed before it was seen mid-interval past a checkpoint');
        await sleep(10);
      }
      process.kill(manager['active'].get(id)!.slot.proc.pid!, 'SIGKILL');
      await manager.waitIdle();
      const run = store.runs.get(id)!;
      expect(run.status).toBe('interrupted');
      expect(run.reason).toMatch(/SIGKILL/);
      const cp = store.checkpoints.latest(id)!.step;
      const before = series(store, id);
      const episodesBefore = store.episodes.list(id);
      expect(episodesBefore.some((e) => e.step > cp)).toBe(true); // rows after the checkpoint exist: resume must replace them

      manager.resume(id);
      await manager.waitIdle();
      const done = store.runs.get(id)!;
      expect(done.status).toBe('completed');
      expect(done.globalStep).toBe(total);
      const after = series(store, id);
      for (const [key, pts] of before) {
        const upTo = (p: [number, number][]) => p.filter(([s]) => s <= cp);
        expect(upTo(after.get(key)!), key).toEqual(upTo(pts)); // unchanged up to the checkpoint
      }
      const upToCp = <T extends { step: number }>(l: T[]) => l.filter((e) => e.step <= cp);
      const episodesAfter = store.episodes.list(id);
      expect(upToCp(episodesAfter)).toEqual(upToCp(episodesBefore));
      expect(episodesAfter.length).toBe(total / 2);
      expect(new Set(episodesAfter.map((e) => e.step)).size).toBe(total / 2);
      const ret = after.get('charts/episodic_return')!;
      expect(ret.length).toBe(total / 2); // toy episodes last 2 steps: one return per 2 steps, none twice
      expect(new Set(ret.map(([s]) => s)).size).toBe(ret.length);
      expect(store.evaluations.list(id, 'deterministic').map((e) => e.step)).toEqual([0, 400, 800, 1200]); // 0: before training
      assertNoDuplicates(store.db);
    } finally {
      await manager.shutdown('kill');
      store.close();
    }
  });

  it('SIGKILL of `lab experiment run` keeps committed rows; every run resumes to completion', async () => {
    const db = join(t.dir, 'lab.db');
    const spec = join(t.dir, 'exp.yaml');
    // long enough (a few seconds per run) that both runs are seen in flight past a checkpoint before
    // they finish, however fast the machine: 200 steps took under a second once updates got faster
    const budget = 1000;
    writeFileSync(
      spec,
      `name: crash
preset: quick
budget: ${budget}
eval: {interval: ${TINY.evalInterval}, episodes: 2, record_episodes: 1}
seeds: [0, 1]
environments: [{id: toy}]
algorithms:
  - algo: sac
    hyperparameters: {batch_size: 32, learning_starts: 20, policy_kwargs: {net_arch: [16, 16]}}
`,
    );
    const child = spawn(process.execPath, [LAB, 'experiment', 'run', spec, '--db', db, '--concurrency', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise((r) => child.once('close', r));
    // watch from a second connection until both runs are in flight past a checkpoint
    const reader = () => new Database(db, { readonly: true, fileMustExist: true });
    let snapshot: unknown[] = [];
    for (;;) {
      await sleep(100);
      try {
        const r = reader();
        const ready = r.prepare("SELECT count(*) FROM runs WHERE status = 'running' AND id IN (SELECT run_id FROM checkpoints)").pluck().get() as number;
        if (ready === 2) {
          snapshot = r.prepare('SELECT run_id, key_id, step, wall_time, value FROM metrics ORDER BY 1, 2, 3').raw().all();
          r.close();
          break;
        }
        r.close();
      } catch {
        // not created yet
      }
      if (child.exitCode !== null) throw new Error(`lab experiment run ended early: ${stderr}`);
    }
    child.kill('SIGKILL');
    await exited;
    await sleep(500); // the orphaned workers exit on their own when the IPC channel closes

    const store = openStore(db);
    const manager = new RunManager({ store, host: new NodeWorkerHost(), concurrency: 2 });
    try {
      expect(store.integrityCheck()).toBe('ok');
      const ids = store.runs.idsOfExperiment(1);
      expect(ids.length).toBe(2);
      expect(manager.recovered.sort()).toEqual(ids); // left running by a dead process -> interrupted
      for (const id of ids) expect(store.runs.get(id)!.reason).toMatch(/stopped unexpectedly/);
      const now = store.db.prepare('SELECT run_id, key_id, step, wall_time, value FROM metrics ORDER BY 1, 2, 3').raw().all();
      const have = new Set(now.map((r) => JSON.stringify(r)));
      expect(snapshot.length).toBeGreaterThan(0);
      expect(snapshot.every((r) => have.has(JSON.stringify(r)))).toBe(true); // every committed row survived

      manager.enqueue(ids);
      await manager.waitIdle();
      for (const id of ids) {
        const r = store.runs.get(id)!;
        expect(r.status, r.reason ?? '').toBe('completed');
        expect(store.metrics.series(id, 'charts/episodic_return').count).toBe(budget / 2);
        expect(store.evaluations.list(id, 'stochastic').map((e) => e.step)).toEqual(Array.from({ length: budget / TINY.evalInterval + 1 }, (_, i) => i * TINY.evalInterval)); // from step 0
      }
      assertNoDuplicates(store.db);
    } finally {
      await manager.shutdown('kill');
      store.close();
    }
  });
});
