// Acrobot (continuous torque, balance near upright): base, elbow and tip in the x-z plane (z up).
// theta1 = pi/2 points link 1 straight up; theta2 is relative to link 1 (spec: environments.md, Acrobot).
import type { AcrobotFrame, AcrobotScenery, FrameContext, Vec2 } from './types.ts';

export function acrobotScenery(params: Readonly<Record<string, number>> = {}): AcrobotScenery {
  const l1 = params.l1 ?? 1;
  const l2 = params.l2 ?? 1;
  return { env: 'acrobot', l1, l2, uprightTip: [0, l1 + l2] };
}

export function acrobotFrame(state: ArrayLike<number>, ctx: FrameContext, params: Readonly<Record<string, number>> = {}): AcrobotFrame {
  const l1 = params.l1 ?? 1;
  const l2 = params.l2 ?? 1;
  const th1 = state[0]!;
  const th2 = state[1]!;
  const elbow: Vec2 = [l1 * Math.cos(th1), l1 * Math.sin(th1)];
  const tip: Vec2 = [elbow[0] + l2 * Math.cos(th1 + th2), elbow[1] + l2 * Math.sin(th1 + th2)];
  const torque = ctx.action ? Math.max(-20, Math.min(20, ctx.action[0]!)) : 0;
  return { env: 'acrobot', step: ctx.step, base: [0, 0], elbow, tip, th1, th2, torque };
}
