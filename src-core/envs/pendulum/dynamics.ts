// Pendulum-v1 dynamics as a pure function (Gymnasium pendulum.py): theta = 0 is upright.

/** Angular acceleration theta_dd = 3 g / (2 l) sin theta + 3 / (m l^2) u  [rad/s^2]. */
export function pendulumAngularAcceleration(theta: number, u: number, g: number, m: number, l: number): number {
  return (3 * g) / (2 * l) * Math.sin(theta) + (3 / (m * l * l)) * u;
}
