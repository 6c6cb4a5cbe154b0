// What to draw for an environment's full state: one entry per environment id, used by the
// renderer's scenes, the preview service and tests. Pure: numbers in, numbers out.
import { acrobotFrame, acrobotScenery } from './acrobot.ts';
import { mjcfFrame, mjcfScenery } from './mjcf.ts';
import { obstacle2dFrame, obstacle2dScenery } from './obstacle2d.ts';
import { pendulumFrame, pendulumScenery } from './pendulum.ts';
import { quadrotorFrame, quadrotorScenery } from './quadrotor.ts';
import { toyFrame, toyScenery } from './toy.ts';
import type { DrawEnvId, DrawFrame, FrameContext, Scenery } from './types.ts';
import { vehicleFrame, vehicleScenery } from './vehicle.ts';

export type * from './types.ts';

type Params = Readonly<Record<string, number>>;

interface Drawer {
  scenery(variant: string, params: Params): Scenery;
  frame(state: ArrayLike<number>, ctx: FrameContext, variant: string, params: Params): DrawFrame;
}

const DRAWERS: Record<DrawEnvId, Drawer> = {
  toy: { scenery: (_v, p) => toyScenery(p), frame: (s, c) => toyFrame(s, c) },
  vehicle: { scenery: (_v, p) => vehicleScenery(p), frame: (s, c, _v, p) => vehicleFrame(s, c, p) },
  quadrotor: { scenery: (_v, p) => quadrotorScenery(p), frame: (s, c, v, p) => quadrotorFrame(s, c, v, p) },
  acrobot: { scenery: (_v, p) => acrobotScenery(p), frame: (s, c, _v, p) => acrobotFrame(s, c, p) },
  obstacle2d: { scenery: (_v, p) => obstacle2dScenery(p), frame: (s, c) => obstacle2dFrame(s, c) },
  pendulum: { scenery: (_v, p) => pendulumScenery(p), frame: (s, c, _v, p) => pendulumFrame(s, c, p) },
  // MuJoCo environments: one drawer for any MJCF model (geoms posed by the model's kinematics)
  hopper: { scenery: () => mjcfScenery('hopper'), frame: (s, c) => mjcfFrame('hopper', s, c) },
  opencat: { scenery: () => mjcfScenery('opencat'), frame: (s, c) => mjcfFrame('opencat', s, c) },
};

export const DRAWABLE_ENVS = Object.keys(DRAWERS) as DrawEnvId[];

export function isDrawable(envId: string): envId is DrawEnvId {
  return Object.hasOwn(DRAWERS, envId);
}

function drawer(envId: string): Drawer {
  if (!isDrawable(envId)) throw new Error(`draw: no scene for environment '${envId}' (drawable: ${DRAWABLE_ENVS.join(', ')})`);
  return DRAWERS[envId];
}

/** The parts of a scene that do not change during an episode. */
export function drawScenery(envId: string, variant: string, params: Params = {}): Scenery {
  return drawer(envId).scenery(variant, params);
}

/** What to draw for one full state. */
export function drawFrame(envId: string, variant: string, params: Params, state: ArrayLike<number>, ctx: FrameContext): DrawFrame {
  return drawer(envId).frame(state, ctx, variant, params);
}

/**
 * Frames of a whole episode from its flat states ((T + 1) x stateDim) and actions (T x actDim):
 * frame k shows state k with the action taken from it (none at the last state).
 */
export function drawEpisode(
  envId: string,
  variant: string,
  params: Params,
  states: ArrayLike<number>,
  stateDim: number,
  actions: ArrayLike<number>,
  actDim: number,
): DrawFrame[] {
  const d = drawer(envId);
  const rows = Math.floor(states.length / stateDim);
  const steps = Math.floor(actions.length / Math.max(1, actDim));
  const out: DrawFrame[] = [];
  for (let k = 0; k < rows; k++) {
    const state = Array.prototype.slice.call(states, k * stateDim, (k + 1) * stateDim) as number[];
    const ctx: FrameContext = { step: k };
    if (k < steps) ctx.action = Array.prototype.slice.call(actions, k * actDim, (k + 1) * actDim) as number[];
    out.push(d.frame(state, ctx, variant, params));
  }
  return out;
}
