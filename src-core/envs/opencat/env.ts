// OpenCat quadruped (`opencat`): the Petoi Bittle of the reference (PyBullet) on MuJoCo WebAssembly.
//
// Spec sheet (spec/environments.md, "OpenCat"; reference custom_gym/envs/OpenCat/opencat.py):
//   model        ./model.ts; qpos [base x, y, z, quat w, x, y, z, 8 joints], 1/240 s physics
//   action       8 values (nominally [-1, 1], not clipped, as in the reference); per joint target =
//                round_deg(clip(q + a 11 deg, +-110 deg)); servos hold it (force <= 0.2 N m, speed
//                <= 10 pi rad/s, applied after each physics step)
//   one step     physics step (servos still on the previous targets); count front-leg (arm) contacts
//                into the episode's counter; set the new targets; physics step; append targets / 110
//                deg to the history on even steps (step 0, 2, ...); read the base quaternion;
//                physics step; read the world body rates and x (the reference's order exactly)
//   observation  [base quaternion (x, y, z, w: PyBullet's order, read before the last physics step),
//                clip(0.1 wx, -1, 1), clip(0.1 wy, -1, 1), 30 x 8 history] (246)
//   reward       1000 dx - (S / 2e6) (smooth + 0.1 (wx'^2 + wy'^2) + 0.01 armContacts); S = steps of
//                the completed episodes of this env instance (the reference's step_counter_session);
//                smooth = sum (q - q1)^2 + (q - 2 q1 + q2)^2 over the normalised targets of this and
//                the two previous steps; components { movement, smoothness, stability, arm_contact }
//   termination  truncated after 250 steps; otherwise fallen (|roll| or |pitch| > 1.3 rad): reward 0,
//                terminated
//   reset        deterministic (no randomness, as in the reference): base at (0, 0, 0.08), level;
//                shoulders and hips 50 deg, elbows and knees 0; servos hold that pose; history and
//                the recent targets filled with it; arm contacts 0 (S is kept)
//   full state   qpos (15), qvel (14), warm start (14), servo targets (8), recent targets (3 x 8),
//                history (30 x 8), step, arm contacts, S: everything a step reads
import type { Rng } from '../../rng.ts';
import { Box } from '../../spaces/box.ts';
import type { Env, ResetResult, StepResult } from '../types.ts';
import { checkActionLength, checkInitialState, copyObs, resolveParams, resolveVariant } from '../common.ts';
import type { Physics } from '../mujoco/physics.ts';
import { MujocoSim } from '../mujoco/sim.ts';
import { kinematicTree, toMjcf } from '../mujoco/mjcf.ts';
import { OPENCAT_ARM_GEOMS, OPENCAT_JOINTS, OPENCAT_MODEL } from './model.ts';
import {
  OPENCAT_BOUND, OPENCAT_EPISODE_STEPS, OPENCAT_HISTORY, OPENCAT_MAX_JOINT_SPEED, OPENCAT_PARAMS, OPENCAT_PHYSICS_STEPS,
  OPENCAT_START_ANGLE, OPENCAT_STEP_ANGLE,
} from './params.ts';

export const OPENCAT_VARIANTS = ['default'] as const;
export const OPENCAT_ACT_DIM = 8;
export const OPENCAT_OBS_DIM = 6 + OPENCAT_HISTORY * OPENCAT_ACT_DIM;
const NQ = 15, NV = 14, NJ = 8;
const Q_NAMES = ['x', 'y', 'z', 'qw', 'qx', 'qy', 'qz', ...OPENCAT_JOINTS];
const V_NAMES = ['vx', 'vy', 'vz', 'wx_body', 'wy_body', 'wz_body', ...OPENCAT_JOINTS.map((j) => `${j}_d`)];
export const OPENCAT_STATE_NAMES: readonly string[] = [
  ...Q_NAMES.map((n, i) => `${n} [${i < 3 ? 'm' : i < 7 ? '' : 'rad'}]`),
  ...V_NAMES.map((n, i) => `${n} [${i < 3 ? 'm/s' : 'rad/s'}]`),
  ...V_NAMES.map((n) => `${n}_warmstart`),
  ...OPENCAT_JOINTS.map((j) => `${j}_target [rad]`),
  ...[2, 1, 0].flatMap((k) => OPENCAT_JOINTS.map((j) => `${j}_recent${k} [/110 deg]`)),
  ...Array.from({ length: OPENCAT_HISTORY }, (_, k) => OPENCAT_JOINTS.map((j) => `${j}_hist${k} [/110 deg]`)).flat(),
  'step',
  'arm_contacts',
  'session_steps',
];
const O_CTRL = NQ + 2 * NV;
const O_RECENT = O_CTRL + NJ;
const O_HIST = O_RECENT + 3 * NJ;
const O_STEP = O_HIST + OPENCAT_HISTORY * NJ;

let xml: string | null = null;
const opencatXml = (): string => (xml ??= toMjcf(OPENCAT_MODEL));
/** Geom indices of the arm geoms (MuJoCo numbers geoms as the kinematic tree lists them). */
const ARM_GEOM_IDS: readonly number[] = (() => {
  const geoms = kinematicTree(OPENCAT_MODEL).geoms;
  return OPENCAT_ARM_GEOMS.map((n) => geoms.findIndex((g) => g.name === n));
})();

/** Roll and pitch of a quaternion (w, x, y, z), as PyBullet's getEulerFromQuaternion gives them. */
export function rollPitch(w: number, x: number, y: number, z: number): [number, number] {
  const roll = Math.atan2(2 * (w * x + y * z), 1 - 2 * (x * x + y * y));
  const s = 2 * (w * y - z * x);
  const pitch = Math.asin(s > 1 ? 1 : s < -1 ? -1 : s);
  return [roll, pitch];
}

const clip1 = (v: number): number => (v > 1 ? 1 : v < -1 ? -1 : v);

export class OpenCatEnv implements Env {
  readonly id = 'opencat';
  readonly variant: string;
  readonly params: Readonly<Record<string, number>>;
  readonly observationSpace = Box.uniform(OPENCAT_OBS_DIM, -1, 1);
  readonly actionSpace = Box.uniform(OPENCAT_ACT_DIM, -1, 1);
  readonly maxEpisodeSteps = OPENCAT_EPISODE_STEPS;
  readonly stateNames = OPENCAT_STATE_NAMES;
  elapsedSteps = 0;

  private readonly sim: MujocoSim;
  private readonly targets = new Float64Array(NJ); // rad, what the servos hold
  /** The three latest normalised targets, oldest first (the reference's recent_angles). */
  private readonly recent = new Float64Array(3 * NJ);
  private readonly history = new Float64Array(OPENCAT_HISTORY * NJ);
  private readonly next = new Float64Array(NJ); // this step's new targets (rad)
  private readonly quat = new Float64Array(4); // (w, x, y, z) read before the last physics step
  private readonly rates = new Float64Array(2); // clipped 0.1 [wx, wy] (world)
  private armContacts = 0;
  private sessionSteps = 0;
  private readonly components = { movement: 0, smoothness: 0, stability: 0, arm_contact: 0 };
  private readonly result: StepResult;

  constructor(physics: Physics, variant?: string, params?: Record<string, number>) {
    this.variant = resolveVariant(this.id, OPENCAT_VARIANTS, variant);
    this.params = Object.freeze(resolveParams(this.id, OPENCAT_PARAMS, params));
    this.sim = new MujocoSim(physics, opencatXml(), this.id);
    this.result = {
      observation: new Float64Array(OPENCAT_OBS_DIM),
      reward: 0,
      terminated: false,
      truncated: false,
      info: { rewardComponents: this.components },
    };
  }

  reset(_rng: Rng, initialState?: ArrayLike<number>): ResetResult {
    const sim = this.sim;
    sim.reset();
    if (initialState !== undefined) {
      checkInitialState(this.id, this.stateNames, initialState);
      sim.setState(initialState);
      for (let i = 0; i < NJ; i++) this.targets[i] = initialState[O_CTRL + i]!;
      for (let i = 0; i < 3 * NJ; i++) this.recent[i] = initialState[O_RECENT + i]!;
      for (let i = 0; i < OPENCAT_HISTORY * NJ; i++) this.history[i] = initialState[O_HIST + i]!;
      this.elapsedSteps = Math.max(0, Math.round(initialState[O_STEP]!));
      this.armContacts = initialState[O_STEP + 1]!;
      this.sessionSteps = initialState[O_STEP + 2]!;
    } else {
      const qpos = sim.views.qpos;
      for (let j = 0; j < NJ; j++) {
        const a = j % 2 === 0 ? OPENCAT_START_ANGLE : 0;
        qpos[7 + j] = a;
        this.targets[j] = a;
      }
      for (let k = 0; k < 3; k++) for (let j = 0; j < NJ; j++) this.recent[k * NJ + j] = this.targets[j]! / OPENCAT_BOUND;
      for (let k = 0; k < OPENCAT_HISTORY; k++) for (let j = 0; j < NJ; j++) this.history[k * NJ + j] = this.targets[j]! / OPENCAT_BOUND;
      this.elapsedSteps = 0;
      this.armContacts = 0;
    }
    sim.views.ctrl.set(this.targets);
    sim.forward();
    this.readQuat();
    this.readRates();
    this.writeObservation();
    return { observation: copyObs(this.result.observation), info: {} };
  }

  step(action: ArrayLike<number>): StepResult {
    checkActionLength(this.id, OPENCAT_ACT_DIM, action);
    const sim = this.sim;
    const p = this.params;
    const q = sim.views.qpos;
    const xBefore = q[0]!;
    // New targets from the joint angles before this step (the reference reads them first).
    const next = this.next;
    for (let j = 0; j < NJ; j++) {
      let t = q[7 + j]! + action[j]! * OPENCAT_STEP_ANGLE;
      t = t > OPENCAT_BOUND ? OPENCAT_BOUND : t < -OPENCAT_BOUND ? -OPENCAT_BOUND : t;
      next[j] = (Math.round((t * 180) / Math.PI) * Math.PI) / 180;
    }
    this.physicsStep(); // servos still on the previous targets
    this.armContacts += this.armContactsNow();
    this.targets.set(next);
    sim.views.ctrl.set(next); // views taken again: counting contacts may have grown the heap
    this.physicsStep();
    const r = this.recent;
    r.copyWithin(0, NJ);
    for (let j = 0; j < NJ; j++) r[2 * NJ + j] = next[j]! / OPENCAT_BOUND;
    if (this.elapsedSteps % 2 === 0) {
      this.history.copyWithin(0, NJ);
      this.history.set(r.subarray(2 * NJ), (OPENCAT_HISTORY - 1) * NJ);
    }
    this.readQuat();
    this.physicsStep();
    this.readRates();
    const qpos = sim.views.qpos;
    const xAfter = qpos[0]!;
    let smooth = 0;
    for (let j = 0; j < NJ; j++) {
      const a = r[2 * NJ + j]!, b = r[NJ + j]!, c = r[j]!;
      smooth += (a - b) * (a - b) + (a - 2 * b + c) * (a - 2 * b + c);
    }
    const w = this.sessionSteps / p.penaltySteps!;
    const comp = this.components;
    comp.movement = p.movementWeight! * (xAfter - xBefore);
    comp.smoothness = -w * smooth;
    comp.stability = -w * p.stabilityWeight! * (this.rates[0]! * this.rates[0]! + this.rates[1]! * this.rates[1]!);
    comp.arm_contact = -w * p.armContactWeight! * this.armContacts;
    this.elapsedSteps++;
    const res = this.result;
    res.terminated = false;
    res.truncated = false;
    res.info = { rewardComponents: comp, x_position: xAfter };
    const [roll, pitch] = rollPitch(qpos[3]!, qpos[4]!, qpos[5]!, qpos[6]!);
    if (this.elapsedSteps >= OPENCAT_EPISODE_STEPS) {
      res.truncated = true;
      this.sessionSteps += this.elapsedSteps;
    } else if (Math.abs(roll) > p.fallAngle! || Math.abs(pitch) > p.fallAngle!) {
      res.terminated = true;
      this.sessionSteps += this.elapsedSteps;
      comp.movement = comp.smoothness = comp.stability = comp.arm_contact = 0; // the reference's reward = 0
      res.info.fallen = { roll, pitch };
    }
    res.reward = comp.movement + comp.smoothness + comp.stability + comp.arm_contact;
    if (!this.writeObservation() || !Number.isFinite(res.reward)) {
      res.terminated = true;
      res.info.nonFinite = true;
    }
    return res;
  }

  getState(): Float64Array {
    const out = new Float64Array(OPENCAT_STATE_NAMES.length);
    this.sim.getState(out);
    out.set(this.targets, O_CTRL);
    out.set(this.recent, O_RECENT);
    out.set(this.history, O_HIST);
    out[O_STEP] = this.elapsedSteps;
    out[O_STEP + 1] = this.armContacts;
    out[O_STEP + 2] = this.sessionSteps;
    return out;
  }

  /** The steps of completed episodes (S), which a reset keeps: checkpoints carry it. */
  sessionState(): number[] {
    return [this.sessionSteps];
  }

  restoreSessionState(values: readonly number[]): void {
    const v = values[0];
    if (values.length !== 1 || typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw new Error(`opencat: session state must be [steps of completed episodes >= 0], got ${JSON.stringify(values)}`);
    }
    this.sessionSteps = v;
  }

  /** Frees the MuJoCo model and data. */
  close(): void {
    this.sim.close();
  }

  /** One 1/240 s physics step, then the servo speed limit on the eight joints. */
  private physicsStep(): void {
    this.sim.step(1);
    const qvel = this.sim.views.qvel;
    for (let j = 6; j < NV; j++) {
      const v = qvel[j]!;
      if (v > OPENCAT_MAX_JOINT_SPEED) qvel[j] = OPENCAT_MAX_JOINT_SPEED;
      else if (v < -OPENCAT_MAX_JOINT_SPEED) qvel[j] = -OPENCAT_MAX_JOINT_SPEED;
    }
  }

  /** Number of front-leg segments (paws excluded) touching anything now (0..4). */
  private armContactsNow(): number {
    const d = this.sim.d;
    if (d.ncon === 0) return 0;
    const contacts = d.contact;
    let mask = 0;
    try {
      const n = contacts.size();
      for (let i = 0; i < n; i++) {
        const c = contacts.get(i);
        if (!c) continue;
        for (let k = 0; k < ARM_GEOM_IDS.length; k++) if (c.geom1 === ARM_GEOM_IDS[k] || c.geom2 === ARM_GEOM_IDS[k]) mask |= 1 << k;
        c.delete();
      }
    } finally {
      contacts.delete();
    }
    let count = 0;
    for (let k = 0; k < 4; k++) if (mask & (1 << k)) count++;
    return count;
  }

  /** World angular velocity of the base (free joint rates are in the body frame), scaled by 0.1 and clipped. */
  private readRates(): void {
    const { qpos, qvel } = this.sim.views;
    const w = qpos[3]!, x = qpos[4]!, y = qpos[5]!, z = qpos[6]!;
    const bx = qvel[3]!, by = qvel[4]!, bz = qvel[5]!;
    // rows 0 and 1 of the rotation matrix of (w, x, y, z) times the body rate
    const wx = (1 - 2 * (y * y + z * z)) * bx + 2 * (x * y - w * z) * by + 2 * (x * z + w * y) * bz;
    const wy = 2 * (x * y + w * z) * bx + (1 - 2 * (x * x + z * z)) * by + 2 * (y * z - w * x) * bz;
    this.rates[0] = clip1(0.1 * wx);
    this.rates[1] = clip1(0.1 * wy);
  }

  /** The base quaternion now (w, x, y, z). */
  private readQuat(): void {
    const qpos = this.sim.views.qpos;
    for (let i = 0; i < 4; i++) this.quat[i] = qpos[3 + i]!;
  }

  /** Writes the observation; false when a value is not finite. */
  private writeObservation(): boolean {
    const o = this.result.observation;
    const qt = this.quat;
    o[0] = qt[1]!;
    o[1] = qt[2]!;
    o[2] = qt[3]!;
    o[3] = qt[0]!;
    o[4] = this.rates[0]!;
    o[5] = this.rates[1]!;
    o.set(this.history, 6);
    let zero = 0; // v - v is 0 for a finite v, NaN for an infinite or NaN one
    for (let i = 0; i < o.length; i++) zero += o[i]! - o[i]!;
    return zero === 0;
  }
}
