// Constants and parameters of the 2-D obstacle task (spec/environments.md, "Obstacle2D";
// reference Obstacle2D/obstacle2d.py).
import type { ParamSpec } from '../types.ts';

export const OBSTACLE_DT = 1; // s
export const OBSTACLE_MAX_VEL = 3; // per-axis velocity bound (clipped)
export const OBSTACLE_MAX_TIME = 50; // steps; the 51st step is truncated with reward 0
export const OBSTACLE_EPISODE_STEPS = OBSTACLE_MAX_TIME + 1;
export const OBSTACLE_GOAL = [3, 0] as const;
export const OBSTACLE_WALL_X = 2; // wall occupies x in [2, 2.05], y in [-2, 2]
export const OBSTACLE_WALL_WIDTH = 0.05;
export const OBSTACLE_WALL_HALF_HEIGHT = 2;
/** Wall edges C -> D with their direction as the reference writes them (the direction matters on edges). */
export const OBSTACLE_WALL_EDGES: readonly (readonly [number, number, number, number])[] = [
  [2, 2, 2, -2], // left
  [2, 2, 2.05, 2], // top
  [2.05, 2, 2.05, -2], // right
  [2, -2, 2.05, -2], // bottom
];

export const OBSTACLE_PARAMS: readonly ParamSpec[] = [
  { name: 'goalReward', default: 500, unit: '', min: -1e6, max: 1e6, description: 'reward for ending strictly within goalRadius of the goal (terminated)' },
  { name: 'wallReward', default: -200, unit: '', min: -1e6, max: 1e6, description: 'reward for a move crossing a wall edge (terminated)' },
  { name: 'goalRadius', default: 0.1, unit: 'm', min: 1e-6, max: 3, description: 'distance to the goal (3, 0) below which the goal is reached' },
];
