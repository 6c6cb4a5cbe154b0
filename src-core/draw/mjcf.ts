// Scenes of MuJoCo environments, for any MJCF model written as a typed tree (src-core/envs/mujoco/
// mjcf.ts): the scenery lists the model's geoms; a frame poses them by forward kinematics of qpos
// (the first nq values of the environment's full state), MuJoCo's mj_kinematics in plain numbers:
// body = parent * (pos, quat); a slide joint moves along its axis by q - ref; a hinge rotates about
// its axis through its anchor by q - ref; a free joint sets the pose from qpos. A new model needs
// only an entry in MODELS (and a view), no scene code. tests/core/draw/mjcf.test.ts checks the poses
// against MuJoCo's own geom_xpos / geom_xmat.
import { kinematicTree, type KinematicTree, type MjcfModel, type Quat, type V3 } from '../envs/mujoco/mjcf.ts';
import { HOPPER_MODEL } from '../envs/hopper/model.ts';
import { OPENCAT_MODEL } from '../envs/opencat/model.ts';
import type { FrameContext, MjcfEnvId, MjcfFrame, MjcfScenery } from './types.ts';

const MODELS: Record<MjcfEnvId, { model: MjcfModel; view: MjcfScenery['view'] }> = {
  hopper: { model: HOPPER_MODEL, view: { plane: 'xz', extent: { min: [-1, 0], max: [3, 2] }, viewDir: [0, -1, 0.15], followDistance: 4 } },
  opencat: { model: OPENCAT_MODEL, view: { plane: 'xy', extent: { min: [-0.3, -0.4], max: [1, 0.4] }, viewDir: [0.5, -1, 0.6], followDistance: 0.6 } },
};

const trees = new Map<MjcfEnvId, KinematicTree>();
function tree(env: MjcfEnvId): KinematicTree {
  let t = trees.get(env);
  if (!t) trees.set(env, (t = kinematicTree(MODELS[env].model)));
  return t;
}

export function isMjcfEnv(envId: string): envId is MjcfEnvId {
  return Object.hasOwn(MODELS, envId);
}

export function qmul(a: Quat, b: Quat): Quat {
  return [
    a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3],
    a[0] * b[1] + a[1] * b[0] + a[2] * b[3] - a[3] * b[2],
    a[0] * b[2] - a[1] * b[3] + a[2] * b[0] + a[3] * b[1],
    a[0] * b[3] + a[1] * b[2] - a[2] * b[1] + a[3] * b[0],
  ];
}

/** v rotated by the unit quaternion q. */
export function rotate(q: Quat, v: V3): V3 {
  const [w, x, y, z] = q;
  // t = 2 (q_vec x v); v' = v + w t + q_vec x t
  const tx = 2 * (y * v[2] - z * v[1]), ty = 2 * (z * v[0] - x * v[2]), tz = 2 * (x * v[1] - y * v[0]);
  return [v[0] + w * tx + (y * tz - z * ty), v[1] + w * ty + (z * tx - x * tz), v[2] + w * tz + (x * ty - y * tx)];
}

function normalize(q: Quat): Quat {
  const n = Math.hypot(q[0], q[1], q[2], q[3]) || 1;
  return [q[0] / n, q[1] / n, q[2] / n, q[3] / n];
}

function axisAngle(axis: V3, angle: number): Quat {
  const n = Math.hypot(axis[0], axis[1], axis[2]);
  const s = Math.sin(angle / 2) / n;
  return [Math.cos(angle / 2), axis[0] * s, axis[1] * s, axis[2] * s];
}

/** World pose of every body for the joint positions `qpos` (MuJoCo's mj_kinematics). */
export function bodyPoses(t: KinematicTree, qpos: ArrayLike<number>): { pos: V3; quat: Quat }[] {
  const out: { pos: V3; quat: Quat }[] = [];
  for (const b of t.bodies) {
    const parent = b.parent >= 0 ? out[b.parent]! : { pos: [0, 0, 0] as V3, quat: [1, 0, 0, 0] as Quat };
    const off = rotate(parent.quat, b.pos);
    let pos: V3 = [parent.pos[0] + off[0], parent.pos[1] + off[1], parent.pos[2] + off[2]];
    let quat = qmul(parent.quat, b.quat);
    for (const j of b.joints) {
      const a = j.qposadr;
      if (j.type === 'free') {
        pos = [qpos[a]!, qpos[a + 1]!, qpos[a + 2]!];
        quat = normalize([qpos[a + 3]!, qpos[a + 4]!, qpos[a + 5]!, qpos[a + 6]!]);
      } else if (j.type === 'slide') {
        const ax = rotate(quat, j.axis);
        const d = qpos[a]! - j.ref;
        pos = [pos[0] + ax[0] * d, pos[1] + ax[1] * d, pos[2] + ax[2] * d];
      } else {
        const r = rotate(quat, j.pos);
        const anchor: V3 = [pos[0] + r[0], pos[1] + r[1], pos[2] + r[2]];
        quat = normalize(qmul(quat, axisAngle(j.axis, qpos[a]! - j.ref)));
        const r2 = rotate(quat, j.pos);
        pos = [anchor[0] - r2[0], anchor[1] - r2[1], anchor[2] - r2[2]];
      }
    }
    out.push({ pos, quat });
  }
  return out;
}

export function mjcfScenery(env: MjcfEnvId): MjcfScenery {
  const t = tree(env);
  return {
    env,
    geoms: t.geoms.map((g) => ({ name: g.name, type: g.type, size: [...g.size], rgba: [...g.rgba] })),
    view: { ...MODELS[env].view, extent: { min: [...MODELS[env].view.extent.min], max: [...MODELS[env].view.extent.max] }, viewDir: [...MODELS[env].view.viewDir] },
  };
}

export function mjcfFrame(env: MjcfEnvId, state: ArrayLike<number>, ctx: FrameContext): MjcfFrame {
  const t = tree(env);
  const bodies = bodyPoses(t, state);
  const geoms = t.geoms.map((g) => {
    const b = g.body >= 0 ? bodies[g.body]! : { pos: [0, 0, 0] as V3, quat: [1, 0, 0, 0] as Quat };
    const r = rotate(b.quat, g.pos);
    return { pos: [b.pos[0] + r[0], b.pos[1] + r[1], b.pos[2] + r[2]] as V3, quat: qmul(b.quat, g.quat) };
  });
  const frame: MjcfFrame = { env, step: ctx.step, geoms, root: [...bodies[0]!.pos] as V3 };
  if (ctx.action) frame.action = Array.from(ctx.action);
  return frame;
}
