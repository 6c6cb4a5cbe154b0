// Toy two-step bifurcation (`toy`), the paper's motivating example.
//
// Spec sheet (spec/environments.md, "Toy"; reference ToyExample/toyexample.py):
//   state      index 0..5, start s0; observation one-hot (6)
//   action     scalar a in [-1, 1] (the bounds of the space); NEVER clipped by the environment
//   s0 --a>0--> s2 (r 0) --any--> s5 (r -1, terminated)
//   s0 --a<=0-> s1 (r 0) --|a|<0.1--> s3 (r +1, terminated) | otherwise s4 (r -20, terminated)
//   episode    exactly two steps from s0; no time limit needed. Terminal states are absorbing
//              (a step from s3..s5 gives reward 0 and terminated), a project choice for explicit starts.
//   reset      deterministic (s0); explicit initial state [index] with an integer 0..5
//   info       rewardComponents { outcome }
import type { Rng } from '../../rng.ts';
import { Box } from '../../spaces/box.ts';
import type { Env, ResetResult, StepResult } from '../types.ts';
import { checkActionLength, checkInitialState, resolveParams, resolveVariant } from '../common.ts';
import { TOY_EPISODE_STEPS, TOY_PARAMS, TOY_STATE_COUNT } from './params.ts';
import { toyIsTerminal, toyNextState, toyReward, type ToyRewards } from './dynamics.ts';

export const TOY_VARIANTS = ['default'] as const;
export const TOY_STATE_NAMES = ['state'] as const;

export class ToyEnv implements Env {
  readonly id = 'toy';
  readonly variant: string;
  readonly params: Readonly<Record<string, number>>;
  readonly observationSpace = Box.uniform(TOY_STATE_COUNT, 0, 1);
  readonly actionSpace = Box.uniform(1, -1, 1);
  readonly maxEpisodeSteps = TOY_EPISODE_STEPS;
  readonly stateNames: readonly string[] = TOY_STATE_NAMES;
  elapsedSteps = 0;

  private s = 0;
  private readonly rewards: ToyRewards;
  private readonly components = { outcome: 0 };
  private readonly result: StepResult;

  constructor(variant?: string, params?: Record<string, number>) {
    this.variant = resolveVariant(this.id, TOY_VARIANTS, variant);
    const p = resolveParams(this.id, TOY_PARAMS, params);
    this.params = Object.freeze(p);
    this.rewards = { bandHalfWidth: p.bandHalfWidth!, rewardGood: p.rewardGood!, rewardFail: p.rewardFail!, rewardSafe: p.rewardSafe! };
    this.result = {
      observation: new Float64Array(TOY_STATE_COUNT),
      reward: 0,
      terminated: false,
      truncated: false,
      info: { rewardComponents: this.components },
    };
  }

  reset(_rng: Rng, initialState?: ArrayLike<number>): ResetResult {
    let s = 0;
    if (initialState !== undefined) {
      checkInitialState(this.id, this.stateNames, initialState);
      s = initialState[0]!;
      if (!Number.isInteger(s) || s < 0 || s >= TOY_STATE_COUNT) {
        throw new Error(`toy: initial state must be an integer state index 0..5, got ${s}`);
      }
    }
    this.s = s;
    this.elapsedSteps = 0;
    const observation = new Float64Array(TOY_STATE_COUNT);
    observation[s] = 1;
    return { observation, info: {} };
  }

  step(action: ArrayLike<number>): StepResult {
    checkActionLength(this.id, 1, action);
    const s = this.s;
    const next = toyNextState(s, action[0]!, this.rewards.bandHalfWidth);
    const r = toyReward(s, next, this.rewards);
    this.s = next;
    this.elapsedSteps++;
    const res = this.result;
    const obs = res.observation;
    obs.fill(0);
    obs[next] = 1;
    this.components.outcome = r;
    res.reward = r;
    res.terminated = toyIsTerminal(next);
    res.truncated = false;
    return res;
  }

  getState(): Float64Array {
    return Float64Array.of(this.s);
  }
}
