// The training worker: one run, or one seed group of K runs, per process (architecture principle 5;
// issue 12). It waits for `start` (or `start-group`), selects the tensor backend, says `ready`,
// runs src-core/train through the injected trainer factory and streams what the loop reports to
// main over the typed, sequence-numbered protocol (src-core/contract/worker-protocol.ts). It never
// opens the database. `pause` stops the loop, which writes a checkpoint first; `cancel` stops it
// for good; `stop-run` does either to one member of a group. Every per-run message carries its run
// id and each run ends with its own `done`; the process exits after the last. Metrics and episodes
// are sent in batches (every 250 ms or 2,000 items) and always flushed before an evaluation, a checkpoint or
// `done`, so main sees them in the order the loop produced them. Instead of `start`, the same
// process can take one `preview` (a stored policy's episode for the Environments view) or one
// `landscape` job (issue 15: Q landscapes and critical-state scores) or one rollout `fan` and exit.
import { readFileSync, statSync } from 'node:fs';
import {
  Command,
  PROTOCOL_VERSION,
  Receiver,
  SeqCounter,
  encodeEpisodes,
  encodeMetrics,
  encodeTrajectory,
  type FanJob,
  type GroupMember,
  type LandscapeJob,
  type PreviewJob,
  type WorkerMessageBody,
} from '../../src-core/contract/worker-protocol.ts';
import type { PreviewResult } from '../../src-core/contract/methods/scenes.ts';
import type { CriticalResult, FanResult, LandscapeResult } from '../../src-core/contract/methods/analysis.ts';
import type { GroupTrainer, MetricPoint, RunConfig, RunOutcome, TrainCallbacks, Trainer, TrainingEpisode } from '../../src-core/train/types.ts';
import { trainersAsGroup } from './group.ts';
import { writeCheckpointAtomic } from './checkpoint-file.ts';
import { parentTransport, type WorkerTransport } from './transport.ts';

export interface WorkerDeps {
  /** Start the requested backend (falling back to the automatic choice if it cannot: `fallback` says why). */
  /** `shape`: the run's algorithm, hidden sizes and seed batch (auto picks webgpu only where measured faster for it). */
  initBackend(requested?: string, shape?: { algo: string; hidden: number[]; K: number }): Promise<{ backend: string; reason: string; versions: Record<string, string>; requested?: string; fallback?: string | null; kernelFallbacks?: string[] }>;
  /** What the engine knows about a failure beyond the error itself (a lost GPU device and why), or null. */
  failureCause?(): string | null | Promise<string | null>;
  /** Versions of the engine the run's environment needs (MuJoCo for hopper, opencat), loading it; recorded with the run. */
  envVersions?(envId: string): Promise<Record<string, string>>;
  createTrainer(config: RunConfig, callbacks: TrainCallbacks, opts?: { resume?: Uint8Array }): Trainer | Promise<Trainer>;
  /** A seed group's trainer for K >= 2 configs that differ only in seed (absent: this worker refuses groups). */
  createGroupTrainer?(configs: RunConfig[], callbacks: TrainCallbacks[], opts: { resume: (Uint8Array | undefined)[] }): GroupTrainer | Promise<GroupTrainer>;
  /** A stored-policy preview job (absent: this worker refuses previews). */
  preview?(job: PreviewJob, backend?: string): Promise<{ result: PreviewResult; backend: string }>;
  /** A rollout fan job (absent: this worker refuses them). */
  fan?(job: FanJob, backend?: string): Promise<{ result: FanResult; backend: string }>;
  /** A landscape job (absent: this worker refuses them). */
  landscape?(job: LandscapeJob, backend?: string): Promise<{ landscape?: LandscapeResult; critical?: CriticalResult; backend: string }>;
}

const FLUSH_MS = 250;
const FLUSH_ITEMS = 2000;
const PROGRESS_MS = 250;

/** What the worker buffers for one run of its group. */
interface RunSink {
  runId: number;
  checkpointDir: string;
  metrics: MetricPoint[];
  episodes: TrainingEpisode[];
  lastProgressAt: number;
  pendingProgress: WorkerMessageBody | null;
  /** Stopped alone (`stop-run`). */
  stop: 'pause' | 'cancel' | null;
}

export function runWorker(deps: WorkerDeps, transport: WorkerTransport = parentTransport()): void {
  const seq = new SeqCounter();
  const receiver = new Receiver(Command, 'main');
  let started = false;
  let stop: 'pause' | 'cancel' | null = null;
  const sinks = new Map<number, RunSink>();
  let groupRef: GroupTrainer | null = null;
  let flushTimer: ReturnType<typeof setTimeout> | null = null;

  const send = (body: WorkerMessageBody, sent?: () => void) => transport.send({ ...body, seq: seq.next() }, sent);

  const flushRun = (r: RunSink) => {
    if (r.metrics.length > 0) {
      send({ ...encodeMetrics(r.metrics), runId: r.runId });
      r.metrics = [];
    }
    if (r.episodes.length > 0) {
      send({ ...encodeEpisodes(r.episodes), runId: r.runId });
      r.episodes = [];
    }
  };
  const flush = () => {
    if (flushTimer) {
      clearTimeout(flushTimer);
      flushTimer = null;
    }
    for (const r of sinks.values()) flushRun(r);
  };
  const scheduleFlush = (r: RunSink) => {
    if (r.metrics.length + r.episodes.length >= FLUSH_ITEMS) flushRun(r);
    else if (!flushTimer) flushTimer = setTimeout(flush, FLUSH_MS);
  };

  let failing = false;
  const fail = (err: unknown, code = 1) => {
    if (failing) return; // the first failure is the one reported; the process is on its way out
    failing = true;
    try {
      flush();
    } catch {
      // nothing more to save
    }
    const e = err instanceof Error ? err : new Error(String(err));
    const path = (e as { path?: unknown }).path; // a preview's bad-input error names the field
    void (async () => {
      const cause = await Promise.resolve(deps.failureCause?.()).catch(() => null);
      send({ type: 'error', message: cause ? `${cause} (then: ${e.message})` : e.message, stack: e.stack, ...(typeof path === 'string' ? { path } : {}) }, () => process.exit(code));
    })();
    setTimeout(() => process.exit(code), 3000).unref();
  };

  // Ctrl-C in a terminal signals the whole process group: main decides (it sends pause), so the
  // worker must not die of the SIGINT itself.
  process.on('SIGINT', () => {});
  process.on('uncaughtException', (err) => fail(err));
  process.on('unhandledRejection', (err) => fail(err));
  transport.onDisconnect(() => process.exit(0)); // main died: nobody would store what we compute

  /** The loop's callbacks for one run: everything it reports goes out tagged with the run id. */
  function callbacksFor(r: RunSink): TrainCallbacks {
    const runId = r.runId;
    return {
      onMetrics(batch) {
        for (const p of batch) r.metrics.push(p);
        scheduleFlush(r);
      },
      onEpisode(e) {
        r.episodes.push(e);
        scheduleFlush(r);
      },
      onEvaluation(e) {
        flushRun(r);
        send({ type: 'evaluation', runId, step: e.step, mode: e.mode, returns: e.returns.map((v) => (v === v ? v : null)), lengths: e.lengths, startSeeds: e.startSeeds, wallTime: e.wallTime });
      },
      onTrajectory(t) {
        flushRun(r);
        send({ ...encodeTrajectory(t), runId });
      },
      onProgress(p) {
        r.pendingProgress = { type: 'progress', runId, globalStep: p.globalStep, totalSteps: p.totalSteps, sps: p.sps, episodes: p.episodes, lastEval: p.lastEval };
        const now = Date.now();
        if (now - r.lastProgressAt >= PROGRESS_MS) {
          r.lastProgressAt = now;
          send(r.pendingProgress);
          r.pendingProgress = null;
        }
      },
      onCheckpoint({ step, bytes }) {
        flushRun(r);
        if (r.stop === 'cancel') return; // cancelled alone: main has already closed this run (it may be deleted)
        const file = writeCheckpointAtomic(r.checkpointDir, step, bytes);
        send({ type: 'checkpoint', runId, step, file, size: statSync(file).size });
      },
      onLog(level, message) {
        send({ type: 'log', runId, level, message });
      },
    };
  }

  /** One run (`start`) or a seed group (`start-group`): K members, each ending with its own `done`. */
  async function start(members: GroupMember[], backendRequested: string | undefined): Promise<void> {
    const configs = members.map((m) => m.config as RunConfig);
    const hidden = (configs[0]!.algoConfig as { hidden?: number[] }).hidden ?? [];
    const { backend, reason, versions, requested, fallback, kernelFallbacks } = await deps.initBackend(backendRequested, { algo: configs[0]!.algo, hidden, K: members.length });
    const envVersions = (await deps.envVersions?.(configs[0]!.env.id)) ?? {};
    send({
      type: 'ready',
      protocol: PROTOCOL_VERSION,
      backend,
      backendReason: reason,
      ...(requested ? { backendRequested: requested } : {}),
      ...(fallback ? { backendFallback: fallback } : {}),
      versions: { ...versions, ...envVersions },
      pid: process.pid,
    });
    const list = members.map((m) => {
      const r: RunSink = { runId: m.runId, checkpointDir: m.checkpointDir, metrics: [], episodes: [], lastProgressAt: 0, pendingProgress: null, stop: null };
      sinks.set(m.runId, r);
      return r;
    });
    // the fast paths this backend cannot take, once in each run's log (src-core/nn/kernel_paths.ts)
    for (const r of list) for (const f of kernelFallbacks ?? []) send({ type: 'log', runId: r.runId, level: 'info', message: `backend ${backend}, fallback: ${f}` });
    const resume = members.map((m) => (m.resumeFrom ? new Uint8Array(readFileSync(m.resumeFrom)) : undefined));
    const callbacks = list.map(callbacksFor);
    let group: GroupTrainer;
    if (members.length === 1) group = trainersAsGroup([await deps.createTrainer(configs[0]!, callbacks[0]!, { resume: resume[0] })]);
    else if (deps.createGroupTrainer) group = await deps.createGroupTrainer(configs, callbacks, { resume });
    else throw new Error('this worker does not train seed groups');
    groupRef = group;
    list.forEach((r, k) => r.stop && group.cancel(k)); // stop-run that arrived while the group was being built
    const outcomes = await group.run(() => stop !== null);
    const sent = outcomes.map((outcome: RunOutcome, k) => {
      const r = list[k]!;
      flushRun(r);
      if (r.pendingProgress) send(r.pendingProgress);
      const why = r.stop ?? stop;
      const done = outcome === 'completed' ? 'completed' : why === 'cancel' ? 'cancelled' : 'paused';
      return new Promise<void>((resolve) => send({ type: 'done', runId: r.runId, outcome: done, globalStep: group.globalStep(k) }, resolve));
    });
    group.dispose();
    await Promise.all(sent);
    process.exit(0);
  }

  async function preview(cmd: Extract<Command, { type: 'preview' }>): Promise<void> {
    if (!deps.preview) throw new Error('this worker does not run previews');
    const { result, backend } = await deps.preview(cmd.job, cmd.backend);
    send({ type: 'preview', backend, result }, () => process.exit(0));
  }

  async function fan(cmd: Extract<Command, { type: 'fan' }>): Promise<void> {
    if (!deps.fan) throw new Error('this worker does not run rollout fans');
    const { result, backend } = await deps.fan(cmd.job, cmd.backend);
    send({ type: 'fan', backend, result }, () => process.exit(0));
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
    if (cmd.type === 'start' || cmd.type === 'start-group') {
      if (started) return fail(new Error(`${cmd.type} received after another job`), 2);
      started = true;
      const members = cmd.type === 'start' ? [{ runId: cmd.runId, config: cmd.config, checkpointDir: cmd.checkpointDir, resumeFrom: cmd.resumeFrom }] : cmd.runs;
      start(members, cmd.backend).catch((err) => fail(err));
    } else if (cmd.type === 'stop-run') {
      const k = [...sinks.keys()].indexOf(cmd.runId);
      if (k < 0) return fail(new Error(`stop-run: run ${cmd.runId} is not in this worker`), 2);
      const r = sinks.get(cmd.runId)!;
      if (r.stop !== 'cancel') r.stop = cmd.how;
      groupRef?.cancel(k); // before the group exists, the member stops at its first step boundary
    } else if (cmd.type === 'preview') {
      if (started) return fail(new Error('a worker runs one job: preview received after another'), 2);
      started = true;
      preview(cmd).catch((err) => fail(err));
    } else if (cmd.type === 'fan') {
      if (started) return fail(new Error('a worker runs one job: fan received after another'), 2);
      started = true;
      fan(cmd).catch((err) => fail(err));
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
