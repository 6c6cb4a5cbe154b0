// Main's side of the landscape analysis (issue 15): find the checkpoint files through the store,
// turn the requested state into the observation the networks take (a ready-made case or a full
// state through the environment's own reset; a recorded episode's stored observation), hand the
// tensor work to a worker (./preview-worker.ts) and cache answers per checkpoint and state.
import { caseState, LANDSCAPE_CASES } from '../../src-core/analysis/cases.ts';
import type { z } from 'zod';
import type { CriticalArgs, CriticalResult, LandscapeArgs, LandscapeResult, LandscapeState, NetworkSource } from '../../src-core/contract/methods/analysis.ts';
import type { LandscapeJob } from '../../src-core/contract/worker-protocol.ts';
import { getEnvSpec, makeEnv } from '../../src-core/envs/registry.ts';
import { Rng } from '../../src-core/rng.ts';
import { ensurePhysicsFor } from '../engine/mujoco.ts';
import type { LandscapeRunner } from './preview-worker.ts';
import { answerCache } from './answer-cache.ts';
import { PreviewInputError } from './rollout.ts';
import { StoredPolicyError, type CheckpointIndex } from './stored-policy.ts';

/** A recorded episode's observations, (T + 1) x obsDim, and its run. */
export interface TrajectoryIndex {
  get(id: number): { runId: number; length: number; obsDim: number; step: number; mode: string; episode: number; observations: Float32Array } | undefined;
}

/** Answers kept (least recently used dropped first). */
const CACHE_SIZE = 64;

/** The methods' arguments after validation (defaults filled in). */
export type LandscapeRequest = z.output<typeof LandscapeArgs>;
export type CriticalRequest = z.output<typeof CriticalArgs>;

export interface Landscapes {
  landscape(args: LandscapeRequest): Promise<LandscapeResult>;
  critical(args: CriticalRequest): Promise<CriticalResult>;
}

interface RunEnv {
  id: string;
  variant: string;
  params: Record<string, number>;
}

export function landscapes(index: CheckpointIndex, trajectories: TrajectoryIndex, runner: LandscapeRunner | null): Landscapes {
  const cache = answerCache<LandscapeResult | CriticalResult>(CACHE_SIZE);
  const cached = <T extends LandscapeResult | CriticalResult>(key: string, make: () => Promise<T>): Promise<T> => cache(key, make) as Promise<T>;

  const network = (src: NetworkSource, path: string) => {
    const config = index.config(src.runId);
    if (!config) throw new StoredPolicyError('not_found', `run ${src.runId} does not exist`, `${path}.runId`);
    const list = index.list(src.runId);
    const c = list.find((x) => x.step === src.step);
    if (!c) throw new StoredPolicyError('not_found', `run ${src.runId} has no checkpoint at step ${src.step} (stored: ${list.map((x) => x.step).join(', ') || 'none'})`, `${path}.step`);
    const env = (config as { env?: RunEnv }).env;
    if (!env) throw new StoredPolicyError('not_found', `run ${src.runId} has no environment in its config`, `${path}.runId`);
    return { job: { checkpointFile: c.file, runConfig: config, runId: src.runId, step: src.step }, env, algo: String((config as { algo?: unknown }).algo) };
  };

  const networks = (run: NetworkSource, plainFrom: NetworkSource | undefined) => {
    if (!runner) throw new StoredPolicyError('unavailable', 'landscapes need a worker process, which this build does not have', 'run');
    const main = network(run, 'run');
    const plain = plainFrom ? network(plainFrom, 'plainFrom') : null;
    if (plain && (plain.env.id !== main.env.id || plain.env.variant !== main.env.variant)) {
      throw new PreviewInputError(`run ${plainFrom!.runId} is on ${plain.env.id}/${plain.env.variant}, run ${run.runId} on ${main.env.id}/${main.env.variant}: compare runs of the same task`, 'plainFrom.runId');
    }
    if (plain && !['sac-adaent', 'td3'].includes(plain.algo)) throw new PreviewInputError(`run ${plainFrom!.runId} is ${plain.algo}: only SAC-AdaEnt and TD3 runs have a plain Q`, 'plainFrom.runId');
    const title = `run ${run.runId} (${main.algo}) at step ${run.step}${plain ? ` with the plain Q of run ${plainFrom!.runId} (${plain.algo}) at step ${plainFrom!.step}` : ''}`;
    return { main, plain, title };
  };

  const trajectory = (id: number, runId: number) => {
    const t = trajectories.get(id);
    if (!t) throw new StoredPolicyError('not_found', `trajectory ${id} does not exist`, 'state.trajectoryId');
    if (t.runId !== runId) throw new PreviewInputError(`trajectory ${id} was recorded by run ${t.runId}, not run ${runId}`, 'trajectoryId');
    return t;
  };

  async function observationOf(state: LandscapeState, env: RunEnv, runId: number): Promise<{ observation: number[]; state: number[] | null; label: string }> {
    if (state.kind === 'observation') return { observation: state.observation, state: null, label: `observation [${state.observation.map((v) => round(v)).join(', ')}]` };
    if (state.kind === 'trajectory') {
      const t = trajectory(state.trajectoryId, runId);
      if (state.t > t.length) throw new PreviewInputError(`trajectory ${state.trajectoryId} has steps 0..${t.length}, not ${state.t}`, 'state.t');
      return {
        observation: Array.from(t.observations.subarray(state.t * t.obsDim, (state.t + 1) * t.obsDim)),
        state: null,
        label: `trajectory ${state.trajectoryId} (eval step ${t.step}, ${t.mode}, episode ${t.episode}) at step ${state.t}`,
      };
    }
    let full: number[];
    let label: string;
    try {
      full = state.kind === 'case' ? caseState(state.case, env.id, env.variant, env.params) : state.state;
      label = state.kind === 'case' ? LANDSCAPE_CASES[state.case].label : `state [${full.map((v) => round(v)).join(', ')}]`;
    } catch (err) {
      throw new PreviewInputError((err as Error).message, 'state.case');
    }
    await ensurePhysicsFor(env.id); // hopper, opencat: MuJoCo, loaded in main on first use
    const e = makeEnv(env.id, env.variant, env.params);
    try {
      return { observation: Array.from(e.reset(new Rng(0, 0), full).observation), state: full, label };
    } catch (err) {
      throw new PreviewInputError((err as Error).message, 'state.state');
    } finally {
      e.close?.(); // frees MuJoCo's data
    }
  }

  return {
    async landscape(args) {
      const n = networks(args.run, args.plainFrom);
      const actDim = actionDim(n.main.env);
      if (args.axes.some((a) => a >= actDim)) throw new PreviewInputError(`action axes ${args.axes.join(', ')}: ${n.main.env.id} has action components 0..${actDim - 1}`, 'axes');
      if (args.axes.length === 2 && args.axes[0] === args.axes[1]) throw new PreviewInputError('the two action axes must differ', 'axes');
      if (args.held && args.held.length !== actDim) throw new PreviewInputError(`held action has ${args.held.length} values, ${n.main.env.id} has ${actDim} action components`, 'held');
      const s = await observationOf(args.state, n.main.env, args.run.runId);
      const job: LandscapeJob = {
        kind: 'landscape',
        primary: n.main.job,
        ...(n.plain ? { plain: n.plain.job } : {}),
        observations: [s.observation],
        axes: args.axes,
        ...(args.held ? { held: args.held } : {}),
        ...(args.points ? { points: args.points } : {}),
        seed: args.seed,
        context: { title: n.title, stateLabel: s.label, state: s.state },
      };
      const key = JSON.stringify(['landscape', n.main.job.checkpointFile, n.plain?.job.checkpointFile ?? null, s.observation, args.axes, args.held ?? null, args.points ?? null, args.seed]);
      const answer = cached(key, async () => {
        const r = await runner!(job);
        if (!r.landscape) throw new Error('the landscape worker answered without a landscape');
        return r.landscape;
      });
      // the same observation may be asked for under another name (toy s0 = a replay's first step)
      return answer.then((r) => ({ ...r, stateLabel: s.label, state: s.state }));
    },
    critical(args) {
      const n = networks(args.run, args.plainFrom);
      const t = trajectory(args.trajectoryId, args.run.runId);
      if (t.length < 1) throw new PreviewInputError(`trajectory ${args.trajectoryId} has no steps`, 'trajectoryId');
      const observations = Array.from({ length: t.length }, (_, k) => Array.from(t.observations.subarray(k * t.obsDim, (k + 1) * t.obsDim)));
      const job: LandscapeJob = {
        kind: 'critical',
        primary: n.main.job,
        ...(n.plain ? { plain: n.plain.job } : {}),
        observations,
        axes: [0],
        seed: args.seed,
        context: { title: `${n.title}, along trajectory ${args.trajectoryId} (eval step ${t.step}, ${t.mode}, episode ${t.episode})`, stateLabel: `trajectory ${args.trajectoryId}`, state: null },
      };
      const key = JSON.stringify(['critical', n.main.job.checkpointFile, n.plain?.job.checkpointFile ?? null, args.trajectoryId, args.seed]);
      return cached(key, async () => {
        const r = await runner!(job);
        if (!r.critical) throw new Error('the landscape worker answered without critical-state scores');
        return r.critical;
      });
    },
  };
}

function actionDim(env: RunEnv): number {
  const spec = getEnvSpec(env.id);
  return (spec.variants.find((v) => v.name === env.variant) ?? spec.variants[0]!).actionLow.length;
}

function round(v: number): number {
  return Number(v.toPrecision(5));
}
