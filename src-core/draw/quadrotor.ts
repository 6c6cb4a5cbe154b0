// Quadrotor (both variants): body position and attitude, the four rotors with their speeds, the
// desired line x = 1.5 t (spec: environments.md, Quadrotor). z is up.
// Rotor placement follows from the spec's moments under the right-hand rule with the Z-Y-X attitude
// of the translational equations: u2 = kt (w1^2 - w3^2) drives roll, so rotor 1 sits on +y and 3 on -y;
// u3 = kt (w2^2 - w4^2) drives pitch (nose +x down), so rotor 2 sits on -x and 4 on +x.
import type { FrameContext, QuadrotorFrame, QuadrotorScenery, RotorDraw, Vec3 } from './types.ts';

const DT = 0.1; // s
const HORIZON = 4; // s
const MAX_SPEED = 10;
const SPEED_DESIRED = 1.5; // m/s along x

type Params = Readonly<Record<string, number>>;

/** The constants the drawing needs, from the environment's parameters (spec defaults when absent). */
function constants(p: Params) {
  const kt = p.kt ?? 0.313;
  const m = p.m ?? 0.65;
  const g = p.g ?? 9.81;
  return { arm: p.armLength ?? 0.23, kt, kd: p.kd ?? 7.5e-4, m, g, lag: p.desiredLag ?? 1, hover: Math.sqrt((m * g) / (4 * kt)) };
}

/** Rotor offsets in the body frame, rotors 1..4, for arm length `arm`. */
export function rotorOffsets(arm: number): Vec3[] {
  return [
    [0, arm, 0],
    [-arm, 0, 0],
    [0, -arm, 0],
    [arm, 0, 0],
  ];
}

export function quadrotorScenery(params: Params = {}): QuadrotorScenery {
  const k = constants(params);
  return {
    env: 'quadrotor',
    armLength: k.arm,
    desiredLine: [
      [0, 0, 0],
      [SPEED_DESIRED * HORIZON, 0, 0],
    ],
    horizon: HORIZON,
    dt: DT,
    rotorSpeedRange: [0, MAX_SPEED],
    hoverSpeed: k.hover,
  };
}

/** Body-to-world rotation R = Rz(psi) Ry(theta) Rx(phi), row-major. */
export function rotationZYX(phi: number, theta: number, psi: number): number[] {
  const [cf, sf, ct, st, cp, sp] = [Math.cos(phi), Math.sin(phi), Math.cos(theta), Math.sin(theta), Math.cos(psi), Math.sin(psi)];
  return [
    cp * ct, cp * st * sf - sp * cf, cp * st * cf + sp * sf,
    sp * ct, sp * st * sf + cp * cf, sp * st * cf - cp * sf,
    -st, ct * sf, ct * cf,
  ];
}

/** Rotor speeds for the action: clipped rotor speeds (rotors), or the speeds equivalent to (u1..u4) (simplified). */
export function rotorSpeeds(variant: string, action: ArrayLike<number> | undefined, params: Params = {}): { speeds: number[]; thrust?: number } {
  if (!action) return { speeds: [0, 0, 0, 0] };
  const { kt: KT, kd: KD, m: MASS, g: G } = constants(params);
  if (variant !== 'simplified') {
    const w = [0, 1, 2, 3].map((i) => Math.max(0, Math.min(MAX_SPEED, action[i]!)));
    return { speeds: w, thrust: KT * w.reduce((a, v) => a + v * v, 0) };
  }
  // Simplified: a in [-1, 1]^4 mapped to u1 in [0, 2 m g], u2, u3 in [-0.5, 0.5], u4 in [-0.01, 0.01].
  const a = [0, 1, 2, 3].map((i) => Math.max(-1, Math.min(1, action[i]!)));
  const u1 = ((a[0]! + 1) / 2) * 2 * MASS * G;
  const [u2, u3, u4] = [0.5 * a[1]!, 0.5 * a[2]!, 0.01 * a[3]!];
  // Invert u1 = kt sum w^2, u2 = kt (w1^2 - w3^2), u3 = kt (w2^2 - w4^2), u4 = kd (w1^2 + w3^2 - w2^2 - w4^2).
  const odd = (u1 / KT + u4 / KD) / 2; // w1^2 + w3^2
  const even = (u1 / KT - u4 / KD) / 2; // w2^2 + w4^2
  const sq = [(odd + u2 / KT) / 2, (even + u3 / KT) / 2, (odd - u2 / KT) / 2, (even - u3 / KT) / 2];
  return { speeds: sq.map((v) => Math.sqrt(Math.max(0, v))), thrust: u1 };
}

export function quadrotorFrame(state: ArrayLike<number>, ctx: FrameContext, variant = 'rotors', params: Params = {}): QuadrotorFrame {
  const k = constants(params);
  const position: Vec3 = [state[0]!, state[1]!, state[2]!];
  const euler: Vec3 = [state[6]!, state[7]!, state[8]!];
  const R = rotationZYX(euler[0], euler[1], euler[2]);
  const { speeds, thrust } = rotorSpeeds(variant, ctx.action, params);
  const rotors: RotorDraw[] = rotorOffsets(k.arm).map((o, i) => ({
    index: i + 1,
    position: [
      position[0] + R[0]! * o[0] + R[1]! * o[1] + R[2]! * o[2],
      position[1] + R[3]! * o[0] + R[4]! * o[1] + R[5]! * o[2],
      position[2] + R[6]! * o[0] + R[7]! * o[1] + R[8]! * o[2],
    ],
    speed: speeds[i]!,
    spin: i % 2 === 0 ? 1 : -1,
  }));
  const time = ctx.step * DT;
  const frame: QuadrotorFrame = {
    env: 'quadrotor',
    step: ctx.step,
    time,
    position,
    rotation: R,
    euler,
    rotors,
    desired: [SPEED_DESIRED * time, 0, 0],
    rewardDesired: [SPEED_DESIRED * Math.max(0, ctx.step - k.lag) * DT, 0, 0],
  };
  if (thrust !== undefined) frame.thrust = thrust;
  return frame;
}
