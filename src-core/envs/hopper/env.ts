// Hopper (`hopper`): Gymnasium Hopper-v4 on the MuJoCo WebAssembly engine.
//
// Spec sheet (spec/environments.md, "Hopper"; Gymnasium mujoco/hopper_v4.py):
//   model        ./model.ts (Gymnasium's hopper.xml numbers); qpos [rootx, rootz, rooty, thigh, leg,
//                foot], qvel the same six rates; RK4, 0.002 s, frame skip 4 (dt = 0.008 s)
//   action       3 motor commands in [-1, 1] (gear 200); MuJoCo clamps ctrl to that range
//   observation  [qpos[1:6], clip(qvel, -10, 10)] (11): x is left out
//   reward       healthy 1 + forward (x_after - x_before) / dt - 1e-3 ||a||^2 (a as sent);
//                components { healthy, forward, ctrl_cost } (ctrl_cost negative)
//   termination  unhealthy: z <= 0.7, |angle| >= 0.2, or any of qpos[2:], qvel outside (-100, 100)
//                (reasons in info.unhealthy); truncated at 1000 steps
//   reset        qpos = qpos0 + U(-5e-3, 5e-3) (6 draws), then qvel = U(-5e-3, 5e-3) (6 draws)
//   full state   [qpos (6), qvel (6), qacc_warmstart (6)]: the warm start of MuJoCo's constraint
//                solver makes a restored state continue bit for bit; use zeros for a fresh start
import type { Rng } from '../../rng.ts';
import { Box } from '../../spaces/box.ts';
import type { Env, ResetResult, StepResult } from '../types.ts';
import { checkActionLength, checkInitialState, copyObs, resolveParams, resolveVariant } from '../common.ts';
import type { Physics } from '../mujoco/physics.ts';
import { MujocoSim } from '../mujoco/sim.ts';
import { toMjcf } from '../mujoco/mjcf.ts';
import { HOPPER_MODEL } from './model.ts';
import { HOPPER_EPISODE_STEPS, HOPPER_FRAME_SKIP, HOPPER_OBS_VEL_CLIP, HOPPER_PARAMS } from './params.ts';

export const HOPPER_VARIANTS = ['default'] as const;
const Q = ['rootx', 'rootz', 'rooty', 'thigh', 'leg', 'foot'];
const LINEAR = (i: number): boolean => i < 2; // rootx, rootz slide; the rest are hinges
export const HOPPER_STATE_NAMES: readonly string[] = [
  ...Q.map((n, i) => `${n} [${LINEAR(i) ? 'm' : 'rad'}]`),
  ...Q.map((n, i) => `${n}_d [${LINEAR(i) ? 'm/s' : 'rad/s'}]`),
  ...Q.map((n, i) => `${n}_warmstart [${LINEAR(i) ? 'm/s^2' : 'rad/s^2'}]`),
];
export const HOPPER_OBS_DIM = 11;
export const HOPPER_ACT_DIM = 3;

let xml: string | null = null;
const hopperXml = (): string => (xml ??= toMjcf(HOPPER_MODEL));

export class HopperEnv implements Env {
  readonly id = 'hopper';
  readonly variant: string;
  readonly params: Readonly<Record<string, number>>;
  readonly observationSpace = Box.uniform(HOPPER_OBS_DIM, -Infinity, Infinity);
  readonly actionSpace = Box.uniform(HOPPER_ACT_DIM, -1, 1);
  readonly maxEpisodeSteps = HOPPER_EPISODE_STEPS;
  readonly stateNames = HOPPER_STATE_NAMES;
  elapsedSteps = 0;

  private readonly sim: MujocoSim;
  private readonly dt: number;
  private readonly components = { healthy: 0, forward: 0, ctrl_cost: 0 };
  private readonly result: StepResult;

  constructor(physics: Physics, variant?: string, params?: Record<string, number>) {
    this.variant = resolveVariant(this.id, HOPPER_VARIANTS, variant);
    this.params = Object.freeze(resolveParams(this.id, HOPPER_PARAMS, params));
    this.sim = new MujocoSim(physics, hopperXml(), this.id);
    this.dt = this.sim.timestep * HOPPER_FRAME_SKIP;
    this.result = {
      observation: new Float64Array(HOPPER_OBS_DIM),
      reward: 0,
      terminated: false,
      truncated: false,
      info: { rewardComponents: this.components, x_position: 0, x_velocity: 0 },
    };
  }

  reset(rng: Rng, initialState?: ArrayLike<number>): ResetResult {
    const sim = this.sim;
    sim.reset();
    if (initialState !== undefined) {
      checkInitialState(this.id, this.stateNames, initialState);
      sim.setState(initialState);
    } else {
      const noise = this.params.resetNoiseScale!;
      const { qpos, qvel } = sim.views;
      for (let i = 0; i < sim.nq; i++) qpos[i] = qpos[i]! + rng.uniformRange(-noise, noise);
      for (let i = 0; i < sim.nv; i++) qvel[i] = rng.uniformRange(-noise, noise);
    }
    sim.forward();
    this.elapsedSteps = 0;
    this.writeObservation();
    return { observation: copyObs(this.result.observation), info: { x_position: sim.views.qpos[0] } };
  }

  step(action: ArrayLike<number>): StepResult {
    checkActionLength(this.id, HOPPER_ACT_DIM, action);
    const sim = this.sim;
    const p = this.params;
    const { qpos, ctrl } = sim.views; // still valid after the step: mj_step allocates nothing
    const xBefore = qpos[0]!;
    let sq = 0;
    for (let i = 0; i < HOPPER_ACT_DIM; i++) {
      const a = action[i]!;
      ctrl[i] = a;
      sq += a * a;
    }
    sim.step(HOPPER_FRAME_SKIP);
    const xAfter = qpos[0]!;
    const xVelocity = (xAfter - xBefore) / this.dt;
    this.elapsedSteps++;
    const c = this.components;
    c.healthy = p.healthyReward!;
    c.forward = p.forwardRewardWeight! * xVelocity;
    c.ctrl_cost = -p.ctrlCostWeight! * sq;
    const res = this.result;
    res.reward = c.healthy + c.forward + c.ctrl_cost;
    const finiteObservation = this.writeObservation();
    const unhealthy = this.unhealthyReason();
    const nonFinite = !Number.isFinite(res.reward) || !finiteObservation;
    res.terminated = unhealthy !== null || nonFinite;
    res.truncated = this.elapsedSteps >= HOPPER_EPISODE_STEPS;
    res.info = { rewardComponents: c, x_position: xAfter, x_velocity: xVelocity };
    if (unhealthy) res.info.unhealthy = unhealthy;
    if (nonFinite) res.info.nonFinite = true;
    return res;
  }

  getState(): Float64Array {
    const out = new Float64Array(this.sim.stateSize);
    this.sim.getState(out);
    return out;
  }

  /** Frees the MuJoCo model and data. */
  close(): void {
    this.sim.close();
  }

  /** Why the hopper is unhealthy ('z', 'angle', 'state'), or null (Gymnasium's is_healthy). */
  private unhealthyReason(): string | null {
    const { qpos, qvel } = this.sim.views;
    const p = this.params;
    const range = p.healthyStateRange!;
    const z = qpos[1]!, angle = qpos[2]!;
    if (!(z > p.healthyZMin!)) return 'z';
    if (!(angle > -p.healthyAngle! && angle < p.healthyAngle!)) return 'angle';
    for (let i = 2; i < qpos.length; i++) if (!(qpos[i]! > -range && qpos[i]! < range)) return 'state';
    for (let i = 0; i < qvel.length; i++) if (!(qvel[i]! > -range && qvel[i]! < range)) return 'state';
    return null;
  }

  /** Writes the observation; false when a value is not finite. */
  private writeObservation(): boolean {
    const { qpos, qvel } = this.sim.views;
    const o = this.result.observation;
    let zero = 0; // v - v is 0 for a finite v, NaN for an infinite or NaN one
    for (let i = 1; i < 6; i++) {
      const v = (o[i - 1] = qpos[i]!);
      zero += v - v;
    }
    for (let i = 0; i < 6; i++) {
      const q = qvel[i]!;
      const v = (o[5 + i] = q > HOPPER_OBS_VEL_CLIP ? HOPPER_OBS_VEL_CLIP : q < -HOPPER_OBS_VEL_CLIP ? -HOPPER_OBS_VEL_CLIP : q);
      zero += v - v;
    }
    return zero === 0;
  }
}
