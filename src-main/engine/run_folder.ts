// The run folder written by `lab train` (the record of a run until the run store holds it too):
//   config.json       the resolved RunConfig plus backend and versions
//   metrics.csv       key,step,wall_time,value (one row per metric point)
//   evaluations.csv   step,mode,episode,start_seed,return,length
//   checkpoints/      step-<N>.ckpt (the newest two kept) and LATEST naming the newest
// Writes are appends or write-then-rename, so an interrupted run never leaves a torn checkpoint.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Evaluation, MetricPoint, RunConfig } from '../../src-core/train/types.ts';
import type { BackendInfo } from './backend.ts';

const KEEP_CHECKPOINTS = 2;

export interface RunFolderMeta {
  config: RunConfig;
  backend: BackendInfo;
  createdAt: string;
}

export class RunFolder {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }

  get configPath(): string {
    return path.join(this.dir, 'config.json');
  }

  get checkpointDir(): string {
    return path.join(this.dir, 'checkpoints');
  }

  /** Create a fresh run folder; refuses a folder that already holds a run (nothing is overwritten). */
  create(meta: RunFolderMeta): void {
    if (existsSync(this.configPath)) throw new Error(`${this.dir} already holds a run (use --resume ${this.dir} to continue it, or another --out)`);
    mkdirSync(this.checkpointDir, { recursive: true });
    writeFileSync(this.configPath, JSON.stringify(meta, null, 2) + '\n');
    writeFileSync(path.join(this.dir, 'metrics.csv'), 'key,step,wall_time,value\n');
    writeFileSync(path.join(this.dir, 'evaluations.csv'), 'step,mode,episode,start_seed,return,length\n');
  }

  readMeta(): RunFolderMeta {
    if (!existsSync(this.configPath)) throw new Error(`${this.dir} is not a run folder (no config.json)`);
    return JSON.parse(readFileSync(this.configPath, 'utf8')) as RunFolderMeta;
  }

  appendMetrics(batch: MetricPoint[]): void {
    const lines = batch.map((m) => `${m.key},${m.step},${m.wallTime.toFixed(3)},${m.value}`).join('\n');
    appendFileSync(path.join(this.dir, 'metrics.csv'), lines + '\n');
  }

  appendEvaluation(e: Evaluation): void {
    const lines = e.returns.map((r, i) => `${e.step},${e.mode},${i},${e.startSeeds[i]},${r},${e.lengths[i]}`).join('\n');
    appendFileSync(path.join(this.dir, 'evaluations.csv'), lines + '\n');
  }

  writeCheckpoint(step: number, bytes: Uint8Array): string {
    const name = `step-${String(step).padStart(10, '0')}.ckpt`;
    const file = path.join(this.checkpointDir, name);
    writeFileSync(file + '.tmp', bytes);
    renameSync(file + '.tmp', file);
    writeFileSync(path.join(this.checkpointDir, 'LATEST.tmp'), name + '\n');
    renameSync(path.join(this.checkpointDir, 'LATEST.tmp'), path.join(this.checkpointDir, 'LATEST'));
    const all = readdirSync(this.checkpointDir).filter((f) => /^step-\d+\.ckpt$/.test(f)).sort();
    for (const old of all.slice(0, Math.max(0, all.length - KEEP_CHECKPOINTS))) rmSync(path.join(this.checkpointDir, old));
    return file;
  }

  /** The newest checkpoint's step and bytes. */
  latestCheckpoint(): { step: number; bytes: Uint8Array } {
    const latest = path.join(this.checkpointDir, 'LATEST');
    if (!existsSync(latest)) throw new Error(`${this.dir} has no checkpoint to resume from`);
    const name = readFileSync(latest, 'utf8').trim();
    const m = /^step-(\d+)\.ckpt$/.exec(name);
    if (!m) throw new Error(`${latest} names '${name}', not a checkpoint file`);
    return { step: Number(m[1]), bytes: new Uint8Array(readFileSync(path.join(this.checkpointDir, name))) };
  }

  /** Drop rows past `step` (written after the checkpoint by a run that then died) before resuming. */
  truncateAfter(step: number): void {
    for (const [file, col] of [['metrics.csv', 1], ['evaluations.csv', 0]] as const) {
      const p = path.join(this.dir, file);
      if (!existsSync(p)) continue;
      const lines = readFileSync(p, 'utf8').split('\n').filter((l) => l !== '');
      const kept = [lines[0]!, ...lines.slice(1).filter((l) => Number(l.split(',')[col]) <= step)];
      if (kept.length !== lines.length) writeFileSync(p, kept.join('\n') + '\n');
    }
  }
}
