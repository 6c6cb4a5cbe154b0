// The training loop: collect -> update -> evaluate, for off-policy agents (SAC family, TD3: warm-up
// with uniform random actions, then the spec's update ratio) and on-policy agents (PPO: rollouts
// over parallel envs). No I/O: everything leaves through the callbacks. The full state, including
// the current episodes (reset generator state + actions so far, replayed on resume), is checkpointed.
// Evaluations fall on the grid 0, evalInterval, 2 evalInterval, ... and totalSteps (step 0: before any
// learning, as the reference tests before training). totalSteps counts the warm-up. PPO steps all
// its envs at once; a grid point inside a vector step is evaluated there, before the update the
// step may trigger (the policy that acted at that step), so its step stays on the grid (issue 18).
import { Rng, type RngState } from '../rng.ts';
import { makeEnv } from '../envs/registry.ts';
import type { Env } from '../envs/types.ts';
import { createAgent } from '../algos/index.ts';
import type { Agent, OffPolicyAgent, OnPolicyAgent } from '../algos/common/types.ts';
import { ReplayBuffer } from '../algos/common/replay_buffer.ts';
import { toEnvAction } from './action_map.ts';
import { evalStartSeeds, runEvaluation } from './evaluation.ts';
import { METRIC, evalKey, LOSS_LOG_INTERVAL } from './metric_keys.ts';
import { decodeCheckpoint, encodeCheckpoint, type ArrayMap } from './codec.ts';
import type { MetricPoint, Progress, RunConfig, RunOutcome, TrainCallbacks, Trainer, EvalMode } from './types.ts';

const CHECKPOINT_VERSION = 1;

/** One training environment and its current episode. */
interface EpisodeSlot {
  env: Env;
  obs: Float64Array;
  ret: number;
  len: number;
  /** State of the env generator just before this episode's reset (to replay the episode on resume). */
  resetRng: RngState;
  /** Environment-unit actions taken so far in this episode, flat. */
  actions: number[];
}

interface Counters {
  globalStep: number;
  episodes: number;
  evalIndex: number;
  nextEvalStep: number;
  updates: number;
  finalEvalDone: boolean;
}

type YieldFn = () => Promise<void>;

function defaultYield(): Promise<void> {
  const st = (globalThis as unknown as { setTimeout?: (f: () => void, ms: number) => unknown }).setTimeout;
  return new Promise((resolve) => (st ? st(resolve, 0) : resolve()));
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

class TrainerImpl implements Trainer {
  readonly config: RunConfig;
  private readonly cb: TrainCallbacks;
  private readonly agent: Agent;
  private readonly buffer: ReplayBuffer | null;
  private readonly slots: EpisodeSlot[];
  private readonly evalEnvs: Env[];
  private readonly envRng: Rng;
  private readonly actRng: Rng;
  private readonly updateRng: Rng;
  private readonly c: Counters;
  private readonly obsDim: number;
  private readonly actDim: number;
  private readonly warmupSteps: number;
  private readonly updatesPerStep: number;
  private metrics: MetricPoint[] = [];
  private wallOffset = 0;
  private sessionStart = Date.now();
  private sessionStartStep = 0;
  private lastProgress = 0;
  private lastEval: Partial<Record<EvalMode, number>> = {};
  private readonly yieldToHost: YieldFn;

  constructor(config: RunConfig, callbacks: TrainCallbacks, opts: { resume?: Uint8Array; yieldToHost?: YieldFn }) {
    this.config = config;
    this.cb = callbacks;
    this.yieldToHost = opts.yieldToHost ?? defaultYield;
    const { id, variant, params } = config.env;
    const probe = makeEnv(id, variant, params);
    this.obsDim = probe.observationSpace.dim;
    this.actDim = probe.actionSpace.dim;
    // Independent streams of the run seed: init, env resets, acting, updates (sampling + noise).
    const initRng = new Rng(config.seed, 0);
    this.envRng = new Rng(config.seed, 1);
    this.actRng = new Rng(config.seed, 2);
    this.updateRng = new Rng(config.seed, 3);
    this.agent = createAgent(config.algo, config.algoConfig, this.obsDim, this.actDim, initRng);
    const cfg = config.algoConfig as { warmupSteps?: number; updatesPerStep?: number; bufferSize?: number; batchSize?: number };
    this.warmupSteps = this.agent.kind === 'off-policy' ? (cfg.warmupSteps ?? 0) : 0;
    this.updatesPerStep = cfg.updatesPerStep ?? 1;
    this.buffer = this.agent.kind === 'off-policy' ? new ReplayBuffer(cfg.bufferSize!, this.obsDim, this.actDim, cfg.batchSize!) : null;
    const numEnvs = this.agent.kind === 'on-policy' ? this.agent.numEnvs : 1;
    this.slots = [];
    for (let i = 0; i < numEnvs; i++) {
      const env = i === 0 ? probe : makeEnv(id, variant, params);
      this.slots.push({ env, obs: new Float64Array(this.obsDim), ret: 0, len: 0, resetRng: this.envRng.getState(), actions: [] });
    }
    this.evalEnvs = Array.from({ length: config.evalEpisodes }, () => makeEnv(id, variant, params));
    this.c = { globalStep: 0, episodes: 0, evalIndex: 0, nextEvalStep: 0, updates: 0, finalEvalDone: false };
    if (opts.resume) this.restore(opts.resume);
    else {
      for (const s of this.slots) this.resetSlot(s);
      if (this.agent.kind === 'on-policy') this.observeSlots(this.agent, this.slots);
    }
    this.sessionStartStep = this.c.globalStep;
  }

  get globalStep(): number {
    return this.c.globalStep;
  }

  private wallTime(): number {
    return this.wallOffset + (Date.now() - this.sessionStart) / 1000;
  }

  private metric(key: string, value: number, step = this.c.globalStep): void {
    this.metrics.push({ key, step, wallTime: this.wallTime(), value });
    if (this.metrics.length >= 2000) this.flushMetrics();
  }

  private flushMetrics(): void {
    if (this.metrics.length === 0) return;
    const batch = this.metrics;
    this.metrics = [];
    this.cb.onMetrics?.(batch);
  }

  private resetSlot(s: EpisodeSlot): void {
    s.resetRng = this.envRng.getState();
    s.obs.set(s.env.reset(this.envRng).observation);
    s.ret = 0;
    s.len = 0;
    s.actions.length = 0;
  }

  /** Bookkeeping after one env step of slot `s`: next observation, episode sums, reset at the end. */
  private afterStep(s: EpisodeSlot, envAction: Float64Array, nextObs: Float64Array, reward: number, ended: boolean): void {
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

  private logUpdateMetrics(m: Record<string, number> | null): void {
    if (!m) return;
    for (const [k, v] of Object.entries(m)) this.metric(k, v);
    const secs = (Date.now() - this.sessionStart) / 1000;
    this.metric(METRIC.sps, secs > 0 ? (this.c.globalStep - this.sessionStartStep) / secs : 0);
  }

  private offPolicyStep(agent: OffPolicyAgent): void {
    const s = this.slots[0]!;
    const env = s.env;
    const obs32 = Float32Array.from(s.obs);
    let action: Float32Array;
    if (this.c.globalStep < this.warmupSteps) {
      action = new Float32Array(this.actDim);
      for (let k = 0; k < this.actDim; k++) action[k] = this.actRng.uniformRange(-1, 1);
    } else {
      action = agent.act(obs32, 1, 'explore', this.actRng).actions;
    }
    const envAction = toEnvAction(agent.actionScaling, action, env.actionSpace, new Float64Array(this.actDim));
    const res = env.step(envAction);
    const timeUp = !res.terminated && !res.truncated && env.elapsedSteps >= env.maxEpisodeSteps;
    // terminated stops bootstrapping; truncated (and a time limit the env did not flag) bootstraps
    this.buffer!.add(obs32, action, res.reward, res.observation, res.terminated);
    this.afterStep(s, envAction, res.observation, res.reward, res.terminated || res.truncated || timeUp);
    this.c.globalStep += 1;
    if (this.c.globalStep > this.warmupSteps) {
      const log = this.c.globalStep % LOSS_LOG_INTERVAL === 0;
      let m: Record<string, number> | null = null;
      for (let u = 0; u < this.updatesPerStep; u++) {
        m = agent.update(this.buffer!.sample(this.updateRng), this.updateRng, log && u === this.updatesPerStep - 1) ?? m;
        this.c.updates += 1;
      }
      this.logUpdateMetrics(m);
    }
  }

  /** Hand the current observations of these slots to the agent's running statistics (PPO obsNorm). */
  private observeSlots(agent: OnPolicyAgent, slots: EpisodeSlot[]): void {
    if (!agent.observe || slots.length === 0) return;
    const o = this.obsDim;
    const obs = new Float32Array(slots.length * o);
    slots.forEach((s, i) => obs.set(s.obs, i * o));
    agent.observe(obs, slots.length);
  }

  /** One vector step of every training env, stored in the agent's rollout (no update). */
  private onPolicyCollect(agent: OnPolicyAgent): void {
    const n = this.slots.length;
    const o = this.obsDim;
    const d = this.actDim;
    const obs = new Float32Array(n * o);
    this.slots.forEach((s, i) => obs.set(s.obs, i * o));
    const act = agent.act(obs, n, 'explore', this.actRng);
    const rewards = new Float32Array(n);
    const nextObs = new Float32Array(n * o);
    const terminated = new Float32Array(n);
    const done = new Float32Array(n);
    const envAction = new Float64Array(d);
    const resets: EpisodeSlot[] = [];
    for (let i = 0; i < n; i++) {
      const s = this.slots[i]!;
      toEnvAction(agent.actionScaling, act.actions.subarray(i * d, (i + 1) * d), s.env.actionSpace, envAction);
      const res = s.env.step(envAction);
      const timeUp = !res.terminated && !res.truncated && s.env.elapsedSteps >= s.env.maxEpisodeSteps;
      rewards[i] = res.reward;
      nextObs.set(res.observation, i * o);
      terminated[i] = res.terminated ? 1 : 0;
      done[i] = res.terminated || res.truncated || timeUp ? 1 : 0;
      this.afterStep(s, envAction, res.observation, res.reward, done[i] === 1);
      if (done[i] === 1) resets.push(s);
    }
    // running statistics see the step's observations, then the reset ones (Tianshou's order)
    agent.observe?.(nextObs, n);
    agent.store({ obs, actions: act.actions, logProbs: act.logProbs, rewards, nextObs, terminated, done });
    this.observeSlots(agent, resets);
    this.c.globalStep += n;
  }

  /** Grid points strictly inside the vector step just taken: evaluated before its update (see header). */
  private async evaluateInsideStep(): Promise<void> {
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

  private onPolicyUpdate(agent: OnPolicyAgent): void {
    // a run that ended inside this vector step was evaluated before it; no update follows the end
    if (!agent.rolloutFull || this.c.finalEvalDone) return;
    const m = agent.update(this.updateRng, true);
    this.c.updates += 1;
    this.logUpdateMetrics(m);
  }

  /** Evaluate in every mode, reported at `step`; `checkpoint` false inside a PPO vector step (mid-step state). */
  private async evaluate(final: boolean, step = this.c.globalStep, checkpoint = true): Promise<void> {
    const k = this.c.evalIndex;
    const seeds = evalStartSeeds(this.config.evalSeed, k, this.config.evalEpisodes);
    for (const mode of this.config.evalModes) {
      const modeIndex = mode === 'deterministic' ? 0 : 1;
      const policyRng = new Rng(this.config.seed, 1000 + 2 * k + modeIndex);
      const { evaluation, trajectories } = runEvaluation({
        agent: this.agent,
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

  private async emitCheckpoint(): Promise<void> {
    if (!this.cb.onCheckpoint) return;
    await this.cb.onCheckpoint({ step: this.c.globalStep, bytes: this.checkpoint() });
  }

  private progress(force: boolean): void {
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

  async run(shouldStop?: () => boolean): Promise<RunOutcome> {
    this.sessionStart = Date.now();
    this.sessionStartStep = this.c.globalStep;
    let lastYield = Date.now();
    const total = this.config.totalSteps;
    for (;;) {
      const ended = this.c.globalStep >= total;
      if ((this.c.globalStep >= this.c.nextEvalStep || ended) && !this.c.finalEvalDone) {
        while (this.c.nextEvalStep <= this.c.globalStep) this.c.nextEvalStep += this.config.evalInterval;
        if (ended) this.c.finalEvalDone = true;
        await this.evaluate(ended);
      }
      if (ended) break;
      if (shouldStop?.()) return this.stop();
      if (this.agent.kind === 'off-policy') this.offPolicyStep(this.agent);
      else {
        this.onPolicyCollect(this.agent);
        await this.evaluateInsideStep();
        this.onPolicyUpdate(this.agent);
      }
      this.progress(false);
      if (Date.now() - lastYield > 50) {
        await this.yieldToHost();
        lastYield = Date.now();
      }
    }
    this.flushMetrics();
    this.progress(true);
    return 'completed';
  }

  private async stop(): Promise<RunOutcome> {
    this.flushMetrics();
    this.progress(true);
    await this.emitCheckpoint();
    return 'stopped';
  }

  checkpoint(): Uint8Array {
    const agentState = this.agent.saveState();
    const arrays: ArrayMap = {};
    for (const [k, v] of Object.entries(agentState.tensors)) arrays[`agent/${k}`] = v;
    let bufferJson: unknown = null;
    if (this.buffer) {
      const b = this.buffer.save('replay');
      Object.assign(arrays, b.tensors);
      bufferJson = b.json;
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
      buffer: { ptr: number; count: number } | null;
    };
    if (m.format !== 'maxent-lab-checkpoint') throw new Error('checkpoint: not a MaxEnt Lab training checkpoint');
    if (m.version !== CHECKPOINT_VERSION) throw new Error(`checkpoint: version ${m.version} is not supported (expected ${CHECKPOINT_VERSION})`);
    if (JSON.stringify(m.config.env) !== JSON.stringify(this.config.env) || m.config.algo !== this.config.algo) {
      throw new Error('checkpoint: it belongs to another environment or algorithm than this run config');
    }
    if (m.episodes.length !== this.slots.length) throw new Error(`checkpoint: ${m.episodes.length} training envs, config has ${this.slots.length}`);
    const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
    for (const [k, v] of Object.entries(arrays)) if (k.startsWith('agent/')) tensors[k.slice(6)] = v as { shape: number[]; data: Float32Array };
    this.agent.loadState({ tensors, json: m.agent });
    if (this.buffer) this.buffer.load('replay', arrays as Record<string, { shape: number[]; data: Float32Array }>, m.buffer!);
    Object.assign(this.c, m.counters);
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

  dispose(): void {
    this.agent.dispose();
    for (const s of this.slots) s.env.close?.(); // MuJoCo data (hopper, opencat)
    for (const e of this.evalEnvs) e.close?.();
  }
}

/** Create a trainer for a resolved RunConfig; `resume` continues from checkpoint bytes. */
export function createTrainer(config: RunConfig, callbacks: TrainCallbacks = {}, opts: { resume?: Uint8Array; yieldToHost?: YieldFn } = {}): Trainer {
  return new TrainerImpl(config, callbacks, opts);
}
