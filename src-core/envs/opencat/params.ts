// Constants and parameters of OpenCat (spec/environments.md, "OpenCat"; the reference's opencat.py).
import type { ParamSpec } from '../types.ts';

export const OPENCAT_EPISODE_STEPS = 250; // truncated here (spec; the reference's `> 250` test ends on the 251st step)
export const OPENCAT_PHYSICS_STEPS = 3; // 1/240 s steps per env step
export const OPENCAT_HISTORY = 30; // joint-angle snapshots in the observation
export const OPENCAT_BOUND = (110 * Math.PI) / 180; // rad, joint target bound and normaliser
export const OPENCAT_STEP_ANGLE = (11 * Math.PI) / 180; // rad, target change per unit action
export const OPENCAT_MAX_JOINT_SPEED = 10 * Math.PI; // rad/s (PyBullet maxJointVelocity)
export const OPENCAT_START_ANGLE = (50 * Math.PI) / 180; // rad, shoulders and hips at reset

export const OPENCAT_PARAMS: readonly ParamSpec[] = [
  { name: 'movementWeight', default: 1000, unit: '1/m', min: 0, max: 1e5, description: 'reward per metre of base x progress in a step' },
  { name: 'penaltySteps', default: 2e6, unit: 'steps', min: 1, max: 1e9, description: 'penalty weight = (steps of completed episodes in this env) / penaltySteps' },
  { name: 'stabilityWeight', default: 0.1, unit: '', min: 0, max: 100, description: 'weight of (wx^2 + wy^2) (clipped, scaled body rates) in the penalty' },
  { name: 'armContactWeight', default: 0.01, unit: '1/contact', min: 0, max: 100, description: 'weight of the episode\'s accumulated arm contacts in the penalty' },
  { name: 'fallAngle', default: 1.3, unit: 'rad', min: 0.1, max: 3.2, description: 'fallen (terminated, reward 0) when |roll| or |pitch| exceeds this' },
];
