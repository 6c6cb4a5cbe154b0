// Evaluation: `episodes` episodes in lockstep from start states seeded by (evalSeed, evaluation
// index) only, so every algorithm and both modes start from the same states. Deterministic mode
// acts with tanh(mean) / the deterministic actor / the PPO mean; stochastic mode samples.
import { Rng } from '../rng.ts';
import type { Env } from '../envs/types.ts';
import type { AgentBase } from '../algos/common/types.ts';
import { toEnvAction } from './action_map.ts';
import type { EvalMode, Evaluation, Trajectory } from './types.ts';

/** Start-state seeds of evaluation `index` (independent of the training seed and the algorithm). */
export function evalStartSeeds(evalSeed: number, index: number, episodes: number): number[] {
  const r = new Rng(evalSeed, 1 + index);
  return Array.from({ length: episodes }, () => r.seed31());
}

interface Recorder {
  obs: number[];
  actions: number[];
  rewards: number[];
  components: Record<string, number[]>;
  logProbs: number[];
  entropies: number[];
  states: number[];
}

export async function runEvaluation(args: {
  agent: AgentBase;
  envs: Env[];
  mode: EvalMode;
  step: number;
  startSeeds: number[];
  policyRng: Rng;
  record: number; // record the first this many episodes
  wallTime: number;
}): Promise<{ evaluation: Evaluation; trajectories: Trajectory[] }> {
  const { agent, envs, mode, startSeeds, policyRng } = args;
  const n = startSeeds.length;
  const env0 = envs[0]!;
  const obsDim = env0.observationSpace.dim;
  const actDim = env0.actionSpace.dim;
  const obs = startSeeds.map((s, i) => Float64Array.from(envs[i]!.reset(new Rng(s)).observation));
  const done = new Array<boolean>(n).fill(false);
  const returns = new Array<number>(n).fill(0);
  const lengths = new Array<number>(n).fill(0);
  const rec: (Recorder | null)[] = startSeeds.map((_, i) =>
    i < args.record
      ? { obs: Array.from(obs[i]!), actions: [], rewards: [], components: {}, logProbs: [], entropies: [], states: Array.from(envs[i]!.getState()) }
      : null,
  );
  const envAction = new Float64Array(actDim);
  let active = n;
  while (active > 0) {
    const idx: number[] = [];
    for (let i = 0; i < n; i++) if (!done[i]) idx.push(i);
    const batch = new Float32Array(idx.length * obsDim);
    idx.forEach((i, j) => batch.set(obs[i]!, j * obsDim));
    const act = await agent.act(batch, idx.length, mode, policyRng);
    for (let j = 0; j < idx.length; j++) {
      const i = idx[j]!;
      const env = envs[i]!;
      toEnvAction(agent.actionScaling, act.actions.subarray(j * actDim, (j + 1) * actDim), env.actionSpace, envAction);
      const res = env.step(envAction);
      returns[i]! += res.reward;
      lengths[i]! += 1;
      obs[i]!.set(res.observation);
      const r = rec[i];
      if (r) {
        r.obs.push(...res.observation);
        r.actions.push(...envAction);
        r.rewards.push(res.reward);
        for (const [k, v] of Object.entries(res.info.rewardComponents)) (r.components[k] ??= []).push(v);
        r.logProbs.push(act.logProbs[j]!);
        r.entropies.push(act.entropies[j]!);
        r.states.push(...env.getState());
      }
      if (res.terminated || res.truncated || env.elapsedSteps >= env.maxEpisodeSteps) {
        done[i] = true;
        active--;
      }
    }
  }
  const trajectories: Trajectory[] = [];
  rec.forEach((r, i) => {
    if (!r) return;
    const stateDim = envs[i]!.getState().length;
    const components: Record<string, Float32Array> = {};
    for (const [k, v] of Object.entries(r.components)) components[k] = Float32Array.from(v);
    trajectories.push({
      step: args.step,
      mode,
      episode: i,
      startSeed: startSeeds[i]!,
      length: lengths[i]!,
      obsDim,
      actDim,
      stateDim,
      observations: Float32Array.from(r.obs),
      actions: Float32Array.from(r.actions),
      rewards: Float32Array.from(r.rewards),
      rewardComponents: components,
      logProbs: Float32Array.from(r.logProbs),
      entropies: Float32Array.from(r.entropies),
      states: Float64Array.from(r.states),
    });
  });
  return {
    evaluation: { step: args.step, mode, returns, lengths, startSeeds: startSeeds.slice(), wallTime: args.wallTime },
    trajectories,
  };
}
