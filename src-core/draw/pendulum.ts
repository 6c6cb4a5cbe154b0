// Pendulum (Gymnasium Pendulum-v1): pivot and tip in the x-z plane, theta = 0 upright and
// counter-clockwise positive, as Gymnasium renders it (tip = l (-sin theta, cos theta)).
import type { FrameContext, PendulumFrame, PendulumScenery } from './types.ts';

export function pendulumScenery(params: Readonly<Record<string, number>> = {}): PendulumScenery {
  return { env: 'pendulum', length: params.l ?? 1, maxTorque: 2 };
}

export function pendulumFrame(state: ArrayLike<number>, ctx: FrameContext, params: Readonly<Record<string, number>> = {}): PendulumFrame {
  const l = params.l ?? 1;
  const theta = state[0]!;
  const torque = ctx.action ? Math.max(-2, Math.min(2, ctx.action[0]!)) : 0;
  return { env: 'pendulum', step: ctx.step, pivot: [0, 0], tip: [-l * Math.sin(theta), l * Math.cos(theta)], theta, thetaDot: state[1]!, torque };
}
