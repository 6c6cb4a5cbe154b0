// Constants and parameters of Hopper (spec/environments.md, "Hopper"; Gymnasium Hopper-v4 defaults).
import type { ParamSpec } from '../types.ts';

export const HOPPER_FRAME_SKIP = 4; // physics steps (0.002 s each) per env step
export const HOPPER_EPISODE_STEPS = 1000; // truncated here (Gymnasium's TimeLimit)
export const HOPPER_OBS_VEL_CLIP = 10; // Hopper-v4 clips qvel to +-10 in the observation

export const HOPPER_PARAMS: readonly ParamSpec[] = [
  { name: 'forwardRewardWeight', default: 1, unit: 's/m', min: 0, max: 100, description: 'weight of the forward x-velocity reward' },
  { name: 'ctrlCostWeight', default: 1e-3, unit: '', min: 0, max: 10, description: 'weight of the control cost ||a||^2 (on the action as sent, before MuJoCo clamps it to [-1, 1])' },
  { name: 'healthyReward', default: 1, unit: '', min: 0, max: 100, description: 'reward for every step (Hopper-v4 pays it on every step while episodes end when unhealthy)' },
  { name: 'healthyZMin', default: 0.7, unit: 'm', min: 0, max: 2, description: 'unhealthy (terminated) when the torso height z <= this' },
  { name: 'healthyAngle', default: 0.2, unit: 'rad', min: 0, max: 3.2, description: 'unhealthy when |torso angle| >= this' },
  { name: 'healthyStateRange', default: 100, unit: '', min: 1, max: 1e6, description: 'unhealthy when any of qpos[2:], qvel leaves (-range, range)' },
  { name: 'resetNoiseScale', default: 5e-3, unit: 'm or rad (per unit velocity)', min: 0, max: 1, description: 'reset: qpos and qvel each get U(-scale, scale) noise' },
];
