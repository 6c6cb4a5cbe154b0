// The run folder of a cluster task, inside the shared DIR (docs/cluster.md). The task on the node
// writes it and never opens the database; the lab's single writer reads it (./ingest.ts).
//   DIR/exp-<E>/submit-<K>.sh           the job array script of the K-th submission of experiment E
//   DIR/exp-<E>/logs/<job>_<task>.out   the task's stdout/stderr (Slurm writes it)
//   DIR/exp-<E>/run-<R>/task.json       what to train: run id, config, backend, attempt (atomic)
//   .../run-<R>/reports-NNNN.jsonl      append-only: the worker protocol's reports (metrics, episodes,
//                                       evaluations, trajectories, checkpoints, logs, ready, done), one
//                                       JSON per line, in the order the training loop produced them.
//                                       Each start of the task (first start, resubmission, Slurm requeue)
//                                       opens the next NNNN, whose first line names the checkpoint it
//                                       resumes from. A line counts once it ends with a newline.
//   .../run-<R>/checkpoints/step-N.ckpt written atomically (tmp + fsync + rename); the newest 3 kept
//   .../run-<R>/heartbeat.json          rewritten atomically every few seconds: time, host, pid, job,
//                                       task, step, total, steps/s
//   .../run-<R>/control.json            written by the lab to stop this run alone while the other runs
//                                       of its seed group's task go on (cancel, or cancel and delete
//                                       the folder); the task polls it
// One ordered report file (rather than one file per kind) keeps the order between metrics,
// evaluations and checkpoints that resuming from a checkpoint relies on.
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, readSync, renameSync, writeFileSync, fstatSync } from 'node:fs';
import { join } from 'node:path';
import type { RunConfig } from '../../src-core/train/types.ts';
import { checkpointFileName } from '../worker/checkpoint-file.ts';

export const TASK_FILE = 'task.json';
export const HEARTBEAT_FILE = 'heartbeat.json';
export const CHECKPOINTS = 'checkpoints';
export const CONTROL_FILE = 'control.json';

/** What the lab asks of one run of a live seed-group task: stop it (and remove its folder, for a delete). */
export interface ControlRequest {
  action: 'cancel' | 'delete';
  time: number;
}

export interface TaskFile {
  runId: number;
  config: RunConfig;
  /** Tensor backend the task asks for (auto, tensorflow, wasm, cpu). */
  backend: string;
  /** Submission number of this run (1 for the first, +1 per `lab runs resume`). */
  attempt: number;
  appVersion?: string;
}

/** First line of every reports file. */
export interface SegmentHeader {
  type: 'segment';
  segment: number;
  attempt: number;
  /** Step of the checkpoint this start resumes from, -1 for none (a fresh start). */
  resumeFrom: number;
  checkpoint: { file: string; size: number } | null;
  jobId: string | null;
  taskId: number | null;
  /** The runs this start of the task trains together (a seed group when more than one). */
  group?: number[];
  /** SLURM_RESTART_COUNT: how many times Slurm requeued this task. */
  restarts: number;
  host: string;
  pid: number;
  time: number;
}

export interface Heartbeat {
  time: number;
  host: string;
  pid: number;
  jobId: string | null;
  taskId: number | null;
  segment: number;
  globalStep: number;
  totalSteps: number;
  sps: number;
  episodes: number;
  lastEval: Record<string, number>;
}

export function experimentDir(workdir: string, experimentId: number): string {
  return join(workdir, `exp-${experimentId}`);
}

export function runFolder(workdir: string, experimentId: number, runId: number): string {
  return join(experimentDir(workdir, experimentId), `run-${runId}`);
}

export function reportsFile(folder: string, segment: number): string {
  return join(folder, `reports-${String(segment).padStart(4, '0')}.jsonl`);
}

/** Segment numbers of the reports files present, ascending. */
export function segments(folder: string): number[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .map((f) => /^reports-(\d{4,})\.jsonl$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

/** Write a small file atomically (tmp, fsync, rename): readers see the old or the new content. */
export function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeFileSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** Steps of the complete checkpoint files in a run folder's checkpoints folder, ascending (torn `.tmp-` files are not counted). */
export function checkpointSteps(folder: string): number[] {
  const dir = join(folder, CHECKPOINTS);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => /^step-(\d+)\.ckpt$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

export function checkpointFile(folder: string, step: number): string {
  return join(folder, CHECKPOINTS, checkpointFileName(step));
}

export function readControl(folder: string): ControlRequest | null {
  try {
    const c = JSON.parse(readFileSync(join(folder, CONTROL_FILE), 'utf8')) as ControlRequest;
    return c.action === 'cancel' || c.action === 'delete' ? c : null;
  } catch {
    return null;
  }
}

export function writeControl(folder: string, action: ControlRequest['action']): void {
  writeAtomic(join(folder, CONTROL_FILE), `${JSON.stringify({ action, time: Date.now() / 1000 })}\n`);
}

export function readTaskFile(folder: string): TaskFile {
  const file = join(folder, TASK_FILE);
  let t: TaskFile;
  try {
    t = JSON.parse(readFileSync(file, 'utf8')) as TaskFile;
  } catch (err) {
    throw new Error(`${file} cannot be read as a task file: ${(err as Error).message}`);
  }
  if (!Number.isInteger(t.runId) || typeof t.config !== 'object' || t.config === null || !Number.isInteger(t.attempt)) {
    throw new Error(`${file} is not a task file (needs runId, config and attempt)`);
  }
  return t;
}

export function readHeartbeat(folder: string): Heartbeat | null {
  try {
    return JSON.parse(readFileSync(join(folder, HEARTBEAT_FILE), 'utf8')) as Heartbeat;
  } catch {
    return null;
  }
}

/**
 * The complete lines of `file` from byte `offset` on (a last line without its newline is not yet
 * written, or torn by a kill: left for later). Returns the lines and the offset after the last one.
 */
export function readNewLines(file: string, offset: number): { lines: string[]; offset: number } {
  if (!existsSync(file)) return { lines: [], offset };
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size <= offset) return { lines: [], offset };
    const buf = Buffer.alloc(size - offset);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    const end = buf.lastIndexOf(0x0a, got - 1);
    if (end < 0) return { lines: [], offset };
    const lines = buf.subarray(0, end).toString('utf8').split('\n');
    return { lines, offset: offset + end + 1 };
  } finally {
    closeSync(fd);
  }
}
