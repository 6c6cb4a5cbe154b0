// Obstacle2D: the wall x in [2, 2.05], y in [-2, 2], the goal (3, 0) with its 0.1 radius, the agent
// and its next move, in the x-y plane (spec: environments.md, Obstacle2D).
import type { FrameContext, Obstacle2dFrame, Obstacle2dScenery, Vec2 } from './types.ts';

const GOAL: Vec2 = [3, 0];

export function obstacle2dScenery(params: Readonly<Record<string, number>> = {}): Obstacle2dScenery {
  return {
    env: 'obstacle2d',
    wall: { xMin: 2, xMax: 2.05, yMin: -2, yMax: 2 },
    goal: [...GOAL] as Vec2,
    goalRadius: params.goalRadius ?? 0.1,
    goalReward: params.goalReward ?? 500,
    wallReward: params.wallReward ?? -200,
    start: [0, 0],
  };
}

export function obstacle2dFrame(state: ArrayLike<number>, ctx: FrameContext): Obstacle2dFrame {
  const position: Vec2 = [state[0]!, state[1]!];
  const frame: Obstacle2dFrame = {
    env: 'obstacle2d',
    step: ctx.step,
    position,
    goalDistance: Math.hypot(GOAL[0] - position[0], GOAL[1] - position[1]),
  };
  if (ctx.action) frame.move = [Math.max(-3, Math.min(3, ctx.action[0]!)), Math.max(-3, Math.min(3, ctx.action[1]!))];
  return frame;
}
