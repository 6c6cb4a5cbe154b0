// The training worker: one run per process (architecture principle 5). It waits for `start`,
// selects the tensor backend, says `ready`, runs src-core/train through the injected trainer
// factory and streams what the loop reports to main over the typed, sequence-numbered protocol
// (src-core/contract/worker-protocol.ts). It never opens the database. `pause` stops the loop,
// which writes a checkpoint first; `cancel` stops it for good. Metrics and episodes are sent in
// batches (every 250 ms or 2,000 items) and always flushed before an evaluation, a checkpoint or
// `done`, so main sees them in the order the loop produced them. Instead of `start`, the same
// process can take one `preview` (a stored policy's episode for the Environments view) or one
// `landscape` job (issue 15: Q landscapes and critical-state scores) and exit.
import { readFileSync, statSync } from 'node:fs';
import {
  Command,
  PROTOCOL_VERSION,
  Receiver,
  SeqCounter,
  encodeEpisodes,
  encodeMetrics,
  encodeTrajectory,
  type LandscapeJob,
  type PreviewJob,
  type WorkerMessageBody,
} from '../../src-core/contract/worker-protocol.ts';
import type { PreviewResult } from '../../src-core/contract/methods/scenes.ts';
import type { CriticalResult, LandscapeResult } from '../../src-core/contract/methods/analysis.ts';
import type { MetricPoint, RunConfig, TrainCallbacks, Trainer, TrainingEpisode } from '../../src-core/train/types.ts';
import { writeCheckpointAtomic } from './checkpoint-file.ts';
import { parentTransport, type WorkerTransport } from './transport.ts';

export interface WorkerDeps {
  /** Start the requested backend (falling back to the automatic choice if it cannot: `fallback` says why). */
  initBackend(requested?: string): Promise<{ backend: string; reason: string; versions: Record<string, string>; requested?: string; fallback?: string | null }>;
  createTrainer(config: RunConfig, callbacks: TrainCallbacks, opts?: { resume?: Uint8Array }): Trainer | Promise<Trainer>;
  /** A stored-policy preview job (absent: this worker refuses previews). */
  preview?(job: PreviewJob, backend?: string): Promise<{ result: PreviewResult; backend: string }>;
  /** A landscape job (absent: this worker refuses them). */
  landscape?(job: LandscapeJob, backend?: string): Promise<{ landscape?: LandscapeResult; critical?: CriticalResult; backend: string }>;
}

const FLUSH_MS = 250;
const FLUSH_ITEMS = 2000;
const PROGRESS_MS = 250;

export function runWorker(deps: WorkerDeps, transport: WorkerTransport = parentTransport()): void {
  const seq = new SeqCounter();
  const receiver = new Receiver(Command, 'main');
  let started = false;
  let stop: 'pause' | 'cancel' | null = null;
  let metrics: MetricPoint[] = [];
  let episodes: TrainingEpisode[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  let lastProgressAt = 0;
  let pendingProgress: WorkerMessageBody | null = null;

  const send = (body: WorkerMessageBody, sent?: () => void) => transport.send({ ...body, seq: seq.next() }, sent);

  const flush = () => {
    if (flushTimer) {
      clearTimeout(flushTimer);
      flushTimer = null;
    }
    if (metrics.length > 0) {
      send(encodeMetrics(metrics));
      metrics = [];
    }
    if (episodes.length > 0) {
      send(encodeEpisodes(episodes));
      episodes = [];
    }
  };
  const scheduleFlush = () => {
    if (metrics.length + episodes.length >= FLUSH_ITEMS) flush();
    else if (!flushTimer) flushTimer = setTimeout(flush, FLUSH_MS);
  };

  const fail = (err: unknown, code = 1) => {
    try {
      flush();
    } catch {
      // nothing more to save
    }
    const e = err instanceof Error ? err : new Error(String(err));
    const path = (e as { path?: unknown }).path; // a preview's bad-input error names the field
    send({ type: 'error', message: e.message, stack: e.stack, ...(typeof path === 'string' ? { path } : {}) }, () => process.exit(code));
    setTimeout(() => process.exit(code), 2000).unref();
  };

  // Ctrl-C in a terminal signals the whole process group: main decides (it sends pause), so the
  // worker must not die of the SIGINT itself.
  process.on('SIGINT', () => {});
  process.on('uncaughtException', (err) => fail(err));
  process.on('unhandledRejection', (err) => fail(err));
  transport.onDisconnect(() => process.exit(0)); // main died: nobody would store what we compute

  async function start(cmd: Extract<Command, { type: 'start' }>): Promise<void> {
    const { backend, reason, versions, requested, fallback } = await deps.initBackend(cmd.backend);
    send({
      type: 'ready',
      protocol: PROTOCOL_VERSION,
      backend,
      backendReason: reason,
      ...(requested ? { backendRequested: requested } : {}),
      ...(fallback ? { backendFallback: fallback } : {}),
      versions,
      pid: process.pid,
    });
    const resume = cmd.resumeFrom ? new Uint8Array(readFileSync(cmd.resumeFrom)) : undefined;
    const callbacks: TrainCallbacks = {
      onMetrics(batch) {
        for (const p of batch) metrics.push(p);
        scheduleFlush();
      },
      onEpisode(e) {
        episodes.push(e);
        scheduleFlush();
      },
      onEvaluation(e) {
        flush();
        send({ type: 'evaluation', step: e.step, mode: e.mode, returns: e.returns.map((r) => (r === r ? r : null)), lengths: e.lengths, startSeeds: e.startSeeds, wallTime: e.wallTime });
      },
      onTrajectory(t) {
        flush();
        send(encodeTrajectory(t));
      },
      onProgress(p) {
        pendingProgress = { type: 'progress', globalStep: p.globalStep, totalSteps: p.totalSteps, sps: p.sps, episodes: p.episodes, lastEval: p.lastEval };
        const now = Date.now();
        if (now - lastProgressAt >= PROGRESS_MS) {
          lastProgressAt = now;
          send(pendingProgress);
          pendingProgress = null;
        }
      },
      onCheckpoint({ step, bytes }) {
        flush();
        const file = writeCheckpointAtomic(cmd.checkpointDir, step, bytes);
        send({ type: 'checkpoint', step, file, size: statSync(file).size });
      },
      onLog(level, message) {
        send({ type: 'log', level, message });
      },
    };
    const trainer = await deps.createTrainer(cmd.config as RunConfig, callbacks, { resume });
    const outcome = await trainer.run(() => stop !== null);
    const globalStep = trainer.globalStep;
    trainer.dispose();
    flush();
    if (pendingProgress) send(pendingProgress);
    const done = outcome === 'completed' ? 'completed' : stop === 'cancel' ? 'cancelled' : 'paused';
    send({ type: 'done', outcome: done, globalStep }, () => process.exit(0));
  }

  async function preview(cmd: Extract<Command, { type: 'preview' }>): Promise<void> {
    if (!deps.preview) throw new Error('this worker does not run previews');
    const { result, backend } = await deps.preview(cmd.job, cmd.backend);
    send({ type: 'preview', backend, result }, () => process.exit(0));
  }

  async function landscape(cmd: Extract<Command, { type: 'landscape' }>): Promise<void> {
    if (!deps.landscape) throw new Error('this worker does not run landscape jobs');
    const r = await deps.landscape(cmd.job, cmd.backend);
    send({ type: 'landscape', backend: r.backend, ...(r.landscape ? { landscape: r.landscape } : {}), ...(r.critical ? { critical: r.critical } : {}) }, () => process.exit(0));
  }

  transport.onMessage((raw) => {
    let cmd: Command;
    try {
      cmd = receiver.accept(raw);
    } catch (err) {
      fail(err, 2);
      return;
    }
    send({ type: 'ack', re: cmd.seq });
    if (cmd.type === 'start') {
      if (started) return fail(new Error('start received twice'), 2);
      started = true;
      start(cmd).catch((err) => fail(err));
    } else if (cmd.type === 'preview') {
      if (started) return fail(new Error('a worker runs one job: preview received after another'), 2);
      started = true;
      preview(cmd).catch((err) => fail(err));
    } else if (cmd.type === 'landscape') {
      if (started) return fail(new Error('a worker runs one job: landscape received after another'), 2);
      started = true;
      landscape(cmd).catch((err) => fail(err));
    } else if (cmd.type === 'pause') {
      stop ??= 'pause';
    } else if (cmd.type === 'cancel') {
      stop = 'cancel';
      if (!started) send({ type: 'done', outcome: 'cancelled', globalStep: 0 }, () => process.exit(0));
    }
  });
}
