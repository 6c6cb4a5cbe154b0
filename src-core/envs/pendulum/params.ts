// Parameters of Gymnasium's Pendulum-v1 (gymnasium/envs/classic_control/pendulum.py), as in
// spec/environments.md, "Pendulum". Not in the paper: a familiar sanity task for the algorithms.
import type { ParamSpec } from '../types.ts';

export const PENDULUM_MAX_TORQUE = 2; // N m, action bound (clipped)
export const PENDULUM_MAX_SPEED = 8; // rad/s, angular-velocity clip
export const PENDULUM_EPISODE_STEPS = 200; // Gymnasium TimeLimit, truncated

export const PENDULUM_PARAMS: readonly ParamSpec[] = [
  { name: 'g', default: 10, unit: 'm/s^2', min: 0, max: 30, description: 'gravitational acceleration (Gymnasium default 10)' },
  { name: 'm', default: 1, unit: 'kg', min: 0.05, max: 20, description: 'mass of the pendulum' },
  { name: 'l', default: 1, unit: 'm', min: 0.05, max: 20, description: 'length of the pendulum' },
  { name: 'dt', default: 0.05, unit: 's', min: 0.001, max: 0.2, description: 'time step (explicit semi-implicit Euler)' },
];
