// Constants and parameters of the continuous-torque acrobot (spec/environments.md, "Acrobot";
// reference AcrobotCont/acrobotCont.py, after rlpy's Acrobot with the book's equations).
import type { ParamSpec } from '../types.ts';

export const ACROBOT_DT = 0.2; // s, one classic RK4 step per env step
export const ACROBOT_EPISODE_STEPS = 400; // never terminates; truncated here
export const ACROBOT_MAX_TORQUE = 20; // N m, elbow torque bound (clipped)
export const ACROBOT_MAX_VEL_1 = 4 * Math.PI; // rad/s, clip on th1_d
export const ACROBOT_MAX_VEL_2 = 9 * Math.PI; // rad/s, clip on th2_d

export const ACROBOT_PARAMS: readonly ParamSpec[] = [
  { name: 'm1', default: 1, unit: 'kg', min: 0.01, max: 100, description: 'mass of link 1' },
  { name: 'm2', default: 1, unit: 'kg', min: 0.01, max: 100, description: 'mass of link 2' },
  { name: 'l1', default: 1, unit: 'm', min: 0.01, max: 100, description: 'length of link 1' },
  { name: 'l2', default: 1, unit: 'm', min: 0.01, max: 100, description: 'length of link 2 (drawing only: the dynamics use lc2)' },
  { name: 'lc1', default: 0.5, unit: 'm', min: 0, max: 100, description: 'distance from the shoulder to link 1\'s centre of mass' },
  { name: 'lc2', default: 0.5, unit: 'm', min: 0, max: 100, description: 'distance from the elbow to link 2\'s centre of mass' },
  { name: 'I1', default: 1, unit: 'kg m^2', min: 0, max: 100, description: 'moment of inertia of link 1 (as coded: 1)' },
  { name: 'I2', default: 1, unit: 'kg m^2', min: 0, max: 100, description: 'moment of inertia of link 2 (as coded: 1)' },
  { name: 'g', default: 9.8, unit: 'm/s^2', min: 0, max: 30, description: 'gravitational acceleration' },
];
