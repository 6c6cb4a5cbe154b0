// Vehicle path tracking (`vehicle`): a dynamic bicycle with an arctan tyre model chasing a moving
// target around a radius-10 circle; variant `kinematic` is the simplified (kinematic bicycle) model.
//
// Spec sheet (spec/environments.md, "Vehicle"; reference DBicycle/dynamic_bicycle.py):
//   state        dynamic [x, y, psi, vx, vy, omega]; kinematic [x, y, psi, v]; the target index is
//                min(elapsed steps, 109) (it starts at 0 at reset, as the spec says for explicit states)
//   action       [throttle (m/s^2), steer delta (rad)] in [-1, 1]^2, clipped by the environment
//   dynamics     explicit Euler, dt = 0.1 s, in the reference's order (./dynamics.ts)
//   target       110 precomputed spline points (./spline.ts), index advances by one each step
//                (before the reward), stops at 109
//   observation  [target_x - fx, target_y - fy, psi, vx, vy, omega] with the front point
//                (fx, fy) = (x + L cos psi, y + L sin psi); kinematic: vx = v, vy = 0,
//                omega = v / L tan(delta) with the current v and the last steering (0 at reset)
//   reward       -0.3 |x^2 + y^2 - 100| - ||target - (x, y)|| after the update; components
//                { offTrack, targetDistance } sum to it; always <= 0
//   episode      200 steps; the limit is returned as `terminated` (reference quirk: no bootstrap there;
//                parameter timeLimitTruncates = 1 reports it as `truncated` instead);
//                no early termination, except: if the dynamics produce a non-finite value (vx = 0 makes
//                the tyre slip 0/0) the episode ends with terminated, info.nonFinite = true, and the
//                non-finite observation entries replaced by 0 (the state keeps them)
//   reset        deterministic: on the spline at s = 9, psi = tangent, vx = 3, vy = 0, omega = -1
//   checks       constant [0, 0] for 200 steps: return -76858.5645 (dynamic), -77901.5273 (kinematic)
import type { Rng } from '../../rng.ts';
import { Box } from '../../spaces/box.ts';
import type { Env, ResetResult, StepResult } from '../types.ts';
import { checkActionLength, checkInitialState, copyObs, resolveParams, resolveVariant } from '../common.ts';
import { VEHICLE_DT, VEHICLE_EPISODE_STEPS, VEHICLE_MAX_STEER, VEHICLE_MAX_THROTTLE, VEHICLE_PARAMS, VEHICLE_TARGET_COUNT } from './params.ts';
import { dynamicBicycleStep, kinematicBicycleStep, type DynamicBicycleConstants } from './dynamics.ts';
import { vehicleTrack } from './spline.ts';

export const VEHICLE_VARIANTS = ['dynamic', 'kinematic'] as const;
export const VEHICLE_STATE_NAMES: Record<string, readonly string[]> = {
  dynamic: ['x', 'y', 'psi', 'vx', 'vy', 'omega'],
  kinematic: ['x', 'y', 'psi', 'v'],
};

const OBS_HIGH = [100, 100, Math.PI, 30, 30, 5]; // the reference's (unenforced) observation box

export class VehicleEnv implements Env {
  readonly id = 'vehicle';
  readonly variant: string;
  readonly params: Readonly<Record<string, number>>;
  readonly observationSpace = new Box(OBS_HIGH.map((h) => -h), OBS_HIGH);
  readonly actionSpace = new Box([-VEHICLE_MAX_THROTTLE, -VEHICLE_MAX_STEER], [VEHICLE_MAX_THROTTLE, VEHICLE_MAX_STEER]);
  readonly maxEpisodeSteps = VEHICLE_EPISODE_STEPS;
  readonly stateNames: readonly string[];
  elapsedSteps = 0;

  private readonly kinematic: boolean;
  private readonly state: Float64Array;
  private readonly k: DynamicBicycleConstants;
  private readonly L: number;
  private readonly targets: Float64Array;
  private readonly start: { x: number; y: number; psi: number };
  private readonly limitTruncates: boolean;
  private lastDelta = 0;
  private readonly components = { offTrack: 0, targetDistance: 0 };
  private readonly result: StepResult;

  constructor(variant?: string, params?: Record<string, number>) {
    this.variant = resolveVariant(this.id, VEHICLE_VARIANTS, variant);
    this.kinematic = this.variant === 'kinematic';
    this.stateNames = VEHICLE_STATE_NAMES[this.variant]!;
    const p = resolveParams(this.id, VEHICLE_PARAMS, params);
    this.params = Object.freeze(p);
    this.limitTruncates = p.timeLimitTruncates === 1;
    const L = p.L!;
    const Lr = L / 2;
    this.L = L;
    this.k = { dt: VEHICLE_DT, Lf: L - Lr, Lr, m: p.m!, Iz: p.Iz!, Cf: p.Cf!, Cr: p.Cr!, ca: p.ca!, cr1: p.cr1!, maxSpeed: p.maxSpeed! };
    const track = vehicleTrack();
    this.targets = track.targets;
    this.start = track.start;
    this.state = new Float64Array(this.stateNames.length);
    this.result = {
      observation: new Float64Array(6),
      reward: 0,
      terminated: false,
      truncated: false,
      info: { rewardComponents: this.components, nonFinite: false },
    };
  }

  reset(_rng: Rng, initialState?: ArrayLike<number>): ResetResult {
    const s = this.state;
    if (initialState !== undefined) {
      checkInitialState(this.id, this.stateNames, initialState);
      for (let i = 0; i < s.length; i++) s[i] = initialState[i]!;
    } else {
      s[0] = this.start.x;
      s[1] = this.start.y;
      s[2] = this.start.psi;
      s[3] = this.params.initV!;
      if (!this.kinematic) {
        s[4] = 0;
        s[5] = this.params.initOmega!;
      }
    }
    this.elapsedSteps = 0;
    this.lastDelta = 0;
    this.writeObservation(0);
    return { observation: copyObs(this.result.observation), info: {} };
  }

  step(action: ArrayLike<number>): StepResult {
    checkActionLength(this.id, 2, action);
    let throttle = action[0]!;
    let delta = action[1]!;
    throttle = throttle > VEHICLE_MAX_THROTTLE ? VEHICLE_MAX_THROTTLE : throttle < -VEHICLE_MAX_THROTTLE ? -VEHICLE_MAX_THROTTLE : throttle;
    delta = delta > VEHICLE_MAX_STEER ? VEHICLE_MAX_STEER : delta < -VEHICLE_MAX_STEER ? -VEHICLE_MAX_STEER : delta;
    const s = this.state;
    if (this.kinematic) kinematicBicycleStep(s, throttle, delta, VEHICLE_DT, this.L, this.k.maxSpeed, s);
    else dynamicBicycleStep(s, throttle, delta, this.k, s);
    this.lastDelta = delta;
    this.elapsedSteps++;
    const idx = this.elapsedSteps < VEHICLE_TARGET_COUNT - 1 ? this.elapsedSteps : VEHICLE_TARGET_COUNT - 1;
    const x = s[0]!;
    const y = s[1]!;
    const tx = this.targets[2 * idx]!;
    const ty = this.targets[2 * idx + 1]!;
    const c = this.components;
    c.offTrack = -(Math.abs(x * x + y * y - 100) * 0.3);
    const ex = tx - x;
    const ey = ty - y;
    c.targetDistance = -Math.sqrt(ex * ex + ey * ey); // np.hypot to within an ulp; Math.hypot is slow
    const res = this.result;
    res.reward = c.offTrack + c.targetDistance;
    const nonFinite = this.writeObservation(idx);
    res.info.nonFinite = nonFinite;
    const atLimit = this.elapsedSteps >= VEHICLE_EPISODE_STEPS;
    res.terminated = nonFinite || (atLimit && !this.limitTruncates);
    res.truncated = !nonFinite && atLimit && this.limitTruncates;
    return res;
  }

  getState(): Float64Array {
    return this.state.slice();
  }

  /** Writes the observation for target index `idx`; returns true when the state holds a non-finite value. */
  private writeObservation(idx: number): boolean {
    const s = this.state;
    const o = this.result.observation;
    const x = s[0]!, y = s[1]!, psi = s[2]!;
    const L = this.L;
    o[0] = this.targets[2 * idx]! - (x + L * Math.cos(psi));
    o[1] = this.targets[2 * idx + 1]! - (y + L * Math.sin(psi));
    o[2] = psi;
    if (this.kinematic) {
      const v = s[3]!;
      o[3] = v;
      o[4] = 0;
      o[5] = (v / L) * Math.tan(this.lastDelta);
    } else {
      o[3] = s[3]!;
      o[4] = s[4]!;
      o[5] = s[5]!;
    }
    let bad = false;
    for (let i = 0; i < 6; i++) {
      if (!Number.isFinite(o[i]!)) {
        o[i] = 0;
        bad = true;
      }
    }
    for (let i = 0; i < s.length; i++) if (!Number.isFinite(s[i]!)) bad = true;
    return bad;
  }
}
