// `lab train`'s record in the store: the run folder stays the verb's own record, and the same run
// is written to the lab database (--db, $LAB_DB or the per-user default) through recordRunToStore.
// The folder remembers which database row it is (store.json: {db, runId}), so `lab train --resume
// DIR` continues the same run id, after deleting what that row recorded past the checkpoint.
// Use: const ts = openTrainStore(dbFlag) after validating flags; ts.begin({...}) once the folder exists.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunConfig, TrainCallbacks } from '../../src-core/train/types.ts';
import type { Store } from '../store/index.ts';
import { openStoreForCli } from './cli-support.ts';
import { recordRunToStore } from './store-sink.ts';

export interface TrainStoreSink {
  runId: number;
  dbPath: string;
  callbacks: TrainCallbacks;
  /** After the verb wrote a checkpoint file: record it (rows of files the folder pruned are dropped). */
  checkpoint(step: number, file: string): void;
  finish(outcome: 'completed' | 'stopped' | 'failed', reason?: string): void;
}

export interface TrainSinkOptions {
  folderDir: string;
  config: RunConfig;
  /** Set when resuming from the folder's checkpoint at this step. */
  resumeStep?: number;
  backend: { backend: string; versions: Record<string, string> };
}

/** The database `lab train` records into; opening it first makes a bad --db a UsageError before any write. */
export interface TrainStore {
  dbPath: string;
  /** Create (or, when resuming a linked folder, continue) the run row and return its sink. */
  begin(o: TrainSinkOptions): TrainStoreSink;
}

export function openTrainStore(dbFlag: string | undefined): TrainStore {
  const store: Store = openStoreForCli(dbFlag);
  process.once('exit', () => store.close());
  return { dbPath: store.path, begin: (o) => begin(store, o) };
}

function begin(store: Store, o: TrainSinkOptions): TrainStoreSink {
  const linkFile = join(o.folderDir, 'store.json');
  let link: { db: string; runId: number } | undefined;
  if (o.resumeStep !== undefined && existsSync(linkFile)) {
    try {
      link = JSON.parse(readFileSync(linkFile, 'utf8'));
    } catch {
      link = undefined;
    }
  }
  const same = link && link.db === store.path && store.runs.get(link.runId) !== undefined;
  const sink = same
    ? recordRunToStore(store, o.config, { runId: link!.runId, resumeStep: o.resumeStep, backend: o.backend.backend, versions: o.backend.versions })
    : recordRunToStore(store, o.config, { backend: o.backend.backend, versions: o.backend.versions, label: 'lab train' });
  mkdirSync(o.folderDir, { recursive: true });
  writeFileSync(linkFile, `${JSON.stringify({ db: store.path, runId: sink.runId })}\n`);
  return {
    runId: sink.runId,
    dbPath: store.path,
    callbacks: sink.callbacks,
    checkpoint(step, file) {
      sink.recordCheckpoint(step, file, statSync(file).size);
      for (const cp of store.checkpoints.list(sink.runId)) if (!existsSync(cp.file)) store.checkpoints.delete(cp.id);
    },
    finish(outcome, reason) {
      sink.finish(outcome === 'completed' ? 'completed' : outcome === 'stopped' ? 'paused' : 'interrupted', reason);
    },
  };
}
