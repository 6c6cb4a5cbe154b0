// Obstacle2D (`obstacle2d`): a point agent must go over a thin wall to reach the goal; the greedy
// local optimum parks in front of the wall. Here entropy helps exploration.
//
// Spec sheet (spec/environments.md, "Obstacle2D"; reference Obstacle2D/obstacle2d.py):
//   state        [x, y], start (0, 0); goal (3, 0); wall x in [2, 2.05], y in [-2, 2]; dt = 1
//   action       velocity (vx, vy), clipped to +-3 per axis; position += v dt
//   reward       judged on the move P -> N before it is applied, in this order:
//                1. elapsed steps > 50 (the 51st step): reward 0, truncated (the state still moves)
//                2. P->N crosses a wall edge (directed ccw test, ./dynamics.ts): -200, terminated
//                3. |N - goal| < 0.1 (strict): +500, terminated
//                4. progress: dist(P, goal) - dist(N, goal)
//                components { progress, wall, goal } sum to it
//   observation  [(x - 2.025) / 2.025, y / 3]
//   episode      51 steps at most (the 51st is truncated)
//   reset        deterministic (0, 0); or explicit [x, y]
//   check        [2.5, 3] then [0.5, -3]: rewards -0.0414 then +500 (return 499.9586)
import type { Rng } from '../../rng.ts';
import { Box } from '../../spaces/box.ts';
import type { Env, ResetResult, StepResult } from '../types.ts';
import { checkActionLength, checkInitialState, copyObs, resolveParams, resolveVariant } from '../common.ts';
import { OBSTACLE_DT, OBSTACLE_EPISODE_STEPS, OBSTACLE_GOAL, OBSTACLE_MAX_TIME, OBSTACLE_MAX_VEL, OBSTACLE_PARAMS, OBSTACLE_WALL_WIDTH, OBSTACLE_WALL_X } from './params.ts';
import { crossesWall, distanceTo } from './dynamics.ts';

export const OBSTACLE_VARIANTS = ['default'] as const;
export const OBSTACLE_STATE_NAMES = ['x', 'y'] as const;

const WALL_MID = OBSTACLE_WALL_X + OBSTACLE_WALL_WIDTH / 2; // 2.025

export class Obstacle2dEnv implements Env {
  readonly id = 'obstacle2d';
  readonly variant: string;
  readonly params: Readonly<Record<string, number>>;
  readonly observationSpace = Box.uniform(2, -Infinity, Infinity);
  readonly actionSpace = Box.uniform(2, -OBSTACLE_MAX_VEL, OBSTACLE_MAX_VEL);
  readonly maxEpisodeSteps = OBSTACLE_EPISODE_STEPS;
  readonly stateNames: readonly string[] = OBSTACLE_STATE_NAMES;
  elapsedSteps = 0;

  private x = 0;
  private y = 0;
  private readonly goalReward: number;
  private readonly wallReward: number;
  private readonly goalRadius: number;
  private readonly components = { progress: 0, wall: 0, goal: 0 };
  private readonly result: StepResult;

  constructor(variant?: string, params?: Record<string, number>) {
    this.variant = resolveVariant(this.id, OBSTACLE_VARIANTS, variant);
    const p = resolveParams(this.id, OBSTACLE_PARAMS, params);
    this.params = Object.freeze(p);
    this.goalReward = p.goalReward!;
    this.wallReward = p.wallReward!;
    this.goalRadius = p.goalRadius!;
    this.result = {
      observation: new Float64Array(2),
      reward: 0,
      terminated: false,
      truncated: false,
      info: { rewardComponents: this.components },
    };
  }

  reset(_rng: Rng, initialState?: ArrayLike<number>): ResetResult {
    if (initialState !== undefined) {
      checkInitialState(this.id, this.stateNames, initialState);
      this.x = initialState[0]!;
      this.y = initialState[1]!;
    } else {
      this.x = 0;
      this.y = 0;
    }
    this.elapsedSteps = 0;
    this.writeObservation();
    return { observation: copyObs(this.result.observation), info: {} };
  }

  step(action: ArrayLike<number>): StepResult {
    checkActionLength(this.id, 2, action);
    const ax = action[0]!;
    const ay = action[1]!;
    const vx = ax > OBSTACLE_MAX_VEL ? OBSTACLE_MAX_VEL : ax < -OBSTACLE_MAX_VEL ? -OBSTACLE_MAX_VEL : ax;
    const vy = ay > OBSTACLE_MAX_VEL ? OBSTACLE_MAX_VEL : ay < -OBSTACLE_MAX_VEL ? -OBSTACLE_MAX_VEL : ay;
    const px = this.x;
    const py = this.y;
    const nx = px + vx * OBSTACLE_DT;
    const ny = py + vy * OBSTACLE_DT;
    this.elapsedSteps++;
    const c = this.components;
    c.progress = 0;
    c.wall = 0;
    c.goal = 0;
    const res = this.result;
    res.terminated = false;
    res.truncated = false;
    const gx = OBSTACLE_GOAL[0];
    const gy = OBSTACLE_GOAL[1];
    if (this.elapsedSteps > OBSTACLE_MAX_TIME) {
      res.truncated = true;
    } else if (crossesWall(px, py, nx, ny)) {
      c.wall = this.wallReward;
      res.terminated = true;
    } else if (distanceTo(nx, ny, gx, gy) < this.goalRadius) {
      c.goal = this.goalReward;
      res.terminated = true;
    } else {
      c.progress = distanceTo(px, py, gx, gy) - distanceTo(nx, ny, gx, gy);
    }
    res.reward = c.progress + c.wall + c.goal;
    this.x = nx;
    this.y = ny;
    this.writeObservation();
    return res;
  }

  getState(): Float64Array {
    return Float64Array.of(this.x, this.y);
  }

  private writeObservation(): void {
    const o = this.result.observation;
    o[0] = (this.x - WALL_MID) / WALL_MID;
    o[1] = this.y / 3;
  }
}
