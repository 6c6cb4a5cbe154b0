// `npm run bench -- store [--quick]`: the run store's speed (medians of repetitions).
// 1. metric ingest through MetricsRepo.append (one transaction per 1,000- and per 10,000-point batch,
//    10 keys interleaved as the training loop reports them): rows/s; target >= 200,000;
// 2. one key over 100 runs x 100,000 steps, down-sampled to 1,000 points per run: ms; target < 100;
// 3. the runs table over 10,000 runs with a filter (env + algo, first page of 100; and a
//    config.key = value filter): ms; target < 50;
// 4. main-process CPU while 4 runs stream metrics (RunManager + real worker processes around a
//    synthetic trainer, ~3 metric points per step plus episodes and evaluations, at up to 1,000
//    and at 100 steps/s per run; real toy SAC trains at ~30-200 steps/s here): % of one core; target < 5;
// 5. database size per million metric rows (rows, min/max tiles and indexes; after a WAL checkpoint).
// --quick shrinks 2 to 20 runs (for a fast look; the table says so).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../src-main/store/index.ts';
import { RunManager } from '../src-main/runs/manager.ts';
import { NodeWorkerHost } from '../src-main/runs/host.ts';
import type { RunConfig } from '../src-core/train/types.ts';
import { medianOf as median } from '../src-core/stats/estimators.ts';

const quick = process.argv.includes('--quick');
const dir = mkdtempSync(join(tmpdir(), 'lab-bench-store-'));
/** Wall and CPU milliseconds of f (CPU time: this process's user + system time, less sensitive to
 * other processes competing for the cores than wall time). */
function timed(f: () => void): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  f();
  const c = process.cpuUsage(c0);
  return { wall: performance.now() - t0, cpu: (c.user + c.system) / 1000 };
}
const rows: [string, string, string, string, string][] = [];
/** ok on wall time; 'ok (CPU time)' when only the CPU time meets the target (the cores were busy with other work). */
const verdict = (wall: boolean, cpu: boolean) => (wall ? 'ok' : cpu ? 'ok on CPU time only' : 'MISSED');

function config(i: number): RunConfig {
  const envs = ['toy', 'vehicle', 'quadrotor', 'acrobot', 'obstacle2d'];
  const algos = ['sac', 'sac-auto', 'sac-adaent', 'ppo', 'td3'] as const;
  return {
    env: { id: envs[i % 5]!, variant: 'default', params: { a: 1, b: 2, c: 3 } },
    algo: algos[Math.floor(i / 5) % 5]!,
    preset: 'paper',
    seed: i % 10,
    totalSteps: 100_000,
    evalInterval: 1000,
    evalEpisodes: 10,
    evalModes: ['deterministic', 'stochastic'],
    recordEpisodes: 2,
    evalSeed: 20250605,
    algoConfig: { hidden: [256, 256], actorLr: 1e-3, criticLr: 1e-3, alpha: 0.2, gamma: i % 3 === 0 ? 0.95 : 0.99, tau: 0.005, batchSize: 256, bufferSize: 1_000_000, warmupSteps: 10_000 },
  };
}

/** Rows/s (wall and CPU time) of MetricsRepo.append, one transaction per batch of `batchRows`. */
function ingestRate(store: Store, keys: string[], N: number, stepsPerBatch: number): { wall: number; cpu: number } {
  const rates: number[] = [];
  const cpuRates: number[] = [];
  for (let rep = 0; rep < 5; rep++) {
    const id = store.runs.insert(config(rep));
    // the batches are built first: the timing covers the repository layer only
    const batches: { key: string; step: number; wallTime: number; value: number }[][] = [];
    for (let step = 0, n = 0; n < N; n += stepsPerBatch * keys.length) {
      const batch = [];
      for (let b = 0; b < stepsPerBatch; b++, step++) for (const key of keys) batch.push({ key, step, wallTime: step / 1000, value: Math.sin(step * 0.01 + key.length) });
      batches.push(batch);
    }
    const t = timed(() => {
      for (const batch of batches) store.metrics.append(id, batch);
    });
    rates.push(N / (t.wall / 1000));
    cpuRates.push(N / (t.cpu / 1000));
  }
  return { wall: median(rates), cpu: median(cpuRates) };
}

function ingest(store: Store): void {
  const KEYS = Array.from({ length: 10 }, (_, k) => `losses/key_${k}`);
  const N = 1_000_000;
  const small = ingestRate(store, KEYS, N, 100); // 1,000-row transactions
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  const size = statSync(store.path).size;
  const total = store.db.prepare('SELECT count(*) FROM metrics').pluck().get() as number;
  rows.push(['database size per million metric rows', `${((size / total) * 1e6 / 2 ** 20).toFixed(1)} MiB`, '', '-', `${total.toLocaleString('en')} rows, ${(size / 2 ** 20).toFixed(0)} MiB file`]);
  const large = ingestRate(store, KEYS, N, 1000); // 10,000-row transactions
  // Reference for the machine's state at this moment: bare better-sqlite3 inserts into a table of
  // the same shape, no repository logic (no tiles, no series bookkeeping), 1,000-row transactions.
  store.db.exec('CREATE TABLE bench_raw (run_id INTEGER NOT NULL, key_id INTEGER NOT NULL, step INTEGER NOT NULL, wall_time REAL NOT NULL, value REAL, PRIMARY KEY (run_id, key_id, step)) STRICT, WITHOUT ROWID');
  const raw = store.db.prepare('INSERT INTO bench_raw VALUES (?, ?, ?, ?, ?)');
  const rawTx = store.db.transaction((rep: number, start: number) => {
    for (let i = start; i < start + 1000; i++) raw.run(rep, i % 10, Math.floor(i / 10), i / 1000, Math.sin(i));
  });
  const rawRates: number[] = [];
  const rawCpu: number[] = [];
  for (let rep = 0; rep < 5; rep++) {
    const t = timed(() => {
      for (let s = 0; s < N; s += 1000) rawTx(rep, s);
    });
    rawRates.push(N / (t.wall / 1000));
    rawCpu.push(N / (t.cpu / 1000));
  }
  store.db.exec('DROP TABLE bench_raw');
  const fmt = (x: number) => Math.round(x).toLocaleString('en');
  rows.push(['reference: bare better-sqlite3 INSERT, same table shape, 1k-row tx', `${fmt(median(rawRates))} rows/s`, `${fmt(median(rawCpu))} rows/CPU-s`, '-', 'the machine at this moment']);
  const pct = Math.round((100 * small.cpu) / median(rawCpu)); // CPU time: both measured under the same conditions
  rows.push(['metric ingest (MetricsRepo.append, 1k-row transactions)', `${fmt(small.wall)} rows/s`, `${fmt(small.cpu)} rows/CPU-s`, '>= 200,000 rows/s', `${verdict(small.wall >= 200_000, small.cpu >= 200_000)}; ${pct}% of the bare rate (CPU time)`]);
  rows.push(['metric ingest (10k-row transactions, as the manager\'s 250 ms group commit)', `${fmt(large.wall)} rows/s`, `${fmt(large.cpu)} rows/CPU-s`, '>= 200,000 rows/s', verdict(large.wall >= 200_000, large.cpu >= 200_000)]);
}

function downsample(store: Store): void {
  const R = quick ? 20 : 100;
  const S = 100_000;
  const ids: number[] = [];
  const t0 = performance.now();
  for (let r = 0; r < R; r++) {
    const id = store.runs.insert(config(r));
    ids.push(id);
    const batch = [];
    for (let s = 0; s < S; s++) {
      batch.push({ key: 'eval/deterministic/return_mean', step: s, wallTime: s / 100, value: Math.sin(s / 500 + r) * 100 + ((s * 7919) % 13) });
      if (batch.length === 5000) {
        store.metrics.append(id, batch);
        batch.length = 0;
      }
    }
  }
  process.stderr.write(`  (wrote ${R} x ${S} points in ${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
  const walls: number[] = [];
  const cpus: number[] = [];
  let points = 0;
  for (let rep = 0; rep < 7; rep++) {
    const t = timed(() => {
      const m = store.seriesFor(ids, ['eval/deterministic/return_mean'], 1000);
      points = [...m.values()].reduce((a, byKey) => a + byKey.get('eval/deterministic/return_mean')!.step.length, 0);
    });
    walls.push(t.wall);
    cpus.push(t.cpu);
  }
  rows.push([`one key, ${R} runs x 100k steps -> <= 1,000 points/run${quick ? ' (--quick)' : ''}`, `${median(walls).toFixed(1)} ms`, `${median(cpus).toFixed(1)} ms`, '< 100 ms', `${verdict(median(walls) < 100, median(cpus) < 100)}; ${points.toLocaleString('en')} points returned`]);
}

function runsTable(store: Store): void {
  store.tx(() => {
    for (let i = 0; i < 10_000; i++) store.runs.insert(config(i), { tags: i % 7 === 0 ? ['paper'] : [] });
  });
  const total = store.runs.list({ limit: 1 }).total;
  const time = (f: () => unknown) => {
    const walls: number[] = [];
    const cpus: number[] = [];
    for (let rep = 0; rep < 21; rep++) {
      const t = timed(() => void f());
      walls.push(t.wall);
      cpus.push(t.cpu);
    }
    return { wall: median(walls), cpu: median(cpus) };
  };
  let hits = 0;
  const a = time(() => (hits = store.runs.list({ env: 'vehicle', algo: 'sac', sort: 'created', desc: true, limit: 100 }).total));
  rows.push([`runs table, ${total.toLocaleString('en')} runs, env+algo filter, page of 100`, `${a.wall.toFixed(2)} ms`, `${a.cpu.toFixed(2)} ms`, '< 50 ms', `${verdict(a.wall < 50, a.cpu < 50)}; ${hits} matches`]);
  const b = time(() => (hits = store.runs.list({ config: [{ path: 'algoConfig.gamma', value: 0.95 }], tag: 'paper', limit: 100 }).total));
  rows.push(['runs table, config.algoConfig.gamma = 0.95 and tag filter, page of 100', `${b.wall.toFixed(2)} ms`, `${b.cpu.toFixed(2)} ms`, '< 50 ms', `${verdict(b.wall < 50, b.cpu < 50)}; ${hits} matches`]);
}

async function streaming(stepMs: number, what: string): Promise<void> {
  const store = openStore(join(dir, `stream-${stepMs}.db`));
  const entry = new URL('../tests/main/runs/fixtures/fake-worker.ts', import.meta.url).pathname;
  const manager = new RunManager({ store, host: new NodeWorkerHost({ entry, env: { ...process.env, FAKE_STEP_MS: String(stepMs), FAKE_KEYS: '2' } }), concurrency: 4 });
  const ids = [0, 1, 2, 3].map((i) => store.runs.insert({ ...config(i), totalSteps: 10_000_000, evalInterval: 5_000 }));
  let events = 0;
  manager.on('metrics', () => events++);
  manager.on('progress', () => events++);
  manager.enqueue(ids);
  const countRows = () => store.db.prepare('SELECT sum(count) FROM metric_series').pluck().get() as number;
  await new Promise((r) => setTimeout(r, 4000)); // workers start and reach a steady stream
  const samples: number[] = [];
  let pts = 0;
  for (let rep = 0; rep < 5; rep++) {
    const r0 = countRows();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 2000));
    const c = process.cpuUsage(c0);
    const secs = (performance.now() - t0) / 1000;
    samples.push(((c.user + c.system) / 1e6 / secs) * 100);
    pts = (countRows() - r0) / secs;
  }
  await manager.shutdown('kill');
  store.close();
  rows.push([`main-process CPU, 4 runs streaming ${what}`, '', `${median(samples).toFixed(1)} % of a core`, '< 5 %', `${median(samples) < 5 ? 'ok' : 'MISSED'}; ${Math.round(pts).toLocaleString('en')} metric rows/s stored, ${events} events`]);
}

try {
  const store = openStore(join(dir, 'bench.db'));
  ingest(store);
  downsample(store);
  store.close();
  const runsStore = openStore(join(dir, 'runs.db'));
  runsTable(runsStore);
  runsStore.close();
  await streaming(1, '(synthetic, ~1,000 steps/s each)');
  await streaming(10, '(synthetic, ~100 steps/s each)');
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const header = ['measure', 'median (wall)', 'median (CPU time)', 'target', 'note'];
const widths = header.map((_, c) => Math.max(...[header, ...rows].map((r) => r[c]!.length)));
const line = (r: string[]) => `| ${r.map((x, c) => x.padEnd(widths[c]!)).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
