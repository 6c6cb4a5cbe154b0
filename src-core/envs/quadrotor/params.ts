// Constants and parameters of the rotor-speed quadrotor (spec/environments.md, "Quadrotor";
// reference QuadRotor/quadrotor.py).
import type { ParamSpec } from '../types.ts';

export const QUAD_DT = 0.1; // s, semi-implicit Euler step
export const QUAD_EPISODE_STEPS = 40; // horizon T = 4 s; the limit is reported as `terminated` (reference quirk)
export const QUAD_MAX_ROTOR_SPEED = 10; // rotor speeds w in [0, 10] (clipped); hover is 2.256779
export const QUAD_DESIRED_SPEED = 1.5; // m/s, x_d = 1.5 t, y_d = z_d = 0
export const QUAD_HOVER_ROTOR_SPEED = 2.256779; // sqrt(m g / (4 kt)) to 7 digits, as the check value uses

export const QUAD_PARAMS: readonly ParamSpec[] = [
  { name: 'g', default: 9.81, unit: 'm/s^2', min: 0, max: 30, description: 'gravitational acceleration' },
  { name: 'm', default: 0.65, unit: 'kg', min: 0.05, max: 10, description: 'mass' },
  { name: 'Jx', default: 0.75, unit: 'kg m^2', min: 0.001, max: 10, description: 'moment of inertia about x (roll), as coded' },
  { name: 'Jy', default: 0.75, unit: 'kg m^2', min: 0.001, max: 10, description: 'moment of inertia about y (pitch), as coded' },
  { name: 'Jz', default: 1.3, unit: 'kg m^2', min: 0.001, max: 10, description: 'moment of inertia about z (yaw), as coded' },
  { name: 'kt', default: 0.313, unit: 'N s^2', min: 0.001, max: 10, description: 'thrust coefficient: u1 = kt sum w_i^2' },
  { name: 'kd', default: 7.5e-4, unit: 'N m s^2', min: 0, max: 1, description: 'drag (yaw moment) coefficient: u4 = kd (w1^2 + w3^2 - w2^2 - w4^2)' },
  { name: 'desiredLag', default: 1, unit: '', min: 0, max: 1, integer: true, description: '1: observation and reward after step k use the desired point of time (k - 1) dt (reference quirk, default); 0: of time k dt' },
  { name: 'timeLimitTruncates', default: 0, unit: '', min: 0, max: 1, integer: true, description: '0: the 40-step limit is `terminated` (reference quirk, kept as default); 1: corrected, `truncated`' },
  { name: 'armLength', default: 0.23, unit: 'm', min: 0.01, max: 2, description: 'arm length l; multiplies every moment, yaw included (as coded)' },
];

/** Thrust/moment ranges of the `simplified` variant (this project's definition; see env.ts). */
export const QUAD_SIMPLIFIED_MOMENT = 0.5; // u2, u3 in [-0.5, 0.5]
export const QUAD_SIMPLIFIED_YAW_MOMENT = 0.01; // u4 in [-0.01, 0.01]
