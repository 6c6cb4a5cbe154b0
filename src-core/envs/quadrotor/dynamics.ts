// Quadrotor dynamics as pure functions (spec/environments.md, "Quadrotor"; reference
// QuadRotor/quadrotor.py). Semi-implicit Euler: velocities from the old angles, positions from the
// new velocities; angular rates from the old rates, angles from the new rates; angles not wrapped.

export interface QuadConstants {
  g: number; // m/s^2
  m: number; // kg
  Jx: number; // kg m^2
  Jy: number;
  Jz: number;
  kt: number; // thrust coefficient
  kd: number; // drag coefficient
  l: number; // m, arm length
  dt: number; // s
}

/** Total thrust and body moments [u1, u2, u3, u4] from rotor speeds (already clipped). */
export function rotorForces(w1: number, w2: number, w3: number, w4: number, k: QuadConstants, out: Float64Array): void {
  const a = w1 * w1, b = w2 * w2, c = w3 * w3, d = w4 * w4;
  out[0] = k.kt * (a + b + c + d);
  out[1] = k.kt * (a - c);
  out[2] = k.kt * (b - d);
  out[3] = k.kd * (a + c - b - d);
}

/**
 * One step of the state [x, y, z, vx, vy, vz, phi, theta, psi, phi_d, theta_d, psi_d] in place,
 * under thrust u1 and moments u2..u4, in exactly the reference's order of operations.
 */
export function quadrotorStep(s: Float64Array, u1: number, u2: number, u3: number, u4: number, k: QuadConstants): void {
  const dt = k.dt;
  const phi = s[6]!, theta = s[7]!, psi = s[8]!;
  const cphi = Math.cos(phi), sphi = Math.sin(phi);
  const cth = Math.cos(theta), sth = Math.sin(theta);
  const cpsi = Math.cos(psi), spsi = Math.sin(psi);
  // 1-2: translational accelerations from the old angles; v += a dt, then p += v_new dt
  const vx = s[3]! + (((cphi * sth * cpsi + sphi * spsi) * u1) / k.m) * dt;
  const vy = s[4]! + (((cphi * sth * spsi - sphi * cpsi) * u1) / k.m) * dt;
  const vz = s[5]! + (-k.g + (cphi * cth * u1) / k.m) * dt;
  s[3] = vx;
  s[4] = vy;
  s[5] = vz;
  s[0] = s[0]! + vx * dt;
  s[1] = s[1]! + vy * dt;
  s[2] = s[2]! + vz * dt;
  // 3-4: angular accelerations from the old rates; rates += acc dt, then angles += new rates dt
  const p = s[9]!, q = s[10]!, r = s[11]!;
  const phiDD = (r * q * (k.Jy - k.Jz)) / k.Jx + (k.l * u2) / k.Jx;
  const thetaDD = (r * p * (k.Jz - k.Jx)) / k.Jy + (k.l * u3) / k.Jy;
  const psiDD = (q * p * (k.Jx - k.Jy)) / k.Jz + (k.l * u4) / k.Jz;
  const np = p + phiDD * dt;
  const nq = q + thetaDD * dt;
  const nr = r + psiDD * dt;
  s[9] = np;
  s[10] = nq;
  s[11] = nr;
  s[6] = phi + np * dt;
  s[7] = theta + nq * dt;
  s[8] = psi + nr * dt;
}
