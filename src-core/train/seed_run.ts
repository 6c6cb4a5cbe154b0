// One seed of a training group: everything a run owns apart from the (shared, seed-batched)
// networks: its environments and current episodes, replay buffer, random streams, counters,
// metric batching, callbacks, evaluations and checkpoints. The group loop (group_trainer.ts)
// drives K of these in lockstep around one SeedBatchedAgent; a run trained alone is a group of one.
// Checkpoints hold seed k's agent state in the single-seed format, so they do not depend on K.
// An off-policy seed's checkpoint holds its replay buffer as the episodes that filled it
// (./replay_log.ts), rebuilt on resume by re-simulating them; version 1 checkpoints (and version 2
// ones in 'full' mode) hold the buffer's arrays.
import { Rng, type RngState } from '../rng.ts';
import { makeEnv } from '../envs/registry.ts';
import type { Env } from '../envs/types.ts';
import type { SeedBatchedAgent } from '../algos/common/types.ts';
import { ReplayBuffer } from '../algos/common/replay_buffer.ts';
import { ReplayLog, type ReplayLogMeta } from './replay_log.ts';
import { hostReadsAllowed, prefetchVariables } from '../nn/kernel_paths.ts';
import { evalStartSeeds, runEvaluation } from './evaluation.ts';
import { METRIC, evalKey } from './metric_keys.ts';
import { decodeCheckpoint, encodeCheckpoint, type ArrayMap } from './codec.ts';
import type { MetricPoint, Progress, RunConfig, TrainCallbacks, EvalMode } from './types.ts';

const CHECKPOINT_VERSION = 2;
/** At most one progress line per this many milliseconds while a replay buffer is rebuilt. */
const REBUILD_NOTE_MS = 10_000;

/** Versions restore() reads: 1 (the replay buffer's arrays), 2 (its episodes, or its arrays in 'full' mode). */
const READABLE_VERSIONS = [1, 2];

/** One training environment and its current episode. */
export interface EpisodeSlot {
  env: Env;
  obs: Float64Array;
  ret: number;
  len: number;
  /** State of the env generator just before this episode's reset (to replay the episode on resume). */
  resetRng: RngState;
  /** Environment-unit actions taken so far in this episode, flat. */
  actions: number[];
}

export interface Counters {
  globalStep: number;
  episodes: number;
  evalIndex: number;
  nextEvalStep: number;
  updates: number;
  finalEvalDone: boolean;
}

/** RngState for JSON: the cached normal is NaN when empty, which JSON cannot hold. */
function rngToJson(s: RngState): (number | null)[] {
  return s.map((v) => (Number.isNaN(v) ? null : v));
}

function rngFromJson(s: (number | null)[]): RngState {
  if (!Array.isArray(s) || s.length !== 5) throw new Error('checkpoint: malformed generator state');
  return s.map((v) => (v === null ? Number.NaN : v)) as RngState;
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function std(xs: number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) * (b - m), 0) / xs.length);
}

/** Independent streams of a run seed: init (0), env resets (1), acting (2), updates (3). */
export function initStream(seed: number): Rng {
  return new Rng(seed, 0);
}

export class SeedRun {
  readonly config: RunConfig;
  /** This seed's index in the group's agent. */
  readonly k: number;
  readonly cb: TrainCallbacks;
  readonly buffer: ReplayBuffer | null;
  /** The buffer as its episodes, for compact checkpoints; null for on-policy runs and runs resumed from a checkpoint with the buffer's arrays. */
  private replayLog: ReplayLog | null;
  readonly slots: EpisodeSlot[];
  readonly envRng: Rng;
  readonly actRng: Rng;
  readonly updateRng: Rng;
  readonly c: Counters;
  readonly obsDim: number;
  readonly actDim: number;
  private readonly evalEnvs: Env[];
  private readonly agent: SeedBatchedAgent;
  private metrics: MetricPoint[] = [];
  private wallOffset = 0;
  private sessionStart = Date.now();
  private sessionStartStep = 0;
  private lastProgress = 0;
  private lastEval: Partial<Record<EvalMode, number>> = {};
  /** Set when this seed was cancelled; the group stops it at the next step boundary. */
  cancelRequested = false;
  /** Set once the seed has finished (completed or stopped). */
  finished = false;

  constructor(config: RunConfig, k: number, agent: SeedBatchedAgent, callbacks: TrainCallbacks, resume: Uint8Array | undefined) {
    this.config = config;
    this.k = k;
    this.cb = callbacks;
    this.agent = agent;
    const { id, variant, params } = config.env;
    const probe = makeEnv(id, variant, params);
    this.obsDim = probe.observationSpace.dim;
    this.actDim = probe.actionSpace.dim;
    this.envRng = new Rng(config.seed, 1);
    this.actRng = new Rng(config.seed, 2);
    this.updateRng = new Rng(config.seed, 3);
    const cfg = config.algoConfig as { bufferSize?: number; batchSize?: number };
    this.buffer = agent.kind === 'off-policy' ? new ReplayBuffer(cfg.bufferSize!, this.obsDim, this.actDim, cfg.batchSize!) : null;
    this.replayLog = this.buffer ? new ReplayLog(this.buffer.capacity, this.actDim) : null;
    const numEnvs = agent.kind === 'on-policy' ? agent.numEnvs : 1;
    this.slots = [];
    for (let i = 0; i < numEnvs; i++) {
      const env = i === 0 ? probe : makeEnv(id, variant, params);
      this.slots.push({ env, obs: new Float64Array(this.obsDim), ret: 0, len: 0, resetRng: this.envRng.getState(), actions: [] });
    }
    this.evalEnvs = Array.from({ length: config.evalEpisodes }, () => makeEnv(id, variant, params));
    this.c = { globalStep: 0, episodes: 0, evalIndex: 0, nextEvalStep: 0, updates: 0, finalEvalDone: false };
    if (resume) this.restore(resume);
    else {
      for (const s of this.slots) this.resetSlot(s);
      this.observeSlots(this.slots);
    }
    this.sessionStartStep = this.c.globalStep;
  }

  get done(): boolean {
    return this.finished || this.c.globalStep >= this.config.totalSteps;
  }

  startSession(): void {
    this.sessionStart = Date.now();
    this.sessionStartStep = this.c.globalStep;
  }

  private wallTime(): number {
    return this.wallOffset + (Date.now() - this.sessionStart) / 1000;
  }

  metric(key: string, value: number, step = this.c.globalStep): void {
    this.metrics.push({ key, step, wallTime: this.wallTime(), value });
    if (this.metrics.length >= 2000) this.flushMetrics();
  }

  flushMetrics(): void {
    if (this.metrics.length === 0) return;
    const batch = this.metrics;
    this.metrics = [];
    this.cb.onMetrics?.(batch);
  }

  resetSlot(s: EpisodeSlot): void {
    s.resetRng = this.envRng.getState();
    this.replayLog?.beginEpisode(s.resetRng, s.env.sessionState?.() ?? null);
    s.obs.set(s.env.reset(this.envRng).observation);
    s.ret = 0;
    s.len = 0;
    s.actions.length = 0;
  }

  /** Store an off-policy transition: in the replay buffer, and its action in the replay log. */
  storeTransition(obs: Float32Array, action: Float32Array, reward: number, nextObs: Float64Array, terminated: boolean): void {
    this.buffer!.add(obs, action, reward, nextObs, terminated);
    this.replayLog?.push(action);
  }

  /** Bookkeeping after one env step of slot `s`: next observation, episode sums, reset at the end. */
  afterStep(s: EpisodeSlot, envAction: Float64Array, nextObs: Float64Array, reward: number, ended: boolean): void {
    s.obs.set(nextObs);
    s.ret += reward;
    s.len += 1;
    for (let k = 0; k < envAction.length; k++) s.actions.push(envAction[k]!);
    if (ended) {
      this.c.episodes += 1;
      const step = this.c.globalStep + 1;
      this.metric(METRIC.episodicReturn, s.ret, step);
      this.metric(METRIC.episodicLength, s.len, step);
      this.cb.onEpisode?.({ step, return: s.ret, length: s.len, wallTime: this.wallTime() });
      this.resetSlot(s);
    }
  }

  logUpdateMetrics(m: Record<string, number> | null): void {
    if (!m) return;
    for (const [k, v] of Object.entries(m)) this.metric(k, v);
    const secs = (Date.now() - this.sessionStart) / 1000;
    this.metric(METRIC.sps, secs > 0 ? (this.c.globalStep - this.sessionStartStep) / secs : 0);
  }

  /** Hand the current observations of these slots to the agent's running statistics (PPO obsNorm). */
  observeSlots(slots: EpisodeSlot[]): void {
    if (this.agent.kind !== 'on-policy' || !this.agent.observe || slots.length === 0) return;
    const o = this.obsDim;
    const obs = new Float32Array(slots.length * o);
    slots.forEach((s, i) => obs.set(s.obs, i * o));
    this.agent.observe(this.k, obs, slots.length);
  }

  /**
   * The evaluation due at the current step, if any (grid 0, evalInterval, ... and totalSteps, step 0
   * before any learning), then a checkpoint; the final one marks the run's evaluations done.
   */
  async evaluateIfDue(): Promise<void> {
    const ended = this.c.globalStep >= this.config.totalSteps;
    if ((this.c.globalStep >= this.c.nextEvalStep || ended) && !this.c.finalEvalDone) {
      while (this.c.nextEvalStep <= this.c.globalStep) this.c.nextEvalStep += this.config.evalInterval;
      if (ended) this.c.finalEvalDone = true;
      await this.evaluate(ended);
    }
  }

  /** PPO: grid points strictly inside the vector step just taken, evaluated before its update (see group_trainer.ts). */
  async evaluateInsideStep(): Promise<void> {
    const total = this.config.totalSteps;
    const end = Math.min(this.c.globalStep, total);
    while (this.c.nextEvalStep < end) {
      const g = this.c.nextEvalStep;
      this.c.nextEvalStep += this.config.evalInterval;
      await this.evaluate(false, g, false);
    }
    if (total < this.c.globalStep && !this.c.finalEvalDone) {
      while (this.c.nextEvalStep <= this.c.globalStep) this.c.nextEvalStep += this.config.evalInterval;
      this.c.finalEvalDone = true;
      await this.evaluate(true, total, true);
    }
  }

  /** Evaluate in every mode, reported at `step`; `checkpoint` false inside a PPO vector step (mid-step state). */
  async evaluate(final: boolean, step = this.c.globalStep, checkpoint = true): Promise<void> {
    const idx = this.c.evalIndex;
    const seeds = evalStartSeeds(this.config.evalSeed, idx, this.config.evalEpisodes);
    const view = this.agent.seedView(this.k);
    for (const mode of this.config.evalModes) {
      const modeIndex = mode === 'deterministic' ? 0 : 1;
      const policyRng = new Rng(this.config.seed, 1000 + 2 * idx + modeIndex);
      const { evaluation, trajectories } = await runEvaluation({
        agent: view,
        envs: this.evalEnvs,
        mode,
        step,
        startSeeds: seeds,
        policyRng,
        record: final ? this.config.evalEpisodes : this.config.recordEpisodes,
        wallTime: this.wallTime(),
      });
      this.metric(evalKey(mode, 'return_mean'), mean(evaluation.returns), step);
      this.metric(evalKey(mode, 'return_std'), std(evaluation.returns), step);
      this.metric(evalKey(mode, 'length_mean'), mean(evaluation.lengths), step);
      this.lastEval[mode] = mean(evaluation.returns);
      this.cb.onEvaluation?.(evaluation);
      for (const t of trajectories) this.cb.onTrajectory?.(t);
    }
    this.c.evalIndex += 1;
    this.flushMetrics();
    this.progress(true);
    if (checkpoint) await this.emitCheckpoint();
  }

  async emitCheckpoint(): Promise<void> {
    if (!this.cb.onCheckpoint) return;
    if (!hostReadsAllowed()) await prefetchVariables(); // state on a GPU (webgpu): checkpoint() then reads it synchronously
    await this.cb.onCheckpoint({ step: this.c.globalStep, bytes: this.checkpoint() });
  }

  progress(force: boolean): void {
    if (!this.cb.onProgress) return;
    const now = Date.now();
    if (!force && now - this.lastProgress < 250) return;
    this.lastProgress = now;
    const secs = (now - this.sessionStart) / 1000;
    const p: Progress = {
      globalStep: this.c.globalStep,
      totalSteps: this.config.totalSteps,
      sps: secs > 0 ? (this.c.globalStep - this.sessionStartStep) / secs : 0,
      episodes: this.c.episodes,
      lastEval: { ...this.lastEval },
    };
    this.cb.onProgress(p);
  }

  /** Stop this seed: flush, report, checkpoint (a stopped run can be resumed from it). */
  async stop(): Promise<void> {
    this.flushMetrics();
    this.progress(true);
    await this.emitCheckpoint();
    this.finished = true;
  }

  /** Finish after the last step (its final evaluation done by evaluateIfDue / evaluateInsideStep). */
  async complete(): Promise<void> {
    this.flushMetrics();
    this.progress(true);
    this.finished = true;
  }

  checkpoint(): Uint8Array {
    const agentState = this.agent.saveState(this.k);
    const arrays: ArrayMap = {};
    for (const [k, v] of Object.entries(agentState.tensors)) arrays[`agent/${k}`] = v;
    let bufferJson: unknown = null;
    if (this.buffer && this.replayLog) {
      const b = this.replayLog.save('replay', this.buffer.digest());
      Object.assign(arrays, b.arrays);
      bufferJson = b.meta;
    } else if (this.buffer) {
      const b = this.buffer.save('replay');
      Object.assign(arrays, b.tensors);
      bufferJson = { mode: 'full', ...b.json };
    }
    this.slots.forEach((s, i) => {
      arrays[`episode/${i}/actions`] = { shape: [s.actions.length], data: Float64Array.from(s.actions) };
    });
    const meta = {
      format: 'maxent-lab-checkpoint',
      version: CHECKPOINT_VERSION,
      config: this.config,
      counters: { ...this.c },
      wallTime: this.wallTime(),
      rngs: { env: rngToJson(this.envRng.getState()), act: rngToJson(this.actRng.getState()), update: rngToJson(this.updateRng.getState()) },
      episodes: this.slots.map((s) => ({ resetRng: rngToJson(s.resetRng), ret: s.ret, len: s.len, session: s.env.sessionState?.() })),
      evalSessions: this.evalEnvs.map((e) => e.sessionState?.() ?? null), // OpenCat's penalty weight (envs/types.ts)
      agent: agentState.json,
      buffer: bufferJson,
    };
    return encodeCheckpoint(meta, arrays);
  }

  private restore(bytes: Uint8Array): void {
    const { meta, arrays } = decodeCheckpoint(bytes);
    const m = meta as {
      format: string;
      version: number;
      config: RunConfig;
      counters: Counters;
      wallTime: number;
      rngs: { env: (number | null)[]; act: (number | null)[]; update: (number | null)[] };
      episodes: { resetRng: (number | null)[]; ret: number; len: number; session?: number[] }[];
      evalSessions?: (number[] | null)[];
      agent: Record<string, unknown>;
      buffer: ({ mode?: 'full'; ptr: number; count: number } | ReplayLogMeta) | null;
    };
    if (m.format !== 'maxent-lab-checkpoint') throw new Error('checkpoint: not a MaxEnt Lab training checkpoint');
    if (!READABLE_VERSIONS.includes(m.version)) throw new Error(`checkpoint: version ${m.version} is not supported (this lab reads versions ${READABLE_VERSIONS.join(' and ')})`);
    if (JSON.stringify(m.config.env) !== JSON.stringify(this.config.env) || m.config.algo !== this.config.algo) {
      throw new Error('checkpoint: it belongs to another environment or algorithm than this run config');
    }
    if (m.episodes.length !== this.slots.length) throw new Error(`checkpoint: ${m.episodes.length} training envs, config has ${this.slots.length}`);
    const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
    for (const [k, v] of Object.entries(arrays)) if (k.startsWith('agent/')) tensors[k.slice(6)] = v as { shape: number[]; data: Float32Array };
    this.agent.loadState(this.k, { tensors, json: m.agent });
    Object.assign(this.c, m.counters);
    if (this.buffer) this.restoreBuffer(m.buffer, arrays);
    this.wallOffset = m.wallTime;
    // Replay each current episode: reset from the saved generator state, then the saved actions.
    this.slots.forEach((s, i) => {
      const e = m.episodes[i]!;
      const acts = arrays[`episode/${i}/actions`]?.data ?? new Float64Array(0);
      s.resetRng = rngFromJson(e.resetRng);
      if (e.session) s.env.restoreSessionState?.(e.session);
      s.obs.set(s.env.reset(Rng.fromState(s.resetRng)).observation);
      s.actions.length = 0;
      s.ret = 0;
      s.len = 0;
      for (let t = 0; t < acts.length; t += this.actDim) {
        const a = Float64Array.from(acts.subarray(t, t + this.actDim));
        const res = s.env.step(a);
        s.obs.set(res.observation);
        s.ret += res.reward;
        s.len += 1;
        for (let k = 0; k < this.actDim; k++) s.actions.push(a[k]!);
      }
      if (s.len !== e.len) throw new Error(`checkpoint: replaying episode ${i} gave ${s.len} steps, expected ${e.len}`);
      s.ret = e.ret; // identical by determinism; the stored sum keeps the exact accumulation order
    });
    m.evalSessions?.forEach((v, i) => {
      if (v) this.evalEnvs[i]?.restoreSessionState?.(v);
    });
    this.envRng.setState(rngFromJson(m.rngs.env));
    this.actRng.setState(rngFromJson(m.rngs.act));
    this.updateRng.setState(rngFromJson(m.rngs.update));
  }

  /** The replay buffer from a checkpoint: rebuilt from its episodes (checked by digest), or its arrays. */
  private restoreBuffer(meta: ({ mode?: 'full'; ptr: number; count: number } | ReplayLogMeta) | null, arrays: ArrayMap): void {
    const buffer = this.buffer!;
    if (!meta) throw new Error('checkpoint: an off-policy run without its replay buffer (a compact bundle\'s networks only?)');
    if (meta.mode === 'episodes') {
      const log = ReplayLog.load(buffer.capacity, this.actDim, 'replay', meta, arrays);
      if (log.total !== this.c.globalStep) throw new Error(`checkpoint: replay log holds ${log.total} transitions, the run is at step ${this.c.globalStep}`);
      const { id, variant, params } = this.config.env;
      const env = makeEnv(id, variant, params);
      const t0 = Date.now();
      let noted = t0;
      // a long rebuild (MuJoCo, a million transitions: minutes for a seed group) says how far it is
      const progress = (done: number, total: number) => {
        if (Date.now() - noted < REBUILD_NOTE_MS) return;
        noted = Date.now();
        this.cb.onLog?.('info', `rebuilding the replay buffer by re-simulation: ${done} of ${total} transitions (${((noted - t0) / 1000).toFixed(0)} s)`);
      };
      try {
        log.rebuild(buffer, env, this.agent.actionScaling, progress);
      } finally {
        env.close?.();
      }
      const got = buffer.digest();
      if (got !== meta.digest) {
        throw new Error(`checkpoint: the replay buffer rebuilt from its ${meta.episodes} episodes differs from the one saved (digest ${got}, saved ${meta.digest}): the environment behaves differently from when the checkpoint was written`);
      }
      this.replayLog = log;
      this.cb.onLog?.('info', `replay buffer rebuilt from its ${meta.episodes} episodes (${buffer.size} transitions) by re-simulation in ${((Date.now() - t0) / 1000).toFixed(1)} s; digest ${got} as saved`);
      return;
    }
    buffer.load('replay', arrays as Record<string, { shape: number[]; data: Float32Array }>, meta);
    this.replayLog = null; // its episodes are unknown: later checkpoints keep the arrays
  }

  /** Close the environments (MuJoCo data for hopper and opencat). */
  dispose(): void {
    for (const s of this.slots) s.env.close?.();
    for (const e of this.evalEnvs) e.close?.();
  }
}
