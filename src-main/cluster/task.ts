// The cluster task: what one Slurm array task runs on its node (`lab cluster task FOLDER`). It is
// the training worker of src-main/worker (same loop, same reports) with a run folder in place of
// the IPC channel to main: every report is appended as one JSON line to this start's reports file,
// checkpoints are written atomically into the folder, progress goes to a heartbeat file. It never
// opens the database. On start it resumes from the newest complete checkpoint in the folder (a
// resubmission or a Slurm requeue), and SIGTERM (scancel, time limit, preemption) makes it write a
// checkpoint and stop, as a pause does locally.
import { appendFileSync, closeSync, mkdirSync, openSync, readdirSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { PROTOCOL_VERSION } from '../../src-core/contract/worker-protocol.ts';
import { runWorker, type WorkerDeps } from '../worker/run-worker.ts';
import type { WorkerTransport } from '../worker/transport.ts';
import {
  CHECKPOINTS,
  HEARTBEAT_FILE,
  readTaskFile,
  reportsFile,
  segments,
  writeAtomic,
  type Heartbeat,
  type SegmentHeader,
} from './run-folder.ts';

const HEARTBEAT_MS = 2000;
const KEEP_CHECKPOINTS = 3;

/** The newest complete checkpoint file of the folder (torn `.tmp-` files of a killed task are removed). */
export function newestCheckpoint(dir: string): { step: number; file: string; size: number } | null {
  let best: { step: number; file: string; size: number } | null = null;
  for (const f of readdirSync(dir)) {
    if (f.includes('.tmp-')) {
      rmSync(join(dir, f), { force: true });
      continue;
    }
    const m = /^step-(\d+)\.ckpt$/.exec(f);
    if (m && (!best || Number(m[1]) > best.step)) best = { step: Number(m[1]), file: join(dir, f), size: statSync(join(dir, f)).size };
  }
  return best;
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

export function runClusterTask(folder: string, deps: WorkerDeps, env: NodeJS.ProcessEnv = process.env): void {
  const task = readTaskFile(folder);
  const ckptDir = join(folder, CHECKPOINTS);
  mkdirSync(ckptDir, { recursive: true });
  const from = newestCheckpoint(ckptDir);
  const { segment, fd } = openNextSegment(folder);
  const jobId = env.SLURM_ARRAY_JOB_ID ?? env.SLURM_JOB_ID ?? null;
  const taskId = env.SLURM_ARRAY_TASK_ID !== undefined ? Number(env.SLURM_ARRAY_TASK_ID) : null;
  const header: SegmentHeader = {
    type: 'segment',
    segment,
    attempt: task.attempt,
    resumeFrom: from?.step ?? -1,
    checkpoint: from ? { file: from.file, size: from.size } : null,
    jobId,
    taskId,
    restarts: Number(env.SLURM_RESTART_COUNT ?? 0),
    host: hostname(),
    pid: process.pid,
    time: Date.now() / 1000,
  };
  const append = (obj: unknown) => appendFileSync(fd, `${JSON.stringify(obj)}\n`);
  append(header);

  const beat: Heartbeat = { time: 0, host: header.host, pid: process.pid, jobId, taskId, segment, globalStep: Math.max(0, header.resumeFrom), totalSteps: task.config.totalSteps, sps: 0, episodes: 0, lastEval: {} };
  const writeBeat = () => {
    beat.time = Date.now() / 1000;
    try {
      writeAtomic(join(folder, HEARTBEAT_FILE), `${JSON.stringify(beat)}\n`);
    } catch {
      // a missed heartbeat is not worth stopping training for
    }
  };
  writeBeat();
  setInterval(writeBeat, HEARTBEAT_MS).unref();

  let handler: (m: unknown) => void = () => {};
  const transport: WorkerTransport = {
    send(message, sent) {
      const m = message as { type: string; globalStep?: number; totalSteps?: number; sps?: number; episodes?: number; lastEval?: Record<string, number> };
      if (m.type === 'progress') {
        Object.assign(beat, { globalStep: m.globalStep, totalSteps: m.totalSteps, sps: m.sps, episodes: m.episodes, lastEval: m.lastEval });
      } else if (m.type !== 'ack') {
        append(message);
        if (m.type === 'checkpoint') pruneCheckpoints(ckptDir);
        if (m.type === 'done') {
          writeBeat();
          closeSync(fd);
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
  process.on('SIGTERM', () => handler({ seq: 2, type: 'pause' }));
  handler({
    seq: 1,
    type: 'start',
    protocol: PROTOCOL_VERSION,
    runId: task.runId,
    config: task.config,
    checkpointDir: ckptDir,
    ...(from ? { resumeFrom: from.file } : {}),
    backend: task.backend,
  });
}
