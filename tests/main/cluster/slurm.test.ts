// Slurm runs against a real one-node Slurm (Debian's slurm-wlm 22.05 and munge, started by
// one-node-slurm.sh beside this file; .ci/run installs the packages). If the cluster cannot start,
// every test here fails with the script's one line saying why; nothing is skipped.
// (1) a 2 x 2 toy grid (PPO, SAC x 2 seeds) run with --on slurm completes and its metric streams
//     equal those of the same grid run locally (same seeds, wasm backend);
//     (with --seed-batch 2 on both sides: 2 array tasks of 2 seeds, each trained as one computation);
// (2) a seed-group task submitted with --requeue and requeued by Slurm (scontrol requeue, its begin
//     time brought forward) continues by itself from its checkpoints; killed later, it leaves both
//     runs interrupted with Slurm's state; `lab runs resume` regroups and submits them again and they
//     complete from their last checkpoints, no step recorded twice, nothing committed lost;
// (3) cancel and delete of one run of a group stop that run alone, the last one is scancelled, from
//     `lab runs cancel` and from the app, which ingests Slurm runs while open;
// (4) bad input (no sbatch, unknown partition, DIR not writable, DIR not shared, sbatch refusing)
//     is one line, exit code 2, nothing submitted and nothing stored;
// (5) `lab reproduce --on slurm`: Ctrl-C stops watching only; the same command submits again what
//     Slurm ended, follows it to the end and writes the bundle and the report; run once more it
//     submits nothing; a campaign run trained locally is refused before anything is submitted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openStore, type Store } from '../../../src-main/store/index.ts';
import { readHeartbeat } from '../../../src-main/cluster/run-folder.ts';
import { readBundle } from '../../../src-main/bundle/import.ts';
import { run as runExperiment } from '../../../src-main/cli/verbs/experiment.ts';
import { UsageError } from '../../../src-main/cli/errors.ts';
import { createServices } from '../../../src-main/api/create-services.ts';
import { createApiGateway } from '../../../src-main/api/index.ts';
import { tempDir } from '../store/helpers.ts';

const LAB = new URL('../../../bin/lab.js', import.meta.url).pathname;
const CLUSTER = new URL('./one-node-slurm.sh', import.meta.url).pathname;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let t: ReturnType<typeof tempDir>;
let state: string;

beforeAll(() => {
  t = tempDir();
  state = join(t.dir, 'slurm');
  const r = spawnSync(CLUSTER, ['start', state], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the one-node Slurm cluster could not start: ${(r.stderr || r.stdout || r.error?.message || '').trim()}`);
  process.env.SLURM_CONF = join(state, 'slurm.conf');
  process.env.LAB_SLURM_POLL_MS = '300';
});

afterAll(() => {
  spawnSync(CLUSTER, ['stop', state]);
  t.cleanup();
});

/** Run the real `lab` command; resolves with its exit code and output. */
function lab(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--no-warnings', LAB, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

/** Start the real `lab` command; its exit code and output once `done` resolves. */
function labProcess(args: string[]) {
  const child = spawn(process.execPath, ['--no-warnings', LAB, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const done = new Promise<{ code: number | null; out: string; err: string }>((resolve) => child.on('close', (code) => resolve({ code, out, err })));
  return { child, done, output: () => out + err };
}

/**
 * Wait (up to 3 minutes) until run `id` of the store at `db` is stored (`trained` false) or has
 * trained past step 0 (`trained` true); returns its step. Read-only and without the store's
 * migrations: the command may still be creating the store, and migrating it here too would race.
 */
async function waitForRun(db: string, id: number, trained: boolean): Promise<number> {
  let last = 'no database yet';
  for (let i = 0; i < 1800; i++) {
    await sleep(100);
    if (!existsSync(db)) continue;
    const conn = new Database(db, { readonly: true, fileMustExist: true });
    try {
      const step = conn.prepare('SELECT global_step FROM runs WHERE id = ?').pluck().get(id) as number | undefined;
      if (step !== undefined && (!trained || step > 0)) return step;
      last = step === undefined ? 'no such run yet' : `step ${step}`;
    } catch (err) {
      last = (err as Error).message; // the schema is not there yet
    } finally {
      conn.close();
    }
  }
  throw new Error(`run ${id} of ${db} was not ${trained ? 'trained' : 'stored'} within 3 minutes (last seen: ${last})`);
}

function grid(name: string, budget: number, evalInterval: number, algos: string[], seeds: number): string {
  const file = join(t.dir, `${name}.yaml`);
  writeFileSync(
    file,
    [
      `name: ${name}`,
      'preset: quick',
      `budget: ${budget}`,
      `eval: {interval: ${evalInterval}, episodes: 2, modes: [deterministic, stochastic], record_episodes: 1}`,
      `seeds: {count: ${seeds}, base: 0}`,
      'environments: [{id: toy}]',
      'algorithms:',
      // PPO collects 100 steps per update here (the preset's 2,048 would mean no update in these budgets)
      ...algos.map((a) => (a === 'ppo' ? '  - {algo: ppo, hyperparameters: {rolloutSteps: 100, minibatchSize: 50, epochs: 2}}' : `  - {algo: ${a}}`)),
      '',
    ].join('\n'),
  );
  return file;
}

/** Every metric series of a run but the wall-clock speed: key -> [step, value][]. */
function series(store: Store, id: number): Record<string, [number, number][]> {
  const out: Record<string, [number, number][]> = {};
  for (const { key } of store.metrics.keys(id)) {
    if (key === 'charts/SPS') continue;
    const s = store.metrics.series(id, key);
    out[key] = Array.from(s.step, (step, i) => [step, s.value[i]!]);
  }
  return out;
}

function squeueCount(): number {
  return spawnSync('squeue', ['-h', '-r'], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean).length;
}

describe('lab experiment run --on slurm (real one-node Slurm)', () => {
  it('runs a 2 x 2 toy grid as a job array; every run completes with the metric streams of the same grid run locally', async () => {
    const file = grid('grid', 400, 200, ['ppo', 'sac'], 2);
    const workdir = join(t.dir, 'shared');
    mkdirSync(workdir);
    const slurmDb = join(t.dir, 'slurm.db');
    const localDb = join(t.dir, 'local.db');
    const [onSlurm, local] = await Promise.all([
      lab(['experiment', 'run', file, '--on', 'slurm', '--workdir', workdir, '--backend', 'wasm', '--seed-batch', '2', '--time', '00:10:00', '--db', slurmDb]),
      lab(['experiment', 'run', file, '--backend', 'wasm', '--seed-batch', '2', '--concurrency', '2', '--db', localDb]),
    ]);
    expect(onSlurm.code, onSlurm.err + onSlurm.out).toBe(0);
    expect(local.code, local.err + local.out).toBe(0);
    // the same grouping as the local run manager: one array task per seed group of 2
    expect(onSlurm.out).toMatch(/^experiment 1 "grid": 4 runs, 1600 environment steps, submitted to Slurm as job array \d+ of 2 array tasks, 2 of them seed groups \(runs 1, 2; runs 3, 4\)/);
    expect(onSlurm.out).toMatch(/4 completed, 0 running, 0 queued, 0 interrupted, 0 failed, 0 cancelled/);
    const script = readFileSync(join(workdir, 'exp-1', 'submit-1.sh'), 'utf8');
    expect(script).toMatch(/#SBATCH --array=0-1/);
    expect(script).toMatch(/#SBATCH --time=00:10:00/);

    const s = openStore(slurmDb, { mustExist: true });
    const l = openStore(localDb, { mustExist: true });
    try {
      const ids = s.runs.idsOfExperiment(1);
      expect(ids).toEqual(l.runs.idsOfExperiment(1));
      for (const id of ids) {
        const a = s.runs.require(id);
        const b = l.runs.require(id);
        expect([a.status, a.globalStep, a.backend]).toEqual(['completed', 400, 'wasm']);
        expect([a.algo, a.seed]).toEqual([b.algo, b.seed]);
        const p = s.slurm.get(id)!;
        expect(p.taskId).toBe(Math.floor((id - 1) / 2));
        expect(p.state).toBe('COMPLETED');
        // trained as a seed group on the node, as locally
        expect(a.versions?.seedGroup, `run ${id} on Slurm`).toBe(id <= 2 ? '1,2' : '3,4');
        expect(b.versions?.seedGroup, `run ${id} locally`).toBe(id <= 2 ? '1,2' : '3,4');
        const sa = series(s, id);
        expect(Object.keys(sa).filter((k) => k.startsWith('losses/')).length, 'the networks were updated').toBeGreaterThan(1);
        expect(sa['losses/actor_loss'] ?? sa['losses/policy_loss'], 'an actor loss at every update').toBeDefined();
        expect(sa, `run ${id} (${a.algo} seed ${a.seed})`).toEqual(series(l, id));
        const evals = (st: Store) => st.evaluations.list(id).map((e) => [e.step, e.mode, e.returns, e.lengths]);
        expect(evals(s)).toEqual(evals(l));
        expect(s.episodes.count(id)).toBe(l.episodes.count(id));
        expect(s.trajectories.list(id).map(({ id: _, ...rest }) => rest)).toEqual(l.trajectories.list(id).map(({ id: _, ...rest }) => rest));
      }
    } finally {
      s.close();
      l.close();
    }
    // the app and lab serve show the placement in Runs, Run details and Live (RunRow.slurm); pause is refused
    const services = await createServices({ host: 'server', dbPath: slurmDb, concurrency: 1 });
    try {
      const gw = createApiGateway(services);
      const list = await gw.call('runs.list', { experimentId: 1, limit: 10, sort: 'id', dir: 'asc' });
      if (!list.ok) throw new Error(list.error.message);
      const rows = (list.value as { rows: { id: number; slurm?: { engine: string; taskId: number; state: string; attempt: number } }[] }).rows;
      expect(rows.map((r) => [r.slurm?.engine, r.slurm?.taskId, r.slurm?.state, r.slurm?.attempt])).toEqual([0, 0, 1, 1].map((i) => ['slurm', i, 'COMPLETED', 1]));
      const pause = await gw.call('runs.pause', { id: 1 });
      expect(pause.ok ? null : pause.error.message).toBe('run 1 runs on Slurm and cannot be paused; cancel it, or let it run');
    } finally {
      await services.close();
    }
  }, 180_000);

  it('a seed-group task requeued by Slurm (--requeue) continues by itself; killed, it interrupts both runs; resume regroups them; they complete with no step twice and nothing committed lost', async () => {
    const file = grid('kill', 1600, 200, ['sac'], 2);
    const workdir = join(t.dir, 'shared-kill');
    mkdirSync(workdir);
    const db = join(t.dir, 'kill.db');
    const watching = lab(['experiment', 'run', file, '--on', 'slurm', '--workdir', workdir, '--backend', 'wasm', '--seed-batch', '2', '--requeue', '--db', db]);
    const folders = [1, 2].map((id) => join(workdir, 'exp-1', `run-${id}`));
    const requeue = (jobId: string) => {
      const r = spawnSync('scontrol', ['requeue', `${jobId}_0`], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      // Slurm holds a requeued job until a begin time about 2 minutes ahead: the node revokes the
      // job's credential when its first part ends, and a credential issued in that same second is
      // refused ("Job credential revoked": the task fails instead of running again). So bring the
      // begin time forward (StartTime=now, which also schedules at once) only 2 s after the job
      // shows PENDING (it shows COMPLETING while the node still ends the first part), and again
      // where Slurm set it far ahead after an update (loaded machine)
      const field = (show: string, k: string) => new RegExp(`${k}=(\\S+)`).exec(show)?.[1] ?? '?';
      let pendingSince = 0;
      let show = '';
      for (let i = 0; i < 1500; i++) {
        show = spawnSync('scontrol', ['show', 'job', `${jobId}_0`], { encoding: 'utf8' }).stdout;
        const jobState = field(show, 'JobState');
        if (jobState === 'PENDING') {
          pendingSince ||= Date.now();
          const begin = Date.parse(field(show, 'StartTime')); // local time, as scontrol prints it
          if (Date.now() - pendingSince >= 2000 && !(begin - Date.now() < 3000)) spawnSync('scontrol', ['update', `JobId=${jobId}_0`, 'StartTime=now']);
        } else if (pendingSince && (jobState === 'RUNNING' || jobState === 'CONFIGURING')) return;
        else if (pendingSince && jobState !== 'COMPLETING' && jobState !== 'REQUEUED') break; // ended without running again
        spawnSync('sleep', ['0.2']);
      }
      const node = spawnSync('sinfo', ['-N', '-h', '-o', '%N %T %E'], { encoding: 'utf8' }).stdout.trim();
      const ctld = readFileSync(join(state, 'slurmctld.log'), 'utf8').split('\n').filter((l) => l.includes(`JobId=${jobId}`)).slice(-12).join('\n');
      throw new Error(`job ${jobId}_0 did not run again after scontrol requeue (pending seen: ${pendingSince > 0}; last state ${field(show, 'JobState')}, reason ${field(show, 'Reason')}, start ${field(show, 'StartTime')}; node: ${node}); slurmctld.log on the job:\n${ctld}`);
    };
    // wait until the watching command has stored run 1's checkpoint at `atLeast` while both runs of
    // start `segment` are still short of `before`, then interrupt (this test only reads the store,
    // opened once the command has created it: both migrating a new store at once would race)
    await waitForRun(db, 2, false);
    const store = openStore(db, { mustExist: true });
    const interruptions: { cp: number; series: Record<string, [number, number][]>[] }[] = [];
    try {
      for (const [segment, atLeast, before, interrupt] of [
        [1, 200, 500, (_pid: number, jobId: string) => requeue(jobId)],
        [2, 600, 1500, (pid: number) => process.kill(pid, 'SIGKILL')], // the node loses the task: no checkpoint, no goodbye
      ] as const) {
        let cp = -1;
        let seen = '';
        // up to 3 minutes: on a loaded machine the node task's start and the ingestion lag behind
        for (let i = 0; i < 3600 && cp < 0; i++) {
          await sleep(50);
          const latest = store.checkpoints.latest(1)?.step ?? -1;
          const beats = folders.map((f) => (existsSync(f) ? readHeartbeat(f) : null));
          seen = `checkpoint ${latest}, heartbeats ${JSON.stringify(beats.map((b) => b && { segment: b.segment, step: b.globalStep }))}`;
          if (latest >= atLeast && beats.every((b) => b && b.segment === segment && b.globalStep < before)) {
            expect(beats[0]!.pid, 'one process trains the group').toBe(beats[1]!.pid);
            interrupt(beats[0]!.pid, store.slurm.get(1)!.jobId!);
            cp = store.checkpoints.latest(1)!.step;
            interruptions.push({ cp, series: [series(store, 1), series(store, 2)] });
          }
        }
        expect(cp, `interruption ${segment} must land after a checkpoint at ${atLeast} and before step ${before} (last seen: ${seen})`).toBeGreaterThanOrEqual(atLeast);
      }
    } finally {
      store.close();
    }
    const first = await watching;
    expect(first.code).toBe(1);
    expect(first.out).toMatch(/run 1 interrupted: Slurm task (\d+)_0 ended FAILED/);
    expect(first.out).toMatch(/run 2 interrupted: Slurm task (\d+)_0 ended FAILED/);

    const resumed = await lab(['runs', 'resume', '--experiment', '1', '--db', db]);
    expect(resumed.code, resumed.err + resumed.out).toBe(0);
    expect(resumed.out).toMatch(/runs 1, 2 submitted again to Slurm as job array \d+ \(array tasks: 1\+2\)/);
    const s = openStore(db, { mustExist: true });
    try {
      for (const id of [1, 2]) {
        const run = s.runs.require(id);
        expect([run.status, run.globalStep, run.versions?.seedGroup, s.slurm.get(id)!.attempt]).toEqual(['completed', 1600, '1,2', 2]);
        // three starts: the first, Slurm's requeue, the resubmission
        expect(readdirSync(folders[id - 1]!).filter((f) => f.startsWith('reports-')).length).toBe(3);
        const log = s.logs.tail(id, 1000).map((l) => l.message);
        const resumedAt = log.map((l) => /^resuming from the checkpoint at step (\d+) \(Slurm job \d+ task 0 on \S+(, requeued 1x)?\)$/.exec(l)).filter((m) => m !== null);
        expect(resumedAt.map((m) => m[2] ?? 'resubmitted'), `run ${id}`).toEqual([', requeued 1x', 'resubmitted']);
        const after = series(s, id);
        for (const { cp, series: before } of interruptions) {
          for (const [key, pts] of Object.entries(before[id - 1]!)) {
            const upTo = (p: [number, number][]) => p.filter(([step]) => step <= cp);
            // everything committed up to the checkpoint is still there, unchanged (the other run's
            // ingestion may lag behind run 1's checkpoint: what it had then is a prefix of what it has now)
            expect(upTo(after[key]!).slice(0, upTo(pts).length), `run ${id} ${key} up to step ${cp}`).toEqual(upTo(pts));
          }
        }
        const ret = after['charts/episodic_return']!;
        expect(ret.length).toBe(800); // toy episodes last 2 steps: one return per 2 steps, none twice
        expect(new Set(ret.map(([step]) => step)).size).toBe(800);
        expect(s.evaluations.list(id, 'deterministic').map((e) => e.step)).toEqual([0, 200, 400, 600, 800, 1000, 1200, 1400, 1600]); // the evaluation at step 0, then every 200
        const dup = s.db.prepare('SELECT count(*) FROM (SELECT step, count(*) c FROM episodes WHERE run_id = ? GROUP BY step HAVING c > 1)').pluck().get(id);
        expect(dup).toBe(0);
        expect(log.some((l) => /metric points arrived at or before/.test(l))).toBe(false);
      }
    } finally {
      s.close();
    }
  }, 600_000);

  it('cancel and delete of one run of a seed group stop only that run (its task goes on); cancelling the last one calls scancel; the app ingests Slurm runs while it is open', async () => {
    const file = grid('cancel', 100000, 50000, ['sac'], 3);
    const workdir = join(t.dir, 'shared-cancel');
    mkdirSync(workdir);
    const db = join(t.dir, 'cancel.db');
    const { run: runsVerb } = await import('../../../src-main/cli/verbs/runs.ts');
    const { loadSpec } = await import('../../../src-main/cli/verbs/experiment.ts');
    // sent from the app: the Design form's "Run on: Slurm cluster" (experiments.create with slurm)
    const services = await createServices({ host: 'server', dbPath: db, concurrency: 1 });
    const gw = createApiGateway(services);
    const created = await gw.call('experiments.create', { spec: { ...loadSpec(file).spec, seed_batch: 3, backend: 'wasm' }, launch: true, slurm: { workdir, time: '00:30:00' } });
    if (!created.ok) throw new Error(created.error.message);
    const { jobId, tasks } = (created.value as { slurm: { jobId: string; tasks: number[][] } }).slurm;
    expect(tasks).toEqual([[1, 2, 3]]);
    expect(readFileSync(join(workdir, 'exp-1', 'submit-1.sh'), 'utf8')).toMatch(/#SBATCH --time=00:30:00/);
    expect(squeueCount()).toBe(1);
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((c: string) => (out.push(String(c)), true)) as typeof process.stdout.write;
    try {
      expect(await runsVerb(['cancel', '1', '--db', db])).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    expect(out.join('')).toBe(`run 1 cancelled by the user; its seed group's Slurm task ${jobId}_0 goes on with runs 2, 3\n`);
    expect(squeueCount()).toBe(1);

    // the app (or lab serve) open on the store ingests the folders until runs 2 and 3 train
    const folder = (id: number) => join(workdir, 'exp-1', `run-${id}`);
    try {
      let status = '';
      for (let i = 0; i < 600 && status !== 'running'; i++) {
        await sleep(100);
        status = services.store.runs.require(3).status;
      }
      expect(status, 'the app ingested the task\'s ready report').toBe('running');
      expect(services.store.runs.require(2).status).toBe('running');
      expect(services.store.runs.require(3).backend).toBe('wasm');
      // delete run 2 while its group trains: the task drops it and removes its folder
      const del = await gw.call('runs.delete', { id: 2 });
      expect(del.ok ? del.value : del.error.message).toEqual({ id: 2, deleted: true });
      expect(services.store.runs.get(2)).toBeUndefined();
      for (let i = 0; i < 100 && existsSync(folder(2)); i++) await sleep(100);
      expect(existsSync(folder(2)), 'the task removed the deleted run\'s folder').toBe(false);
      expect(squeueCount(), 'the task goes on with run 3').toBe(1);
      const step = readHeartbeat(folder(3))!.globalStep;
      for (let i = 0; i < 100 && readHeartbeat(folder(3))!.globalStep === step; i++) await sleep(100);
      expect(readHeartbeat(folder(3))!.globalStep).toBeGreaterThan(step);
      // run 3 is the last one of its task: cancel is scancel
      const r = await gw.call('runs.cancel', { id: 3 });
      expect(r.ok ? r.value : r.error.message).toEqual({ id: 3, status: 'cancelled' });
    } finally {
      await services.close();
    }
    for (let i = 0; i < 100 && squeueCount() > 0; i++) await sleep(100);
    expect(squeueCount()).toBe(0);
    const s = openStore(db, { mustExist: true });
    try {
      expect([s.runs.require(1).status, s.runs.require(1).reason]).toEqual(['cancelled', `cancelled by the user; its seed group's Slurm task ${jobId}_0 goes on with runs 2, 3`]);
      expect([s.runs.require(3).status, s.runs.require(3).reason]).toEqual(['cancelled', `cancelled by the user (scancel ${jobId}_0)`]);
      for (const id of [1, 3]) expect(s.slurm.get(id)!.cancelRequested).toBe(true);
    } finally {
      s.close();
    }
    // run 1 was never trained (the task started after the cancel) or was dropped at once: its folder's last word is a cancelled `done`
    const reports = readdirSync(folder(1)).filter((f) => f.startsWith('reports-'));
    if (reports.length > 0) {
      const lines = readFileSync(join(folder(1), reports.at(-1)!), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; outcome?: string });
      expect(lines.filter((l) => l.type === 'done')).toEqual([expect.objectContaining({ type: 'done', outcome: 'cancelled' })]);
    }
  }, 120_000);

  it('lab reproduce --on slurm: Ctrl-C stops watching only; the same command submits again what Slurm ended and follows it to the bundle and the report; once more it submits nothing; a run trained locally is refused', async () => {
    const workdir = join(t.dir, 'shared-reproduce');
    mkdirSync(workdir);
    const db = join(t.dir, 'reproduce.db');
    const results = join(t.dir, 'results');
    const report = join(t.dir, 'results.md');
    const campaign = ['reproduce', 'toy', '--algos', 'sac', '--seeds', '2', '--steps', '3000', '--results', results, '--report', report, '--backend', 'wasm'];
    const cmd = [...campaign, '--on', 'slurm', '--workdir', workdir, '--time', '00:10:00', '--db', db];
    const first = labProcess(cmd);
    await waitForRun(db, 1, true);
    first.child.kill('SIGINT');
    const detached = await first.done;
    expect(detached.code, detached.out + detached.err).toBe(130);
    const job = /toy: experiment 1 "reproduce toy \(quick, 2 seeds, sac, 3000 steps: smoke test\)": 2 runs, 6000 environment steps, submitted to Slurm as job array (\d+) of 1 array task, 1 of them seed group \(runs 1, 2\)/.exec(detached.out);
    expect(job, detached.out).not.toBeNull();
    expect(detached.out).toContain(`stopped watching; the tasks go on on the cluster. Follow them with: lab reproduce toy --budget quick --seeds 2 --algos sac --steps 3000 --backend wasm --results ${results} --report ${report} --on slurm --workdir ${workdir} --time 00:10:00 --db ${db}`);
    expect(squeueCount(), 'the task goes on after Ctrl-C').toBe(1);

    // Slurm ends the task (as a time limit or a node failure would): the runs are interrupted, not lost
    expect(spawnSync('scancel', [job![1]!]).status).toBe(0);
    for (let i = 0; i < 200 && squeueCount() > 0; i++) await sleep(100);
    expect(squeueCount()).toBe(0);

    const again = await lab(cmd);
    expect(again.code, again.err + again.out).toBe(0);
    expect(again.out).toMatch(/toy: experiment 1 "reproduce toy [^"]*": 2 runs, 6000 environment steps, submitted to Slurm as job array (\d+) of 1 array task/);
    expect(/job array (\d+)/.exec(again.out)![1]).not.toBe(job![1]);
    expect(again.out).toMatch(/2 completed, 0 running, 0 queued, 0 interrupted, 0 failed, 0 cancelled/);
    expect(again.out).toMatch(/toy: all runs completed; wrote .*toy-quick-sac-3000steps\.labbundle/);
    const bundle = readBundle(readFileSync(join(results, 'toy-quick-sac-3000steps.labbundle')));
    expect(bundle.manifest.runs).toHaveLength(2);
    expect(readFileSync(report, 'utf8')).toMatch(/toy/);
    expect(existsSync(join(workdir, 'exp-1', 'submit-2.sh'))).toBe(true);
    const s = openStore(db, { mustExist: true });
    try {
      for (const id of [1, 2]) {
        const run = s.runs.require(id);
        expect([run.status, run.globalStep, s.slurm.get(id)!.attempt]).toEqual(['completed', 3000, 2]);
        const ret = series(s, id)['charts/episodic_return']!;
        expect(new Set(ret.map(([step]) => step)).size, `run ${id}: one return per 2 steps, none twice`).toBe(1500);
        expect(ret.length).toBe(1500);
      }
    } finally {
      s.close();
    }

    const third = await lab(cmd);
    expect(third.code, third.err + third.out).toBe(0);
    expect(third.out).not.toMatch(/submitted to Slurm|wrote .*labbundle/);
    expect(existsSync(join(workdir, 'exp-1', 'submit-3.sh'))).toBe(false);

    // a campaign stored here and trained a little locally cannot move to the cluster
    const localDb = join(t.dir, 'reproduce-local.db');
    const local = labProcess([...campaign, '--concurrency', '1', '--db', localDb]);
    await waitForRun(localDb, 1, true);
    local.child.kill('SIGINT');
    expect((await local.done).code).toBe(130);
    const workdir2 = join(t.dir, 'shared-reproduce-2');
    mkdirSync(workdir2);
    const refused = await lab([...campaign, '--on', 'slurm', '--workdir', workdir2, '--db', localDb]);
    expect(refused.code).toBe(2);
    expect(refused.err.trim()).toMatch(/^lab: toy: runs? 1 at step \d+.* of experiment 1 trained on this machine; their checkpoints are in this store, not in a run folder the cluster can read/);
    expect(readdirSync(workdir2)).toEqual([]);
    expect(squeueCount()).toBe(0);
    // Slurm flags belong to --on slurm, --concurrency to local runs
    const stray = await lab([...campaign, '--workdir', workdir2, '--db', localDb]);
    expect([stray.code, stray.err.trim()]).toEqual([2, 'lab: --workdir is only for --on slurm']);
    const both = await lab([...campaign, '--on', 'slurm', '--workdir', workdir2, '--concurrency', '2', '--db', localDb]);
    expect([both.code, both.err.trim()]).toEqual([2, 'lab: --concurrency is for local runs; on Slurm every task runs as the cluster schedules it']);
  }, 600_000);

  it('bad input: one line, exit code 2, nothing submitted, nothing stored', async () => {
    const file = grid('bad', 100, 50, ['ppo'], 1);
    const workdir = join(t.dir, 'shared-bad');
    mkdirSync(workdir);
    const db = join(t.dir, 'bad.db');
    const jobsBefore = squeueCount();
    const nothingLeft = () => {
      if (existsSync(db)) {
        const s = openStore(db, { mustExist: true });
        expect([s.experiments.list().length, s.runs.list().total]).toEqual([0, 0]); // nothing stored
        s.close();
      }
      expect(readdirSync(workdir)).toEqual([]); // no folder or script left behind
      expect(squeueCount()).toBe(jobsBefore); // nothing submitted
    };
    // the real command: exit code 2, one stderr line, nothing on stdout
    const nodeOnly = { ...process.env, PATH: dirname(process.execPath) };
    for (const [extra, message, env] of [
      [['--workdir', workdir], /^lab: sbatch is not on PATH: this machine cannot submit to Slurm/, nodeOnly],
      [['--workdir', workdir, '--sbatch-arg=--mem=999999G'], /^lab: sbatch refused the job: Memory specification can not be satisfied/, process.env],
    ] as const) {
      const r = await lab(['experiment', 'run', file, '--on', 'slurm', ...extra, '--db', db], env);
      expect(r.code, `${extra.join(' ')}: ${r.err}`).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err.trim()).toMatch(message);
      nothingLeft();
    }
    // the other refusals, in this process (same code path, without a Node start each)
    const cases: [string[], RegExp][] = [
      [['--workdir', workdir, '--partition', 'gpu-nope'], /^unknown partition 'gpu-nope' \(this cluster has: debug\)$/],
      [['--workdir', '/sys/fs'], /^--workdir \/sys\/fs is not writable \(EACCES\)$/],
      [['--workdir', '/dev/shm'], /^--workdir \/dev\/shm is on tmpfs, a memory file system of this machine: the nodes cannot see it/],
      [['--workdir', join(t.dir, 'missing')], /is not an existing folder/],
      [['--workdir', workdir, '--time', 'soon'], /^--time: 'soon' is not a Slurm time limit/],
      [['--workdir', workdir, '--mem', 'lots'], /^--mem: 'lots' is not a Slurm memory size/],
      [['--workdir', workdir, '--concurrency', '2'], /^--concurrency is for local runs/],
      [[], /^--on slurm needs --workdir DIR/],
    ];
    for (const [extra, message] of cases) {
      const err = await runExperiment(['run', file, '--on', 'slurm', ...extra, '--db', db]).then(() => null, (e: unknown) => e);
      expect(err, extra.join(' ')).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(message);
      nothingLeft();
    }
    const stray = await runExperiment(['run', file, '--partition', 'debug', '--db', db]).then(() => null, (e: unknown) => e);
    expect((stray as Error).message).toBe('--partition is only for --on slurm');
    nothingLeft();
    // the same checks from the app's Design form (experiments.create with slurm): the field named, nothing stored
    const { loadSpec } = await import('../../../src-main/cli/verbs/experiment.ts');
    const services = await createServices({ host: 'server', dbPath: db, concurrency: 1 });
    try {
      const gw = createApiGateway(services);
      const spec = loadSpec(file).spec;
      for (const [slurm, path, message] of [
        [{ workdir, partition: 'gpu-nope' }, 'slurm.partition', /^unknown partition 'gpu-nope'/],
        [{ workdir: '/dev/shm' }, 'slurm.workdir', /^--workdir \/dev\/shm is on tmpfs/],
        [{ workdir, time: 'soon' }, 'slurm.time', /a Slurm time limit/],
        [{ workdir: ' ' }, 'slurm.workdir', /the shared folder \(DIR\) the cluster nodes see is required/],
      ] as const) {
        const r = await gw.call('experiments.create', { spec, launch: true, slurm });
        expect(r.ok ? 'stored' : [r.error.code, r.error.path], JSON.stringify(slurm)).toEqual(['invalid_args', path]);
        if (!r.ok) expect(r.error.message).toMatch(message);
        nothingLeft();
      }
      const notLaunched = await gw.call('experiments.create', { spec, launch: false, slurm: { workdir } });
      expect(notLaunched.ok ? 'stored' : notLaunched.error.message).toMatch(/sending to Slurm launches the runs/);
      nothingLeft();
    } finally {
      await services.close();
    }
  }, 120_000);
});
