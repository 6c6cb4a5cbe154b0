// Continuous-torque acrobot balancing near upright (`acrobot`); not Gymnasium's discrete Acrobot.
//
// Spec sheet (spec/environments.md, "Acrobot"; reference AcrobotCont/acrobotCont.py):
//   state        [th1, th2, th1_d, th2_d]; th1 = pi/2 is link 1 straight up; th2 relative to link 1
//   action       elbow torque in [-20, 20] N m, clipped
//   dynamics     one classic RK4 step of dt = 0.2 s (./dynamics.ts), torque constant over the step;
//                then wrap th1, th2 to [-pi, pi] (the reference's loop) and clip th1_d to +-4 pi,
//                th2_d to +-9 pi
//   observation  [cos th1, sin th1, cos th2, sin th2, th1_d, th2_d]
//   reward       -[wrap(th1 - pi/2)^2 + wrap(th2)^2 + 0.1 th1_d^2 + 0.1 th2_d^2] on the new state
//                (wrap = Gymnasium's angle_normalize); components { angle1, angle2, rate1, rate2 }
//   episode      never terminates; truncated at 400 steps
//   reset        th1 ~ U(45 deg, 135 deg); th2, th1_d, th2_d ~ U(-0.1, 0.1) (drawn in that order)
//   check        from [pi/2 + 0.1, 0, 0, 0], zero torque, 200 steps: return -2088.7922. Chaotic:
//                no check may use a much longer horizon
import type { Rng } from '../../rng.ts';
import { Box } from '../../spaces/box.ts';
import type { Env, ResetResult, StepResult } from '../types.ts';
import { angleNormalize, checkActionLength, checkInitialState, copyObs, resolveParams, resolveVariant, wrapLoop } from '../common.ts';
import { ACROBOT_DT, ACROBOT_EPISODE_STEPS, ACROBOT_MAX_TORQUE, ACROBOT_MAX_VEL_1, ACROBOT_MAX_VEL_2, ACROBOT_PARAMS } from './params.ts';
import { acrobotRk4Step, type AcrobotConstants } from './dynamics.ts';

export const ACROBOT_VARIANTS = ['default'] as const;
export const ACROBOT_STATE_NAMES = ['th1', 'th2', 'th1_d', 'th2_d'] as const;

export class AcrobotEnv implements Env {
  readonly id = 'acrobot';
  readonly variant: string;
  readonly params: Readonly<Record<string, number>>;
  readonly observationSpace = new Box([-1, -1, -1, -1, -ACROBOT_MAX_VEL_1, -ACROBOT_MAX_VEL_2], [1, 1, 1, 1, ACROBOT_MAX_VEL_1, ACROBOT_MAX_VEL_2]);
  readonly actionSpace = Box.uniform(1, -ACROBOT_MAX_TORQUE, ACROBOT_MAX_TORQUE);
  readonly maxEpisodeSteps = ACROBOT_EPISODE_STEPS;
  readonly stateNames: readonly string[] = ACROBOT_STATE_NAMES;
  elapsedSteps = 0;

  private readonly k: AcrobotConstants;
  private readonly state = new Float64Array(4);
  private readonly scratch = new Float64Array(16);
  private readonly components = { angle1: 0, angle2: 0, rate1: 0, rate2: 0 };
  private readonly result: StepResult;

  constructor(variant?: string, params?: Record<string, number>) {
    this.variant = resolveVariant(this.id, ACROBOT_VARIANTS, variant);
    const p = resolveParams(this.id, ACROBOT_PARAMS, params);
    this.params = Object.freeze(p);
    this.k = { m1: p.m1!, m2: p.m2!, l1: p.l1!, lc1: p.lc1!, lc2: p.lc2!, I1: p.I1!, I2: p.I2!, g: p.g! };
    this.result = {
      observation: new Float64Array(6),
      reward: 0,
      terminated: false,
      truncated: false,
      info: { rewardComponents: this.components },
    };
  }

  reset(rng: Rng, initialState?: ArrayLike<number>): ResetResult {
    const s = this.state;
    if (initialState !== undefined) {
      checkInitialState(this.id, this.stateNames, initialState);
      for (let i = 0; i < 4; i++) s[i] = initialState[i]!;
    } else {
      s[0] = rng.uniformRange(Math.PI / 4, (3 * Math.PI) / 4);
      s[1] = rng.uniformRange(-0.1, 0.1);
      s[2] = rng.uniformRange(-0.1, 0.1);
      s[3] = rng.uniformRange(-0.1, 0.1);
    }
    this.elapsedSteps = 0;
    this.writeObservation();
    return { observation: copyObs(this.result.observation), info: {} };
  }

  step(action: ArrayLike<number>): StepResult {
    checkActionLength(this.id, 1, action);
    const a = action[0]!;
    const torque = a > ACROBOT_MAX_TORQUE ? ACROBOT_MAX_TORQUE : a < -ACROBOT_MAX_TORQUE ? -ACROBOT_MAX_TORQUE : a;
    const s = this.state;
    acrobotRk4Step(s, torque, ACROBOT_DT, this.k, this.scratch);
    s[0] = wrapLoop(s[0]!, -Math.PI, Math.PI);
    s[1] = wrapLoop(s[1]!, -Math.PI, Math.PI);
    s[2] = Math.min(Math.max(s[2]!, -ACROBOT_MAX_VEL_1), ACROBOT_MAX_VEL_1);
    s[3] = Math.min(Math.max(s[3]!, -ACROBOT_MAX_VEL_2), ACROBOT_MAX_VEL_2);
    this.elapsedSteps++;
    const e1 = angleNormalize(s[0]! - Math.PI / 2);
    const e2 = angleNormalize(s[1]!);
    const c = this.components;
    c.angle1 = -(e1 * e1);
    c.angle2 = -(e2 * e2);
    c.rate1 = -(0.1 * (s[2]! * s[2]!));
    c.rate2 = -(0.1 * (s[3]! * s[3]!));
    const res = this.result;
    res.reward = c.angle1 + c.angle2 + c.rate1 + c.rate2;
    this.writeObservation();
    res.terminated = false;
    res.truncated = this.elapsedSteps >= ACROBOT_EPISODE_STEPS;
    return res;
  }

  getState(): Float64Array {
    return this.state.slice();
  }

  private writeObservation(): void {
    const s = this.state;
    const o = this.result.observation;
    o[0] = Math.cos(s[0]!);
    o[1] = Math.sin(s[0]!);
    o[2] = Math.cos(s[1]!);
    o[3] = Math.sin(s[1]!);
    o[4] = s[2]!;
    o[5] = s[3]!;
  }
}
