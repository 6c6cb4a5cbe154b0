// One seed's PPO rollout storage ([T, N] row-major: vector step t of env i at t * N + i) with its
// running observation statistics (obsNorm): what stays per seed when PPO trains K seeds at once
// (ppo.ts). The checkpoint arrays and keys are those of the single-seed agent before seed groups.
import { RunningMeanStd, type RunningMeanStdJson } from '../../nn/running_norm.ts';
import type { AgentState, RolloutStep, TensorMap } from '../common/types.ts';

export class PpoRollout {
  readonly numEnvs: number;
  readonly stepsPerEnv: number;
  readonly obsDim: number;
  readonly actDim: number;
  /** Vector steps stored so far. */
  t = 0;
  readonly obs: Float32Array;
  readonly nextObs: Float32Array;
  readonly actions: Float32Array;
  readonly rewards: Float32Array;
  readonly terminated: Float32Array;
  readonly done: Float32Array;
  /** Running observation statistics (obsNorm), or null. */
  readonly obsRms: RunningMeanStd | null;
  /** The normalised observations of the last 'explore' act, which store() records (obsNorm). */
  lastExploreObs: Float32Array | null = null;

  constructor(numEnvs: number, stepsPerEnv: number, obsDim: number, actDim: number, obsNorm: boolean) {
    this.numEnvs = numEnvs;
    this.stepsPerEnv = stepsPerEnv;
    this.obsDim = obsDim;
    this.actDim = actDim;
    const n = numEnvs * stepsPerEnv;
    this.obs = new Float32Array(n * obsDim);
    this.nextObs = new Float32Array(n * obsDim);
    this.actions = new Float32Array(n * actDim);
    this.rewards = new Float32Array(n);
    this.terminated = new Float32Array(n);
    this.done = new Float32Array(n);
    this.obsRms = obsNorm ? new RunningMeanStd(obsDim) : null;
  }

  get full(): boolean {
    return this.t >= this.stepsPerEnv;
  }

  /** The observations as the networks see them (normalised with obsNorm); an explore act's are kept for store(). */
  seen(rawObs: Float32Array, n: number, explore: boolean): Float32Array {
    const obs = this.obsRms ? this.obsRms.normalize(rawObs, n) : rawObs;
    if (explore) this.lastExploreObs = obs;
    return obs;
  }

  store(s: RolloutStep): void {
    if (this.full) throw new Error('ppo: rollout is full');
    const N = this.numEnvs;
    const base = this.t * N;
    if (this.obsRms) {
      // the observations as the policy saw them when it acted; next observations with the statistics
      // that now include them (as Tianshou normalises each observation when the envs return it)
      if (!this.lastExploreObs || this.lastExploreObs.length !== N * this.obsDim) throw new Error('ppo: store() without a preceding explore act()');
      this.obs.set(this.lastExploreObs, base * this.obsDim);
      this.nextObs.set(this.obsRms.normalize(s.nextObs, N), base * this.obsDim);
    } else {
      this.obs.set(s.obs, base * this.obsDim);
      this.nextObs.set(s.nextObs, base * this.obsDim);
    }
    this.actions.set(s.actions, base * this.actDim);
    this.rewards.set(s.rewards, base);
    this.terminated.set(s.terminated, base);
    this.done.set(s.done, base);
    this.t += 1;
  }

  /** The stored part, under the checkpoint keys 'rollout.*'. */
  save(tensors: TensorMap): AgentState['json'] {
    const n = this.t * this.numEnvs;
    tensors['rollout.obs'] = { shape: [n, this.obsDim], data: this.obs.slice(0, n * this.obsDim) };
    tensors['rollout.next_obs'] = { shape: [n, this.obsDim], data: this.nextObs.slice(0, n * this.obsDim) };
    tensors['rollout.actions'] = { shape: [n, this.actDim], data: this.actions.slice(0, n * this.actDim) };
    tensors['rollout.rewards'] = { shape: [n], data: this.rewards.slice(0, n) };
    tensors['rollout.terminated'] = { shape: [n], data: this.terminated.slice(0, n) };
    tensors['rollout.done'] = { shape: [n], data: this.done.slice(0, n) };
    return { rolloutSteps: this.t, ...(this.obsRms ? { obsRms: this.obsRms.toJson() } : {}) };
  }

  load(state: AgentState): void {
    const t = state.tensors;
    const steps = Number(state.json.rolloutSteps ?? 0);
    if (!Number.isInteger(steps) || steps < 0 || steps > this.stepsPerEnv) throw new Error(`checkpoint: PPO rollout length ${String(state.json.rolloutSteps)} is not between 0 and ${this.stepsPerEnv}`);
    const n = steps * this.numEnvs;
    const get = (k: string, len: number) => {
      const a = t[k];
      if (!a || a.data.length !== len) throw new Error(`checkpoint: PPO rollout array '${k}' missing or of the wrong size`);
      return a.data;
    };
    this.obs.set(get('rollout.obs', n * this.obsDim));
    this.nextObs.set(get('rollout.next_obs', n * this.obsDim));
    this.actions.set(get('rollout.actions', n * this.actDim));
    this.rewards.set(get('rollout.rewards', n));
    this.terminated.set(get('rollout.terminated', n));
    this.done.set(get('rollout.done', n));
    this.t = steps;
    this.obsRms?.load(state.json.obsRms as RunningMeanStdJson);
  }
}
