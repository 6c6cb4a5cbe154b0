// Acrobot dynamics as pure functions (spec/environments.md, "Acrobot"): D q_dd = tau - C - G with
// tau = [0, torque]; theta1 = pi/2 is upright (gravity terms use cos theta1), theta2 relative to link 1.
// One classic RK4 step per env step, torque held constant over the step.

export interface AcrobotConstants {
  m1: number;
  m2: number;
  l1: number;
  lc1: number;
  lc2: number;
  I1: number;
  I2: number;
  g: number;
}

/** ds/dt of the state [th1, th2, th1_d, th2_d], written to out[o..o+3]. */
export function acrobotDerivative(
  th1: number, th2: number, dth1: number, dth2: number, torque: number, k: AcrobotConstants, out: Float64Array, o: number,
): void {
  const { m1, m2, l1, lc1, lc2, I1, I2, g } = k;
  const s2 = Math.sin(th2);
  const c2 = Math.cos(th2);
  const d11 = m1 * lc1 * lc1 + m2 * (l1 * l1 + lc2 * lc2 + 2 * l1 * lc2 * c2) + I1 + I2;
  const d12 = m2 * (lc2 * lc2 + l1 * lc2 * c2) + I2;
  const d22 = m2 * lc2 * lc2 + I2;
  const c1 = -m2 * l1 * lc2 * s2 * (2 * dth1 * dth2 + dth2 * dth2);
  const cc2 = m2 * l1 * lc2 * s2 * dth1 * dth1;
  const cos12 = Math.cos(th1 + th2);
  const g1 = (m1 * lc1 + m2 * l1) * g * Math.cos(th1) + m2 * lc2 * g * cos12;
  const g2 = m2 * lc2 * g * cos12;
  // Solve the 2x2 system D q_dd = b by its explicit inverse.
  const b1 = 0 - c1 - g1;
  const b2 = torque - cc2 - g2;
  const det = d11 * d22 - d12 * d12;
  out[o] = dth1;
  out[o + 1] = dth2;
  out[o + 2] = (d22 * b1 - d12 * b2) / det;
  out[o + 3] = (d11 * b2 - d12 * b1) / det;
}

/** One classic RK4 step of length dt in place on s[0..3]; `buf` is scratch of length >= 16. */
export function acrobotRk4Step(s: Float64Array, torque: number, dt: number, k: AcrobotConstants, buf: Float64Array): void {
  const a = s[0]!, b = s[1]!, c = s[2]!, d = s[3]!;
  const h = dt / 2;
  acrobotDerivative(a, b, c, d, torque, k, buf, 0);
  acrobotDerivative(a + h * buf[0]!, b + h * buf[1]!, c + h * buf[2]!, d + h * buf[3]!, torque, k, buf, 4);
  acrobotDerivative(a + h * buf[4]!, b + h * buf[5]!, c + h * buf[6]!, d + h * buf[7]!, torque, k, buf, 8);
  acrobotDerivative(a + dt * buf[8]!, b + dt * buf[9]!, c + dt * buf[10]!, d + dt * buf[11]!, torque, k, buf, 12);
  const w = dt / 6;
  s[0] = a + w * (buf[0]! + 2 * buf[4]! + 2 * buf[8]! + buf[12]!);
  s[1] = b + w * (buf[1]! + 2 * buf[5]! + 2 * buf[9]! + buf[13]!);
  s[2] = c + w * (buf[2]! + 2 * buf[6]! + 2 * buf[10]! + buf[14]!);
  s[3] = d + w * (buf[3]! + 2 * buf[7]! + 2 * buf[11]! + buf[15]!);
}
