// The cluster task: what one Slurm array task runs on its node (`lab cluster task FOLDER...`). It
// is the training worker of src-main/worker (same loop, same reports) with run folders in place of
// the IPC channel to main: one run, or a seed group of runs trained as one seed-batched computation
// (`start-group`), each run writing its own folder: every report of a run is appended as one JSON
// line to this start's reports file of its folder, checkpoints are written atomically into it,
// progress goes to its heartbeat file. It never opens the database. On start it resumes from the
// newest checkpoint every member has (a resubmission or a Slurm requeue; the members of a group
// checkpoint at the same steps, but a kill between two members' writes can leave one a step
// ahead); SIGTERM (scancel, time limit, preemption) makes it write checkpoints and stop, as a pause
// does locally. A run cancelled or deleted alone while its group goes on is asked for through its
// folder's control file, polled with the heartbeat.
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { PROTOCOL_VERSION, type CommandBody } from '../../src-core/contract/worker-protocol.ts';
import { runWorker, type WorkerDeps } from '../worker/run-worker.ts';
import type { WorkerTransport } from '../worker/transport.ts';
import {
  CHECKPOINTS,
  checkpointFile,
  checkpointSteps,
  HEARTBEAT_FILE,
  readControl,
  readTaskFile,
  TASK_FILE,
  reportsFile,
  segments,
  writeAtomic,
  type Heartbeat,
  type SegmentHeader,
  type TaskFile,
} from './run-folder.ts';

const HEARTBEAT_MS = 2000;
const KEEP_CHECKPOINTS = 3;

/** Remove the torn `.tmp-` files a killed task left in a checkpoints folder. */
function removeTornFiles(dir: string): void {
  for (const f of readdirSync(dir)) if (f.includes('.tmp-')) rmSync(join(dir, f), { force: true });
}

/** The newest checkpoint step every folder has (-1: none in common, a fresh start). */
export function commonResumeStep(folders: readonly string[]): number {
  const sets = folders.map((f) => new Set(checkpointSteps(f)));
  return Math.max(-1, ...[...sets[0]!].filter((step) => sets.every((set) => set.has(step))));
}

function pruneCheckpoints(dir: string): void {
  const all = readdirSync(dir).filter((f) => /^step-\d+\.ckpt$/.test(f)).sort();
  for (const f of all.slice(0, Math.max(0, all.length - KEEP_CHECKPOINTS))) rmSync(join(dir, f), { force: true });
}

/** Open the next reports file exclusively (two starts of one task never share a file). */
function openNextSegment(folder: string): { segment: number; fd: number } {
  for (;;) {
    const segment = (segments(folder).at(-1) ?? 0) + 1;
    try {
      return { segment, fd: openSync(reportsFile(folder, segment), 'wx') };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/** One run of the task, with its folder. */
interface Member {
  folder: string;
  task: TaskFile;
  ckptDir: string;
  fd: number;
  beat: Heartbeat;
  /** Its `done` is written (its reports file is closed). */
  closed: boolean;
  /** Asked to stop alone through its control file (the request is sent once). */
  stopSent: boolean;
}

/** Train the runs of `folders` (one, or a seed group) in this process; the worker exits the process at the end. */
export function runClusterTask(folders: readonly string[], deps: WorkerDeps, env: NodeJS.ProcessEnv = process.env): void {
  // a run deleted (folder gone) or cancelled alone while the task waited in Slurm's queue is left out
  const live = folders.filter((f) => {
    const why = !existsSync(join(f, TASK_FILE)) ? 'is gone (its run was deleted)' : readControl(f) ? `has a stop request (${readControl(f)!.action})` : null;
    if (why) process.stderr.write(`run folder ${f} ${why}: not trained\n`);
    return why === null;
  });
  if (live.length === 0) {
    process.stderr.write('no run left to train in this task\n');
    process.exit(0);
  }
  for (const f of live) {
    mkdirSync(join(f, CHECKPOINTS), { recursive: true });
    removeTornFiles(join(f, CHECKPOINTS));
  }
  const from = commonResumeStep(live);
  const ahead = live.filter((f) => (checkpointSteps(f).at(-1) ?? -1) > from);
  if (ahead.length > 0) process.stderr.write(`${ahead.join(', ')}: newer checkpoints than the group's common step ${from}; the group resumes from ${from}\n`);
  const jobId = env.SLURM_ARRAY_JOB_ID ?? env.SLURM_JOB_ID ?? null;
  const taskId = env.SLURM_ARRAY_TASK_ID !== undefined ? Number(env.SLURM_ARRAY_TASK_ID) : null;
  const tasks = live.map(readTaskFile);
  const members = live.map((folder, i): Member => {
    const task = tasks[i]!;
    const ckptDir = join(folder, CHECKPOINTS);
    const { segment, fd } = openNextSegment(folder);
    const file = from >= 0 ? checkpointFile(folder, from) : null;
    const header: SegmentHeader = {
      type: 'segment',
      segment,
      attempt: task.attempt,
      resumeFrom: from,
      checkpoint: file ? { file, size: statSync(file).size } : null,
      jobId,
      taskId,
      group: tasks.map((t) => t.runId),
      restarts: Number(env.SLURM_RESTART_COUNT ?? 0),
      host: hostname(),
      pid: process.pid,
      time: Date.now() / 1000,
    };
    appendFileSync(fd, `${JSON.stringify(header)}\n`);
    const beat: Heartbeat = { time: 0, host: header.host, pid: process.pid, jobId, taskId, segment, globalStep: Math.max(0, from), totalSteps: task.config.totalSteps, sps: 0, episodes: 0, lastEval: {} };
    return { folder, task, ckptDir, fd, beat, closed: false, stopSent: false };
  });
  const byRun = new Map(members.map((m) => [m.task.runId, m]));

  const writeBeat = (m: Member) => {
    m.beat.time = Date.now() / 1000;
    try {
      writeAtomic(join(m.folder, HEARTBEAT_FILE), `${JSON.stringify(m.beat)}\n`);
    } catch {
      // a missed heartbeat (or a folder deleted meanwhile) is not worth stopping training for
    }
  };

  let handler: (m: unknown) => void = () => {};
  let seq = 0;
  const command = (body: CommandBody) => handler({ ...body, seq: ++seq });
  let ready = false;

  /** Stop the runs whose folder asks it (cancelled or deleted alone); a deleted run's folder goes once nothing writes it by path. */
  const pollControl = () => {
    for (const m of members) {
      if (m.stopSent || m.closed || !ready) continue;
      const c = readControl(m.folder);
      if (!c) continue;
      m.stopSent = true;
      command({ type: 'stop-run', runId: m.task.runId, how: 'cancel' });
      // from here the worker writes nothing of this run by path (its reports go to the open file)
      if (c.action === 'delete') rmSync(m.folder, { recursive: true, force: true });
    }
  };
  const tick = () => {
    for (const m of members) if (!m.closed && !m.stopSent) writeBeat(m);
    pollControl();
  };
  members.forEach(writeBeat);
  setInterval(tick, HEARTBEAT_MS).unref();

  const transport: WorkerTransport = {
    send(message, sent) {
      const msg = message as { type: string; runId?: number; globalStep?: number; totalSteps?: number; sps?: number; episodes?: number; lastEval?: Record<string, number> };
      // a report of one run goes to its folder; one of the whole worker (ready, an error) to every folder
      const targets = msg.runId !== undefined ? [byRun.get(msg.runId)].filter((m): m is Member => m !== undefined) : members;
      if (msg.type === 'ready') ready = true;
      // any report is a sign of life: while the event loop is blocked (a long replay buffer rebuild on
      // resume) the timer cannot beat, but the rebuild's progress lines come through here
      const now = Date.now() / 1000;
      for (const m of members) if (!m.closed && !m.stopSent && now - m.beat.time >= HEARTBEAT_MS / 1000) writeBeat(m);
      for (const m of targets) {
        if (m.closed || msg.type === 'ack') continue;
        if (msg.type === 'progress') {
          Object.assign(m.beat, { globalStep: msg.globalStep, totalSteps: msg.totalSteps, sps: msg.sps, episodes: msg.episodes, lastEval: msg.lastEval });
          continue;
        }
        appendFileSync(m.fd, `${JSON.stringify(message)}\n`);
        if (msg.type === 'checkpoint') pruneCheckpoints(m.ckptDir);
        if (msg.type === 'done') {
          if (!m.stopSent) writeBeat(m);
          closeSync(m.fd);
          m.closed = true;
        }
      }
      if (sent) setImmediate(sent);
    },
    onMessage(h) {
      handler = h;
    },
    onDisconnect() {},
  };
  runWorker(deps, transport);
  // scancel, a time limit or preemption send SIGTERM first: checkpoint and stop, like a pause
  process.on('SIGTERM', () => command({ type: 'pause' }));
  const backend = members[0]!.task.backend;
  const wire = members.map((m) => ({ runId: m.task.runId, config: m.task.config as never, checkpointDir: m.ckptDir, ...(from >= 0 ? { resumeFrom: checkpointFile(m.folder, from) } : {}) }));
  command(
    wire.length === 1
      ? { type: 'start', protocol: PROTOCOL_VERSION, ...wire[0]!, backend }
      : { type: 'start-group', protocol: PROTOCOL_VERSION, runs: wire, backend },
  );
}
