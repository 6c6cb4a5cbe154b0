// Constants and parameters of the path-tracking vehicle (spec/environments.md, "Vehicle";
// reference DBicycle/bicycle_controller.py and dynamic_bicycle.py).
import type { ParamSpec } from '../types.ts';

export const VEHICLE_DT = 0.1; // s, explicit Euler step (bicycle_controller.py `dt`); also the target schedule's step
export const VEHICLE_EPISODE_STEPS = 200; // 20 s; the limit is reported as `terminated` (reference quirk)
export const VEHICLE_RADIUS = 10; // m, radius of the circle the reference path is splined through
export const VEHICLE_TARGET_COUNT = 110; // precomputed moving-target positions
export const VEHICLE_TARGET_START_S = 13; // spline parameter of the first target position
export const VEHICLE_START_S = 9; // spline parameter of the initial pose
export const VEHICLE_MAX_THROTTLE = 1; // m/s^2, |throttle| bound (clipped)
export const VEHICLE_MAX_STEER = 1; // rad, |road-wheel angle| bound (clipped)

export const VEHICLE_PARAMS: readonly ParamSpec[] = [
  { name: 'L', default: 2.9, unit: 'm', min: 0.5, max: 10, description: 'wheelbase; Lf = Lr = L / 2; the observation uses the front point at full L' },
  { name: 'm', default: 1500, unit: 'kg', min: 100, max: 10000, description: 'vehicle mass' },
  { name: 'Iz', default: 2250, unit: 'kg m^2', min: 100, max: 20000, description: 'yaw moment of inertia' },
  { name: 'Cf', default: 32, unit: 'N/rad', min: 0, max: 200000, description: 'front cornering coefficient (as coded: small, little tyre authority)' },
  { name: 'Cr', default: 34, unit: 'N/rad', min: 0, max: 200000, description: 'rear cornering coefficient (as coded)' },
  { name: 'ca', default: 1.36, unit: 'N s^2/m^2', min: 0, max: 10, description: 'aerodynamic drag coefficient, F = ca vx^2' },
  { name: 'cr1', default: 0.01, unit: 'N s/m', min: 0, max: 10, description: 'rolling resistance coefficient, F = cr1 vx' },
  { name: 'maxSpeed', default: 30, unit: 'm/s', min: 1, max: 100, description: 'clamp on |vx| and |vy| (|v| for the kinematic model)' },
  { name: 'initV', default: 3, unit: 'm/s', min: -30, max: 30, description: 'initial forward speed vx (v) at reset' },
  { name: 'timeLimitTruncates', default: 0, unit: '', min: 0, max: 1, integer: true, description: '0: the 200-step limit is `terminated` (reference quirk, kept as default); 1: corrected, `truncated`' },
  { name: 'initOmega', default: -1, unit: 'rad/s', min: -10, max: 10, description: 'initial yaw rate of the dynamic model (already turning too fast)' },
];
