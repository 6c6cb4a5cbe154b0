// Quadrotor trajectory tracking (`quadrotor`): rotor-speed control (variant `rotors`, the paper's
// realistic model) or thrust/moment control (variant `simplified`).
//
// Spec sheet (spec/environments.md, "Quadrotor"; reference QuadRotor/quadrotor.py):
//   state        [x, y, z, vx, vy, vz, phi, theta, psi, phi_d, theta_d, psi_d] (roll, pitch, yaw);
//                time t = elapsed steps * dt (t = 0 at reset, also for an explicit state)
//   action       rotors: w in [0, 10]^4 (rad/s-like units of the reference), clipped; hover w = 2.256779
//                simplified (THIS PROJECT'S DEFINITION, not in the reference code): a in [-1, 1]^4,
//                clipped, mapped linearly to u1 in [0, 2 m g], u2, u3 in [-0.5, 0.5], u4 in [-0.01, 0.01]
//   forces       u1 = kt sum w^2; u2 = kt (w1^2 - w3^2); u3 = kt (w2^2 - w4^2); u4 = kd (w1^2 + w3^2 - w2^2 - w4^2)
//   dynamics     semi-implicit Euler, dt = 0.1 s (./dynamics.ts)
//   desired      x_d = 1.5 t, y_d = z_d = 0, v_d = (1.5, 0, 0). Quirk kept: after step k the observation
//                and reward use the desired point of time (k - 1) dt (the reference advances its
//                trajectory after building the observation); at reset, time 0. Parameter desiredLag = 0
//                uses time k dt instead (a corrected variant, recorded with the run)
//   observation  [x_d - x, y_d - y, z_d - z, roll, pitch, yaw, vx_d - vx, vy_d - vy, vz_d - vz]
//   reward       -5 (|e_x| + |e_y| + |e_z|) - |yaw| - |roll| - |pitch|; components
//                { position, yaw, roll, pitch } sum to it (in that order, as the reference adds them)
//   episode      40 steps (T = 4 s); the limit is returned as `terminated` (timeLimitTruncates = 1:
//                `truncated`); no crash termination
//   reset        x, y ~ U(-0.1, 0.1); z ~ U(-1, 1); vx, vy, vz ~ U(-0.1, 0.1) (drawn in that order);
//                angles and rates 0
//   check        from the zero state, w = 2.256779 on all rotors, 40 steps: return -585.000372
import type { Rng } from '../../rng.ts';
import { Box } from '../../spaces/box.ts';
import type { Env, ResetResult, StepResult } from '../types.ts';
import { checkActionLength, checkInitialState, copyObs, resolveParams, resolveVariant } from '../common.ts';
import {
  QUAD_DESIRED_SPEED,
  QUAD_DT,
  QUAD_EPISODE_STEPS,
  QUAD_MAX_ROTOR_SPEED,
  QUAD_PARAMS,
  QUAD_SIMPLIFIED_MOMENT,
  QUAD_SIMPLIFIED_YAW_MOMENT,
} from './params.ts';
import { quadrotorStep, rotorForces, type QuadConstants } from './dynamics.ts';

export const QUAD_VARIANTS = ['rotors', 'simplified'] as const;
export const QUAD_STATE_NAMES = ['x', 'y', 'z', 'vx', 'vy', 'vz', 'phi', 'theta', 'psi', 'phi_d', 'theta_d', 'psi_d'] as const;

export class QuadrotorEnv implements Env {
  readonly id = 'quadrotor';
  readonly variant: string;
  readonly params: Readonly<Record<string, number>>;
  readonly observationSpace = Box.uniform(9, -Infinity, Infinity);
  readonly actionSpace: Box;
  readonly maxEpisodeSteps = QUAD_EPISODE_STEPS;
  readonly stateNames: readonly string[] = QUAD_STATE_NAMES;
  elapsedSteps = 0;

  private readonly simplified: boolean;
  private readonly k: QuadConstants;
  private readonly state = new Float64Array(12);
  private readonly forces = new Float64Array(4);
  private readonly lag: number;
  private readonly limitTruncates: boolean;
  private readonly components = { position: 0, yaw: 0, roll: 0, pitch: 0 };
  private readonly result: StepResult;

  constructor(variant?: string, params?: Record<string, number>) {
    this.variant = resolveVariant(this.id, QUAD_VARIANTS, variant);
    this.simplified = this.variant === 'simplified';
    const p = resolveParams(this.id, QUAD_PARAMS, params);
    this.params = Object.freeze(p);
    this.lag = p.desiredLag!;
    this.limitTruncates = p.timeLimitTruncates === 1;
    this.k = { g: p.g!, m: p.m!, Jx: p.Jx!, Jy: p.Jy!, Jz: p.Jz!, kt: p.kt!, kd: p.kd!, l: p.armLength!, dt: QUAD_DT };
    this.actionSpace = this.simplified ? Box.uniform(4, -1, 1) : Box.uniform(4, 0, QUAD_MAX_ROTOR_SPEED);
    this.result = {
      observation: new Float64Array(9),
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
      for (let i = 0; i < 12; i++) s[i] = initialState[i]!;
    } else {
      s.fill(0);
      s[0] = rng.uniformRange(-0.1, 0.1);
      s[1] = rng.uniformRange(-0.1, 0.1);
      s[2] = rng.uniformRange(-1, 1);
      s[3] = rng.uniformRange(-0.1, 0.1);
      s[4] = rng.uniformRange(-0.1, 0.1);
      s[5] = rng.uniformRange(-0.1, 0.1);
    }
    this.elapsedSteps = 0;
    this.writeObservation(0);
    return { observation: copyObs(this.result.observation), info: {} };
  }

  step(action: ArrayLike<number>): StepResult {
    checkActionLength(this.id, 4, action);
    const f = this.forces;
    if (this.simplified) {
      const a1 = clip1(action[0]!), a2 = clip1(action[1]!), a3 = clip1(action[2]!), a4 = clip1(action[3]!);
      f[0] = (a1 + 1) * this.k.m * this.k.g; // [0, 2 m g]
      f[1] = a2 * QUAD_SIMPLIFIED_MOMENT;
      f[2] = a3 * QUAD_SIMPLIFIED_MOMENT;
      f[3] = a4 * QUAD_SIMPLIFIED_YAW_MOMENT;
    } else {
      rotorForces(clipW(action[0]!), clipW(action[1]!), clipW(action[2]!), clipW(action[3]!), this.k, f);
    }
    const s = this.state;
    quadrotorStep(s, f[0]!, f[1]!, f[2]!, f[3]!, this.k);
    this.elapsedSteps++;
    // Lagged desired point: after step k the reference still holds the trajectory of time (k - 1) dt.
    const xd = this.writeObservation((this.elapsedSteps - this.lag) * QUAD_DT * QUAD_DESIRED_SPEED);
    const c = this.components;
    c.position = 5 * (-Math.abs(xd - s[0]!) - Math.abs(s[1]!) - Math.abs(s[2]!));
    c.yaw = -Math.abs(s[8]!);
    c.roll = -Math.abs(s[6]!);
    c.pitch = -Math.abs(s[7]!);
    const res = this.result;
    res.reward = c.position + c.yaw + c.roll + c.pitch;
    const atLimit = this.elapsedSteps >= QUAD_EPISODE_STEPS;
    res.terminated = atLimit && !this.limitTruncates;
    res.truncated = atLimit && this.limitTruncates;
    return res;
  }

  getState(): Float64Array {
    return this.state.slice();
  }

  /** Writes the observation against the desired x position `xd`; returns xd. */
  private writeObservation(xd: number): number {
    const s = this.state;
    const o = this.result.observation;
    o[0] = xd - s[0]!;
    o[1] = 0 - s[1]!;
    o[2] = 0 - s[2]!;
    o[3] = s[6]!;
    o[4] = s[7]!;
    o[5] = s[8]!;
    o[6] = QUAD_DESIRED_SPEED - s[3]!;
    o[7] = 0 - s[4]!;
    o[8] = 0 - s[5]!;
    return xd;
  }
}

function clipW(w: number): number {
  return w < 0 ? 0 : w > QUAD_MAX_ROTOR_SPEED ? QUAD_MAX_ROTOR_SPEED : w;
}

function clip1(a: number): number {
  return a < -1 ? -1 : a > 1 ? 1 : a;
}
