// The training loop, for a group of K runs that differ only in seed (a run trained alone is a
// group of one: createTrainer in trainer.ts). Per global step, in lockstep: every seed's
// environments act through ONE seed-batched agent call, each seed steps its own environments and
// fills its own replay buffer or rollout, then one batched update serves all seeds that are due;
// evaluations and checkpoints follow per seed on each seed's own schedule and callbacks.
// Off-policy agents (SAC family, TD3): warm-up with uniform random actions, then the spec's update
// ratio. On-policy agents (PPO): rollouts over parallel envs. No I/O: everything leaves through
// the callbacks. The full state, including the current episodes (reset generator state + actions
// so far, replayed on resume), is checkpointed per seed (seed_run.ts).
// Evaluations fall on the grid 0, evalInterval, 2 evalInterval, ... and totalSteps (step 0: before any
// learning, as the reference tests before training). totalSteps counts the warm-up. PPO steps all
// its envs at once; a grid point inside a vector step is evaluated there, before the update the
// step may trigger (the policy that acted at that step), so its step stays on the grid (issue 18).
//
// Contract (issue 12):
//   createGroupTrainer(configs, callbacks, { resume?, yieldToHost? }) -> GroupTrainer
//     configs[k] and callbacks[k] are seed k's; resume[k] its checkpoint (undefined: fresh).
//     All configs must satisfy canShareGroup with configs[0] (identical but for seed).
//     run(shouldStop?) trains all seeds; cancel(k) stops one seed (checkpointed), the others go
//     on; checkpoint(k) is byte-compatible with a checkpoint of the same run trained alone (a
//     seed can resume alone or in another group); dispose() frees the agent.
//   Seed k of a group produces the same metric stream as the same config trained alone, on the
//   same backend (tests/core/train/group_equivalence.test.ts).
// Every algorithm has a seed-batched agent (createSeedBatchedAgent).
import { createSeedBatchedAgent } from '../algos/index.ts';
import { makeEnv } from '../envs/registry.ts';
import type { Batch, SeedBatchedAgent, SeedBatchedOffPolicyAgent, SeedBatchedOnPolicyAgent } from '../algos/common/types.ts';
import type { Rng } from '../rng.ts';
import { toEnvAction } from './action_map.ts';
import { LOSS_LOG_INTERVAL } from './metric_keys.ts';
import { SeedRun, initStream } from './seed_run.ts';
import type { GroupTrainer, RunConfig, RunOutcome, TrainCallbacks } from './types.ts';

export type YieldFn = () => Promise<void>;

function defaultYield(): Promise<void> {
  const st = (globalThis as unknown as { setTimeout?: (f: () => void, ms: number) => unknown }).setTimeout;
  return new Promise((resolve) => (st ? st(resolve, 0) : resolve()));
}

/** Sorted-key JSON, so two configs compare equal whatever their key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * Whether two resolved RunConfigs may train in one group: identical in everything (environment,
 * variant and parameters, algorithm, preset, resolved algorithm config, budget, evaluation
 * schedule and seed, backend) but the training seed, and the seeds differ.
 */
export function canShareGroup(a: RunConfig, b: RunConfig): boolean {
  return a.seed !== b.seed && canonical({ ...a, seed: 0 }) === canonical({ ...b, seed: 0 });
}

class GroupTrainerImpl implements GroupTrainer {
  readonly configs: readonly RunConfig[];
  readonly size: number;
  private readonly agent: SeedBatchedAgent;
  private readonly runs: SeedRun[];
  private readonly warmupSteps: number;
  private readonly updatesPerStep: number;
  private readonly yieldToHost: YieldFn;

  constructor(configs: RunConfig[], callbacks: TrainCallbacks[], opts: { resume?: (Uint8Array | undefined)[]; yieldToHost?: YieldFn }) {
    if (configs.length === 0) throw new Error('group trainer: no runs');
    if (callbacks.length !== configs.length) throw new Error(`group trainer: ${configs.length} configs but ${callbacks.length} callback sets`);
    if (opts.resume && opts.resume.length !== configs.length) throw new Error(`group trainer: ${configs.length} configs but ${opts.resume.length} resume entries`);
    for (let k = 1; k < configs.length; k++) {
      if (!canShareGroup(configs[0]!, configs[k]!)) throw new Error(`group trainer: run ${k} (seed ${configs[k]!.seed}) differs from run 0 (seed ${configs[0]!.seed}) in more than the seed, or repeats its seed`);
    }
    this.configs = configs;
    this.size = configs.length;
    this.yieldToHost = opts.yieldToHost ?? defaultYield;
    const c0 = configs[0]!;
    // the agent first (its init stream draws before anything else, as in a run alone)
    const { obsDim, actDim } = probeDims(c0);
    this.agent = createSeedBatchedAgent(c0.algo, c0.algoConfig, obsDim, actDim, configs.map((c) => initStream(c.seed)));
    try {
      this.runs = configs.map((c, k) => new SeedRun(c, k, this.agent, callbacks[k]!, opts.resume?.[k]));
    } catch (err) {
      this.agent.dispose();
      throw err;
    }
    const cfg = c0.algoConfig as { warmupSteps?: number; updatesPerStep?: number };
    this.warmupSteps = this.agent.kind === 'off-policy' ? (cfg.warmupSteps ?? 0) : 0;
    this.updatesPerStep = cfg.updatesPerStep ?? 1;
  }

  globalStep(k: number): number {
    return this.run_(k).c.globalStep;
  }

  private run_(k: number): SeedRun {
    const r = this.runs[k];
    if (!r) throw new Error(`group trainer: no seed index ${k} (group of ${this.size})`);
    return r;
  }

  cancel(k: number): void {
    this.run_(k).cancelRequested = true;
  }

  checkpoint(k: number): Uint8Array {
    return this.run_(k).checkpoint();
  }

  private async offPolicyStep(agent: SeedBatchedOffPolicyAgent, active: SeedRun[]): Promise<void> {
    const K = this.size;
    const obs: (Float32Array | null)[] = new Array(K).fill(null);
    const rngs: (Rng | null)[] = new Array(K).fill(null);
    for (const r of active) {
      if (r.c.globalStep >= this.warmupSteps) {
        obs[r.k] = Float32Array.from(r.slots[0]!.obs);
        rngs[r.k] = r.actRng;
      }
    }
    const acted = rngs.some((x) => x) ? await agent.act(obs, 1, 'explore', rngs) : [];
    for (const r of active) {
      const s = r.slots[0]!;
      const env = s.env;
      const obs32 = obs[r.k] ?? Float32Array.from(s.obs);
      let action: Float32Array;
      if (r.c.globalStep < this.warmupSteps) {
        action = new Float32Array(r.actDim);
        for (let i = 0; i < r.actDim; i++) action[i] = r.actRng.uniformRange(-1, 1);
      } else {
        action = acted[r.k]!.actions;
      }
      const envAction = toEnvAction(agent.actionScaling, action, env.actionSpace, new Float64Array(r.actDim));
      const res = env.step(envAction);
      const timeUp = !res.terminated && !res.truncated && env.elapsedSteps >= env.maxEpisodeSteps;
      // terminated stops bootstrapping; truncated (and a time limit the env did not flag) bootstraps
      r.storeTransition(obs32, action, res.reward, res.observation, res.terminated);
      r.afterStep(s, envAction, res.observation, res.reward, res.terminated || res.truncated || timeUp);
      r.c.globalStep += 1;
    }
    const learners = active.filter((r) => r.c.globalStep > this.warmupSteps);
    if (learners.length === 0) return;
    const last = new Array<Record<string, number> | null>(K).fill(null);
    for (let u = 0; u < this.updatesPerStep; u++) {
      const batches: (Batch | null)[] = new Array(K).fill(null);
      const urngs: (Rng | null)[] = new Array(K).fill(null);
      const withMetrics = new Array<boolean>(K).fill(false);
      for (const r of learners) {
        batches[r.k] = r.buffer!.sample(r.updateRng);
        urngs[r.k] = r.updateRng;
        withMetrics[r.k] = r.c.globalStep % LOSS_LOG_INTERVAL === 0 && u === this.updatesPerStep - 1;
      }
      const ms = await agent.update(batches, urngs, withMetrics);
      for (const r of learners) {
        last[r.k] = ms[r.k] ?? last[r.k]!;
        r.c.updates += 1;
      }
    }
    for (const r of learners) r.logUpdateMetrics(last[r.k]!);
  }

  /** One vector step of every training env of every active seed, stored in its rollout (no update). */
  private async onPolicyCollect(agent: SeedBatchedOnPolicyAgent, active: SeedRun[]): Promise<void> {
    const K = this.size;
    const obs: (Float32Array | null)[] = new Array(K).fill(null);
    const rngs: (Rng | null)[] = new Array(K).fill(null);
    const n = agent.numEnvs;
    for (const r of active) {
      const o = new Float32Array(n * r.obsDim);
      r.slots.forEach((s, i) => o.set(s.obs, i * r.obsDim));
      obs[r.k] = o;
      rngs[r.k] = r.actRng;
    }
    const acted = await agent.act(obs, n, 'explore', rngs);
    for (const r of active) {
      const o = r.obsDim;
      const d = r.actDim;
      const act = acted[r.k]!;
      const rewards = new Float32Array(n);
      const nextObs = new Float32Array(n * o);
      const terminated = new Float32Array(n);
      const done = new Float32Array(n);
      const envAction = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        const s = r.slots[i]!;
        toEnvAction(agent.actionScaling, act.actions.subarray(i * d, (i + 1) * d), s.env.actionSpace, envAction);
        const res = s.env.step(envAction);
        const timeUp = !res.terminated && !res.truncated && s.env.elapsedSteps >= s.env.maxEpisodeSteps;
        rewards[i] = res.reward;
        nextObs.set(res.observation, i * o);
        terminated[i] = res.terminated ? 1 : 0;
        done[i] = res.terminated || res.truncated || timeUp ? 1 : 0;
        r.afterStep(s, envAction, res.observation, res.reward, done[i] === 1);
      }
      // running statistics see the step's observations, then the reset ones (Tianshou's order)
      agent.observe?.(r.k, nextObs, n);
      agent.store(r.k, { obs: obs[r.k]!, actions: act.actions, logProbs: act.logProbs, rewards, nextObs, terminated, done });
      r.observeSlots(r.slots.filter((_, i) => done[i] === 1));
      r.c.globalStep += n;
    }
  }

  /** One batched update of the seeds whose rollout is full (none after a run's end inside the step). */
  private async onPolicyUpdate(agent: SeedBatchedOnPolicyAgent, active: SeedRun[]): Promise<void> {
    const K = this.size;
    const urngs: (Rng | null)[] = new Array(K).fill(null);
    const due = active.filter((r) => agent.rolloutFull(r.k) && !r.c.finalEvalDone);
    if (due.length === 0) return;
    for (const r of due) urngs[r.k] = r.updateRng;
    const ms = await agent.update(urngs, new Array<boolean>(K).fill(true));
    for (const r of due) {
      r.c.updates += 1;
      r.logUpdateMetrics(ms[r.k]!);
    }
  }

  async run(shouldStop?: () => boolean): Promise<RunOutcome[]> {
    const outcomes: (RunOutcome | null)[] = this.runs.map((r) => (r.finished ? 'stopped' : null));
    for (const r of this.runs) r.startSession();
    let lastYield = Date.now();
    for (;;) {
      for (const r of this.runs) {
        if (outcomes[r.k] || !r.cancelRequested) continue;
        await r.stop();
        outcomes[r.k] = 'stopped';
      }
      for (const r of this.runs) if (!outcomes[r.k]) await r.evaluateIfDue();
      const active = this.runs.filter((r) => !outcomes[r.k] && r.c.globalStep < r.config.totalSteps);
      if (active.length === 0) break;
      if (shouldStop?.()) {
        for (const r of active) {
          await r.stop();
          outcomes[r.k] = 'stopped';
        }
        break;
      }
      if (this.agent.kind === 'off-policy') await this.offPolicyStep(this.agent, active);
      else {
        await this.onPolicyCollect(this.agent, active);
        for (const r of active) await r.evaluateInsideStep();
        await this.onPolicyUpdate(this.agent, active);
      }
      for (const r of active) r.progress(false);
      if (Date.now() - lastYield > 50) {
        await this.yieldToHost();
        lastYield = Date.now();
      }
    }
    for (const r of this.runs) {
      if (outcomes[r.k]) continue;
      await r.complete();
      outcomes[r.k] = 'completed';
    }
    return outcomes as RunOutcome[];
  }

  dispose(): void {
    this.agent.dispose();
    for (const r of this.runs) r.dispose();
  }
}

function probeDims(c: RunConfig): { obsDim: number; actDim: number } {
  // SeedRun makes the environments; here only their sizes are needed before the agent exists
  const env = makeEnv(c.env.id, c.env.variant, c.env.params);
  const dims = { obsDim: env.observationSpace.dim, actDim: env.actionSpace.dim };
  env.close?.();
  return dims;
}

/** Train K runs identical but for seed as one group (see the header for the contract). */
export function createGroupTrainer(
  configs: RunConfig[],
  callbacks: TrainCallbacks[],
  opts: { resume?: (Uint8Array | undefined)[]; yieldToHost?: YieldFn } = {},
): GroupTrainer {
  return new GroupTrainerImpl(configs, callbacks, opts);
}
