// Pendulum (`pendulum`), Gymnasium Pendulum-v1 semantics exactly.
//
// Spec sheet (spec/environments.md, "Pendulum"):
//   state        [theta, theta_d]; theta = 0 upright; theta is not wrapped in the state
//   action       torque u, clipped to [-2, 2] N m
//   per step     cost = wrap(theta)^2 + 0.1 theta_d^2 + 0.001 u^2 (state before the step), r = -cost
//                theta_d += (3 g / (2 l) sin theta + 3 / (m l^2) u) dt, clipped to [-8, 8]
//                theta += theta_d(new) dt
//   observation  [cos theta, sin theta, theta_d]
//   episode      never terminates; truncated at 200 steps
//   reset        theta ~ U(-pi, pi), theta_d ~ U(-1, 1); or explicit [theta, theta_d]
//   info         rewardComponents { angle, velocity, torque } (each minus its cost term)
//   check        from [1, 0], zero torque, 200 steps: return -1067.4522
import type { Rng } from '../../rng.ts';
import { Box } from '../../spaces/box.ts';
import type { Env, ResetResult, StepResult } from '../types.ts';
import { angleNormalize, checkActionLength, checkInitialState, clip, copyObs, resolveParams, resolveVariant } from '../common.ts';
import { PENDULUM_EPISODE_STEPS, PENDULUM_MAX_SPEED, PENDULUM_MAX_TORQUE, PENDULUM_PARAMS } from './params.ts';
import { pendulumAngularAcceleration } from './dynamics.ts';

export const PENDULUM_VARIANTS = ['default'] as const;
export const PENDULUM_STATE_NAMES = ['theta', 'theta_d'] as const;

export class PendulumEnv implements Env {
  readonly id = 'pendulum';
  readonly variant: string;
  readonly params: Readonly<Record<string, number>>;
  readonly observationSpace = new Box([-1, -1, -PENDULUM_MAX_SPEED], [1, 1, PENDULUM_MAX_SPEED]);
  readonly actionSpace = Box.uniform(1, -PENDULUM_MAX_TORQUE, PENDULUM_MAX_TORQUE);
  readonly maxEpisodeSteps = PENDULUM_EPISODE_STEPS;
  readonly stateNames: readonly string[] = PENDULUM_STATE_NAMES;
  elapsedSteps = 0;

  private theta = 0;
  private thetaDot = 0;
  private readonly g: number;
  private readonly m: number;
  private readonly l: number;
  private readonly dt: number;
  private readonly components = { angle: 0, velocity: 0, torque: 0 };
  private readonly result: StepResult;

  constructor(variant?: string, params?: Record<string, number>) {
    this.variant = resolveVariant(this.id, PENDULUM_VARIANTS, variant);
    const p = resolveParams(this.id, PENDULUM_PARAMS, params);
    this.params = Object.freeze(p);
    this.g = p.g!;
    this.m = p.m!;
    this.l = p.l!;
    this.dt = p.dt!;
    this.result = {
      observation: new Float64Array(3),
      reward: 0,
      terminated: false,
      truncated: false,
      info: { rewardComponents: this.components },
    };
  }

  reset(rng: Rng, initialState?: ArrayLike<number>): ResetResult {
    if (initialState !== undefined) {
      checkInitialState(this.id, this.stateNames, initialState);
      this.theta = initialState[0]!;
      this.thetaDot = initialState[1]!;
    } else {
      this.theta = rng.uniformRange(-Math.PI, Math.PI);
      this.thetaDot = rng.uniformRange(-1, 1);
    }
    this.elapsedSteps = 0;
    this.writeObservation();
    return { observation: copyObs(this.result.observation), info: {} };
  }

  step(action: ArrayLike<number>): StepResult {
    checkActionLength(this.id, 1, action);
    const u = clip(action[0]!, -PENDULUM_MAX_TORQUE, PENDULUM_MAX_TORQUE);
    const th = this.theta;
    const thd = this.thetaDot;
    const a = angleNormalize(th);
    const c = this.components;
    c.angle = -(a * a);
    c.velocity = -(0.1 * (thd * thd));
    c.torque = -(0.001 * (u * u));
    let newThd = thd + pendulumAngularAcceleration(th, u, this.g, this.m, this.l) * this.dt;
    newThd = clip(newThd, -PENDULUM_MAX_SPEED, PENDULUM_MAX_SPEED);
    this.theta = th + newThd * this.dt;
    this.thetaDot = newThd;
    this.elapsedSteps++;
    const res = this.result;
    res.reward = c.angle + c.velocity + c.torque;
    this.writeObservation();
    res.terminated = false;
    res.truncated = this.elapsedSteps >= PENDULUM_EPISODE_STEPS;
    return res;
  }

  getState(): Float64Array {
    return Float64Array.of(this.theta, this.thetaDot);
  }

  private writeObservation(): void {
    const o = this.result.observation;
    o[0] = Math.cos(this.theta);
    o[1] = Math.sin(this.theta);
    o[2] = this.thetaDot;
  }
}
