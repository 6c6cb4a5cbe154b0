// Vehicle (bicycle model, both variants): car pose, wheels with steering, moving target, course and
// reference circle, in metres on the x-y plane (spec: environments.md, Vehicle).
// State: dynamic [x, y, psi, vx, vy, omega]; kinematic [x, y, psi, v]. (x, y) is the reference point;
// the observation's front point is (x, y) + L (cos psi, sin psi), so (x, y) is drawn as the rear axle.
import { courseSamples, targetPositions } from './course.ts';
import type { FrameContext, Vec2, VehicleFrame, VehicleScenery, WheelDraw } from './types.ts';

const WHEELBASE = 2.9; // m, L
const TRACK = 1.6; // m, drawing only
const WHEEL_RADIUS = 0.35; // m, drawing only
const TARGETS = targetPositions();

export function vehicleScenery(params: Readonly<Record<string, number>> = {}): VehicleScenery {
  const points: Vec2[] = [];
  for (let k = 0; k <= 128; k++) {
    const a = (2 * Math.PI * k) / 128;
    points.push([10 * Math.cos(a), 10 * Math.sin(a)]);
  }
  return {
    env: 'vehicle',
    course: courseSamples(),
    circle: { center: [0, 0], radius: 10, points },
    targets: TARGETS.map((p) => [...p] as Vec2),
    wheelbase: params.L ?? WHEELBASE,
    trackWidth: TRACK,
    wheelRadius: WHEEL_RADIUS,
  };
}

const clip1 = (v: number): number => Math.max(-1, Math.min(1, v));

export function vehicleFrame(state: ArrayLike<number>, ctx: FrameContext, params: Readonly<Record<string, number>> = {}): VehicleFrame {
  const L = params.L ?? WHEELBASE;
  const [x, y, psi, speed] = [state[0]!, state[1]!, state[2]!, state[3]!];
  const throttle = ctx.action ? clip1(ctx.action[0]!) : 0;
  const steer = ctx.action ? clip1(ctx.action[1]!) : 0;
  const c = Math.cos(psi);
  const s = Math.sin(psi);
  const front: Vec2 = [x + L * c, y + L * s];
  // Left is +90 degrees from the heading.
  const lx = -s * (TRACK / 2);
  const ly = c * (TRACK / 2);
  const wheels: WheelDraw[] = [
    { position: [front[0] + lx, front[1] + ly], heading: psi + steer },
    { position: [front[0] - lx, front[1] - ly], heading: psi + steer },
    { position: [x + lx, y + ly], heading: psi },
    { position: [x - lx, y - ly], heading: psi },
  ];
  const targetIndex = Math.min(Math.max(0, Math.floor(ctx.step)), TARGETS.length - 1);
  const target = TARGETS[targetIndex]!;
  return {
    env: 'vehicle',
    step: ctx.step,
    position: [x, y],
    heading: psi,
    front,
    steer,
    throttle,
    speed,
    wheels,
    target: [target[0], target[1]],
    targetIndex,
    targetDistance: Math.hypot(target[0] - x, target[1] - y),
    circleError: Math.abs(x * x + y * y - 100),
  };
}
