// Recording a run that trains in this process (`lab train`) into the store: the same rows the run
// manager writes for a worker, from the training loop's callbacks. Usage in a verb:
//   const sink = recordRunToStore(store, config, { backend, versions });
//   const trainer = createTrainer(config, combineCallbacks(myCallbacks, sink.callbacks));
//   ... after writing a checkpoint file: sink.recordCheckpoint(step, file, size);
//   sink.finish(outcome === 'completed' ? 'completed' : 'paused');
// Resuming (same run id): recordRunToStore(store, config, { runId, resumeStep }) deletes what the
// run recorded after resumeStep first, so nothing is stored twice.
import type { RunConfig, TrainCallbacks, TrainingEpisode } from '../../src-core/train/types.ts';
import type { RunStatus, Store } from '../store/index.ts';

export interface StoreSink {
  runId: number;
  callbacks: TrainCallbacks;
  recordCheckpoint(step: number, file: string, size: number): void;
  /** Flush and set the final status (paused keeps it resumable). */
  finish(status: Extract<RunStatus, 'completed' | 'paused' | 'failed' | 'interrupted' | 'cancelled'>, reason?: string): void;
}

export interface SinkOptions {
  runId?: number;
  resumeStep?: number;
  experimentId?: number;
  label?: string;
  tags?: string[];
  backend?: string;
  versions?: Record<string, string>;
}

export function recordRunToStore(store: Store, config: RunConfig, opts: SinkOptions = {}): StoreSink {
  let runId: number;
  if (opts.runId !== undefined) {
    runId = store.runs.require(opts.runId).id;
    const stale = store.rollbackAfter(runId, opts.resumeStep ?? -1);
    void stale; // checkpoint files of `lab train` live in its own folder, which it manages
  } else {
    runId = store.runs.insert(config, { experimentId: opts.experimentId, label: opts.label, tags: opts.tags });
  }
  store.runs.markStarted(runId, process.pid);
  if (opts.backend) store.runs.setReady(runId, opts.backend, opts.versions ?? {});
  let episodes: TrainingEpisode[] = [];
  let lastStepWrite = 0;
  const flushEpisodes = () => {
    if (episodes.length === 0) return;
    const batch = episodes;
    episodes = [];
    store.tx(() => {
      for (const e of batch) store.episodes.insert(runId, e);
    });
  };
  const callbacks: TrainCallbacks = {
    onMetrics(batch) {
      store.metrics.append(runId, batch);
      if (episodes.length >= 500) flushEpisodes();
    },
    onEpisode(e) {
      episodes.push(e);
    },
    onEvaluation(e) {
      flushEpisodes();
      store.tx(() => {
        const rec = store.evaluations.insert(runId, e);
        store.runs.setLastEval(runId, e.mode, rec.meanReturn);
      });
    },
    onTrajectory(t) {
      store.trajectories.insert(runId, t);
    },
    onProgress(p) {
      const now = Date.now();
      if (now - lastStepWrite >= 1000) {
        lastStepWrite = now;
        store.runs.setGlobalStep(runId, p.globalStep);
      }
    },
    onLog(level, message) {
      store.logs.insert(runId, level, message);
    },
  };
  return {
    runId,
    callbacks,
    recordCheckpoint(step, file, size) {
      flushEpisodes();
      store.tx(() => {
        store.checkpoints.insert(runId, step, file, size);
        store.runs.setGlobalStep(runId, step);
      });
    },
    finish(status, reason) {
      flushEpisodes();
      if (status === 'paused') store.runs.setStatus(runId, 'paused', reason ?? null);
      else store.runs.markEnded(runId, status, reason ?? null);
    },
  };
}

/** Call both sets of callbacks (the verb's own, then the store's); onCheckpoint awaits both. */
export function combineCallbacks(a: TrainCallbacks, b: TrainCallbacks): TrainCallbacks {
  const keys = ['onMetrics', 'onEpisode', 'onEvaluation', 'onTrajectory', 'onProgress', 'onLog'] as const;
  const out: TrainCallbacks = {};
  for (const k of keys) {
    const fa = a[k] as ((...args: unknown[]) => void) | undefined;
    const fb = b[k] as ((...args: unknown[]) => void) | undefined;
    if (fa || fb) (out as Record<string, unknown>)[k] = (...args: unknown[]) => {
      fa?.(...args);
      fb?.(...args);
    };
  }
  if (a.onCheckpoint || b.onCheckpoint) {
    out.onCheckpoint = async (c) => {
      await a.onCheckpoint?.(c);
      await b.onCheckpoint?.(c);
    };
  }
  return out;
}
