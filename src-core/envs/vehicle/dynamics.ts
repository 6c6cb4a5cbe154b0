// Vehicle dynamics as pure update functions (spec/environments.md, "Vehicle"; reference
// DBicycle/bicycle_controller.py). Both read the state from `s` and write the next state to `out`
// (which may be the same array). Explicit Euler with dt = 0.1 s, in exactly the reference's order.
import { wrapLoop } from '../common.ts';

export interface DynamicBicycleConstants {
  dt: number; // s
  Lf: number; // m, CoG to front axle
  Lr: number; // m, CoG to rear axle
  m: number; // kg
  Iz: number; // kg m^2
  Cf: number; // N/rad (as coded)
  Cr: number; // N/rad (as coded)
  ca: number; // aerodynamic coefficient
  cr1: number; // rolling resistance coefficient
  maxSpeed: number; // m/s, clamp on |vx| and |vy|
}

/**
 * Dynamic bicycle with an arctan tyre model. State [x, y, psi, vx, vy, omega].
 * throttle is a longitudinal acceleration (m/s^2), delta the road-wheel angle (rad), both clipped by the caller.
 * Division by vx is unguarded, as in the reference: vx = 0 can produce NaN (the env ends the episode).
 */
export function dynamicBicycleStep(s: Float64Array, throttle: number, delta: number, k: DynamicBicycleConstants, out: Float64Array): void {
  const x = s[0]!, y = s[1]!, psi = s[2]!, vx = s[3]!, vy = s[4]!, omega = s[5]!;
  const dt = k.dt;
  const cosPsi = Math.cos(psi);
  const sinPsi = Math.sin(psi);
  // 1-3: pose with the old velocities; heading wrapped with the reference's loop
  const nx = x + vx * cosPsi * dt - vy * sinPsi * dt;
  const ny = y + vx * sinPsi * dt + vy * cosPsi * dt;
  const npsi = wrapLoop(psi + omega * dt, -Math.PI, Math.PI);
  // 4-6: tyre forces from the old vx, vy, omega; longitudinal load
  const Ffy = -k.Cf * Math.atan((vy + k.Lf * omega) / vx - delta);
  const Fry = -k.Cr * Math.atan((vy - k.Lr * omega) / vx);
  const Fload = k.ca * (vx * vx) + k.cr1 * vx; // F_aero + R_x
  // 7-9: velocities; vy uses the vx already updated in 7 (as coded)
  const cosDelta = Math.cos(delta);
  let nvx = vx + (throttle - (Ffy * Math.sin(delta)) / k.m - Fload / k.m + vy * omega) * dt;
  let nvy = vy + (Fry / k.m + (Ffy * cosDelta) / k.m - nvx * omega) * dt;
  const nomega = omega + ((Ffy * k.Lf * cosDelta - Fry * k.Lr) / k.Iz) * dt;
  // 10: clamp
  const vmax = k.maxSpeed;
  if (nvx > vmax) nvx = vmax;
  else if (nvx < -vmax) nvx = -vmax;
  if (nvy > vmax) nvy = vmax;
  else if (nvy < -vmax) nvy = -vmax;
  out[0] = nx;
  out[1] = ny;
  out[2] = npsi;
  out[3] = nvx;
  out[4] = nvy;
  out[5] = nomega;
}

/**
 * Kinematic bicycle ("simplified dynamics", this project's variant as the spec defines it).
 * State [x, y, psi, v]; every update uses the old values (explicit Euler).
 */
export function kinematicBicycleStep(s: Float64Array, accel: number, delta: number, dt: number, L: number, maxSpeed: number, out: Float64Array): void {
  const x = s[0]!, y = s[1]!, psi = s[2]!, v = s[3]!;
  out[0] = x + v * Math.cos(psi) * dt;
  out[1] = y + v * Math.sin(psi) * dt;
  out[2] = wrapLoop(psi + (v / L) * Math.tan(delta) * dt, -Math.PI, Math.PI);
  const nv = v + accel * dt;
  out[3] = nv > maxSpeed ? maxSpeed : nv < -maxSpeed ? -maxSpeed : nv;
}
