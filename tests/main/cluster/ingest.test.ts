// The single writer's ingest of a run folder, without Slurm (task states injected): reports stored
// once however the folder is read; a torn last line waits; a new start rolls back to its checkpoint;
// Slurm's end states become interrupted/failed/cancelled with the reason; a damaged folder fails the run;
// a stale heartbeat is flagged (not marked lost); a seed group's common resume step.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeMetrics } from '../../../src-core/contract/worker-protocol.ts';
import { openStore, type Store } from '../../../src-main/store/index.ts';
import { ClusterIngester } from '../../../src-main/cluster/ingest.ts';
import { CHECKPOINTS, checkpointFile, checkpointSteps, HEARTBEAT_FILE, reportsFile, type SegmentHeader } from '../../../src-main/cluster/run-folder.ts';
import { commonResumeStep } from '../../../src-main/cluster/task.ts';
import { run as runsVerb } from '../../../src-main/cli/verbs/runs.ts';
import { toRunRow } from '../../../src-main/api/records.ts';
import { STALE_HEARTBEAT_S, staleHeartbeatText } from '../../../src-core/contract/cluster-heartbeat.ts';
import type { TaskState } from '../../../src-main/cluster/slurm.ts';
import { runConfig, tempDir } from '../store/helpers.ts';

let t: ReturnType<typeof tempDir>;
let store: Store;
let folder: string;
let task: TaskState | undefined;
let ingester: ClusterIngester;

beforeEach(() => {
  t = tempDir();
  store = openStore(join(t.dir, 'lab.db'));
  folder = join(t.dir, 'exp-1', 'run-1');
  mkdirSync(folder, { recursive: true });
  store.tx(() => {
    const exp = store.experiments.insert({ name: 'e', description: '', spec: {} as never, source: null, tags: [] });
    store.runs.insert(runConfig({ totalSteps: 100, evalInterval: 10 }), { experimentId: exp });
    store.slurm.insert(1, t.dir, folder, { sbatchArgs: [], requeue: false });
    store.slurm.setSubmitted(1, '42', 0, 1);
  });
  task = { taskId: 0, state: 'RUNNING', reason: null, exitCode: null, restarts: 0 };
  ingester = new ClusterIngester(store, { jobTasks: () => new Map(task ? [[0, task]] : []) });
});
afterEach(() => {
  store.close();
  t.cleanup();
});

const header = (segment: number, resumeFrom: number): SegmentHeader => ({
  type: 'segment', segment, attempt: 1, resumeFrom, checkpoint: resumeFrom >= 0 ? { file: join(folder, 'checkpoints', `step-${resumeFrom}.ckpt`), size: 10 } : null,
  jobId: '42', taskId: 0, restarts: 0, host: 'node1', pid: 1, time: 0,
});
const ready = { seq: 1, type: 'ready', protocol: 1, backend: 'cpu', backendReason: '', versions: {}, pid: 1 };
const metrics = (seq: number, from: number, to: number) => ({ seq, ...encodeMetrics(Array.from({ length: to - from + 1 }, (_, i) => ({ key: 'charts/x', step: from + i, wallTime: 0, value: from + i }))) });
const write = (segment: number, ...objs: unknown[]) => appendFileSync(reportsFile(folder, segment), objs.map((o) => `${JSON.stringify(o)}\n`).join(''));
const steps = () => Array.from(store.metrics.series(1, 'charts/x').step);

describe('ClusterIngester', () => {
  it('stores each complete line once, leaves a torn last line for later, and marks the run running then completed', () => {
    write(1, header(1, -1), ready, metrics(2, 1, 5));
    appendFileSync(reportsFile(folder, 1), JSON.stringify(metrics(3, 6, 8)).slice(0, 20)); // being written
    ingester.sync();
    expect(store.runs.require(1).status).toBe('running');
    expect(steps()).toEqual([1, 2, 3, 4, 5]);
    ingester.sync(); // nothing new: nothing stored twice
    expect(steps()).toEqual([1, 2, 3, 4, 5]);
    appendFileSync(reportsFile(folder, 1), `${JSON.stringify(metrics(3, 6, 8)).slice(20)}\n${JSON.stringify({ seq: 4, type: 'done', outcome: 'completed', globalStep: 8 })}\n`);
    ingester.sync();
    expect(steps()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(store.runs.require(1).status).toBe('completed');
    expect(store.slurm.get(1)!.state).toBe('RUNNING');
  });

  it('a new start rolls back what was stored after its checkpoint; a torn line of the earlier file is dropped with a warning', () => {
    write(1, header(1, -1), ready, metrics(2, 1, 5), { seq: 3, type: 'checkpoint', step: 5, file: join(folder, 'checkpoints', 'step-5.ckpt'), size: 10 }, metrics(4, 6, 7));
    ingester.sync();
    expect(steps()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    appendFileSync(reportsFile(folder, 1), '{"seq":5,"type":"metr'); // killed mid-write
    task = { taskId: 0, state: 'FAILED', reason: 'NonZeroExitCode', exitCode: '0:9', restarts: 0 };
    ingester.sync();
    const r = store.runs.require(1);
    expect([r.status, r.reason]).toEqual(['interrupted', 'Slurm task 42_0 ended FAILED (NonZeroExitCode, exit code 0:9)']);
    expect(store.slurm.get(1)!.state).toBe('FAILED');
    // resubmitted: the new task resumes from step 5 and records 6.. again
    store.tx(() => {
      store.slurm.setSubmitted(1, '43', 0, 2);
      store.runs.setStatus(1, 'queued');
    });
    task = { taskId: 0, state: 'RUNNING', reason: null, exitCode: null, restarts: 0 };
    ingester.sync();
    expect(store.runs.require(1).status).toBe('queued');
    // Slurm requeues the task (--requeue: preemption, node failure): the run waits in the queue again
    store.tx(() => store.runs.setStatus(1, 'running'));
    task = { taskId: 0, state: 'PENDING', reason: 'BeginTime', exitCode: null, restarts: 1 };
    ingester.sync();
    expect([store.runs.require(1).status, store.runs.require(1).reason]).toEqual(['queued', 'requeued by Slurm (restart 1)']);
    task = { taskId: 0, state: 'RUNNING', reason: null, exitCode: null, restarts: 1 };
    write(2, header(2, 5), ready, metrics(2, 6, 9));
    ingester.sync();
    expect(steps()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(store.metrics.series(1, 'charts/x').count).toBe(9);
    const log = store.logs.tail(1, 50).map((l) => l.message);
    expect(log.some((m) => /reports-0001\.jsonl ends with an incomplete line/.test(m))).toBe(true);
    expect(log).toContain('resuming from the checkpoint at step 5 (Slurm job 42 task 0 on node1)');
    expect(log.some((m) => /metric points arrived at or before/.test(m))).toBe(false);
  });

  it('a task that ends before training started is failed; a cancelled one is cancelled; one Slurm no longer knows is interrupted', () => {
    write(1, header(1, -1));
    task = { taskId: 0, state: 'FAILED', reason: 'NonZeroExitCode', exitCode: '2:0', restarts: 0 };
    mkdirSync(join(t.dir, 'exp-1', 'logs'));
    writeFileSync(join(t.dir, 'exp-1', 'logs', '42_0.out'), 'node: command not found\n');
    ingester.sync([1]);
    expect(store.runs.require(1).status).toBe('failed');
    expect(store.runs.require(1).reason).toBe('Slurm task 42_0 ended FAILED (NonZeroExitCode, exit code 2:0); task output: node: command not found');

    store.tx(() => store.runs.setStatus(1, 'queued'));
    store.slurm.markCancelRequested(1);
    task = { taskId: 0, state: 'CANCELLED', reason: null, exitCode: '0:15', restarts: 0 };
    ingester.sync([1]);
    expect(store.runs.require(1).status).toBe('cancelled');

    store.tx(() => {
      store.slurm.setSubmitted(1, '44', 0, 3);
      store.slurm.setState(1, 'RUNNING', null);
      store.runs.setStatus(1, 'running');
    });
    task = undefined;
    ingester.sync([1]);
    expect(store.runs.require(1).status).toBe('interrupted');
    expect(store.runs.require(1).reason).toBe('Slurm task 44_0 is no longer known to Slurm and its run folder holds no end');
  });

  it('a damaged line fails the run with a message naming the file, and stores nothing of that read', () => {
    write(1, header(1, -1), ready);
    appendFileSync(reportsFile(folder, 1), '{"seq":2,"type":"metrics","keys":"oops"}\n');
    ingester.sync();
    const r = store.runs.require(1);
    expect(r.status).toBe('failed');
    expect(r.reason).toMatch(/reports-0001\.jsonl \(line at byte 0, #3 of this read\) is not a worker report: keys/);
    expect(store.slurm.get(1)!.ingestOffset).toBe(0);
  });

  it('a run another live lab process ingests is left to it', () => {
    store.slurm.claimIngest(1, process.ppid); // the process that started this test: alive
    write(1, header(1, -1), ready, metrics(2, 1, 3));
    expect(ingester.sync()).toEqual([]);
    expect(ingester.heldElsewhere.get(1)).toBe(process.ppid);
    expect(store.metrics.series(1, 'charts/x').count).toBe(0);
  });

  it('a running run whose heartbeat is older than STALE_HEARTBEAT_S is flagged in lab runs, lab runs show and the app\'s rows, and stays running', async () => {
    write(1, header(1, -1), ready);
    ingester.sync();
    expect(store.runs.require(1).status).toBe('running');
    const beat = (age: number) => writeFileSync(join(folder, HEARTBEAT_FILE), JSON.stringify({ time: Date.now() / 1000 - age, host: 'node1', pid: 1, jobId: '42', taskId: 0, segment: 1, globalStep: 3, totalSteps: 100, sps: 1, episodes: 0, lastEval: {} }));
    const cli = async (args: string[]) => {
      const out: string[] = [];
      const w = process.stdout.write.bind(process.stdout);
      process.stdout.write = ((c: string) => (out.push(String(c)), true)) as typeof process.stdout.write;
      try {
        expect(await runsVerb([...args, '--db', store.path])).toBe(0);
      } finally {
        process.stdout.write = w;
      }
      return out.join('');
    };
    beat(STALE_HEARTBEAT_S - 10);
    expect(await cli(['list'])).not.toMatch(/heartbeat/);
    expect(toRunRow(store.runs.require(1), store.slurm.get(1)).slurm?.heartbeatAt).toBeCloseTo(Date.now() / 1000 - STALE_HEARTBEAT_S + 10, 0);
    beat(7.5 * 60);
    ingester.sync(); // Slurm still says RUNNING: nothing is marked lost
    expect(store.runs.require(1).status).toBe('running');
    expect(await cli(['list'])).toMatch(/^run 1: no heartbeat for 7 min \(Slurm says RUNNING as of \S+; the run is not marked lost\)$/m);
    expect(await cli(['show', '1'])).toMatch(/ {2}Slurm: job 42 task 0 \(submission 1\), state RUNNING; run folder \S+; no heartbeat for 7 min/);
    const row = toRunRow(store.runs.require(1), store.slurm.get(1));
    expect(staleHeartbeatText(row.status, row.slurm?.heartbeatAt, Date.now() / 1000)).toBe('no heartbeat for 7 min');
    expect(staleHeartbeatText('interrupted', row.slurm?.heartbeatAt, Date.now() / 1000)).toBeNull(); // only a running run is flagged
    expect(staleHeartbeatText('running', null, Date.now() / 1000)).toBeNull(); // no heartbeat yet (the task is starting)
  });

  it('a seed group resumes from the newest checkpoint step every member has (a kill between two members\' writes leaves one ahead)', () => {
    const member = (name: string, steps: number[]) => {
      const f = join(t.dir, name);
      mkdirSync(join(f, CHECKPOINTS), { recursive: true });
      for (const step of steps) writeFileSync(checkpointFile(f, step), 'x');
      writeFileSync(`${checkpointFile(f, 900)}.tmp-123`, 'torn'); // never counted
      return f;
    };
    const a = member('a', [200, 400, 600]);
    const b = member('b', [200, 400]);
    expect(checkpointSteps(a)).toEqual([200, 400, 600]);
    expect(commonResumeStep([a])).toBe(600);
    expect(commonResumeStep([a, b])).toBe(400);
    expect(commonResumeStep([a, b, member('c', [])])).toBe(-1); // one member has none: the group starts afresh
  });
});
