// The MJCF drawer poses every geom as MuJoCo does: for random states of Hopper and OpenCat, the
// drawn geom positions and orientations equal MuJoCo's geom_xpos / geom_xmat after mj_kinematics.
// Drawn from the side (docs/results.md), the floor spans the whole path.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPhysics } from '../../../src-main/engine/mujoco.ts';
import { drawFrame, drawScenery, type MjcfFrame, type MjcfScenery } from '../../../src-core/draw/index.ts';
import { frameMarks } from '../../../src-core/draw/svg/scene-marks.ts';
import { makeEnv } from '../../../src-core/envs/registry.ts';
import { toMjcf } from '../../../src-core/envs/mujoco/mjcf.ts';
import { HOPPER_MODEL } from '../../../src-core/envs/hopper/model.ts';
import { OPENCAT_MODEL } from '../../../src-core/envs/opencat/model.ts';
import type { Physics } from '../../../src-core/envs/mujoco/physics.ts';
import { Rng } from '../../../src-core/rng.ts';

let physics: Physics;
beforeAll(async () => {
  physics = await loadPhysics();
});

/** Row-major rotation matrix of a quaternion (w, x, y, z). */
function mat(q: number[]): number[] {
  const [w, x, y, z] = q as [number, number, number, number];
  return [
    1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
    2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
    2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
  ];
}

describe('MJCF scenes', () => {
  for (const [id, model] of [['hopper', HOPPER_MODEL], ['opencat', OPENCAT_MODEL]] as const) {
    it(`${id}: drawn geom poses equal MuJoCo's for random states`, () => {
      const m = physics.mujoco.MjModel.from_xml_string(toMjcf(model));
      const d = new physics.mujoco.MjData(m);
      const scenery = drawScenery(id, 'default') as MjcfScenery;
      expect(scenery.geoms.length).toBe(m.ngeom);
      const rng = new Rng(4);
      for (let trial = 0; trial < 20; trial++) {
        const qpos = d.qpos;
        for (let i = 0; i < m.nq; i++) qpos[i] = rng.uniformRange(-1.5, 1.5);
        if (id === 'opencat') {
          const n = Math.hypot(qpos[3]!, qpos[4]!, qpos[5]!, qpos[6]!);
          for (let i = 3; i < 7; i++) qpos[i] = qpos[i]! / n;
        }
        physics.mujoco.mj_kinematics(m, d);
        const f = drawFrame(id, 'default', {}, Array.from(d.qpos), { step: trial }) as MjcfFrame;
        const xpos = d.geom_xpos, xmat = d.geom_xmat;
        for (let g = 0; g < m.ngeom; g++) {
          for (let k = 0; k < 3; k++) expect(f.geoms[g]!.pos[k]).toBeCloseTo(xpos[3 * g + k]!, 10);
          const r = mat(f.geoms[g]!.quat);
          for (let k = 0; k < 9; k++) expect(r[k]).toBeCloseTo(xmat[9 * g + k]!, 10);
        }
      }
      d.delete();
      m.delete();
    });
  }

  it('a hopper episode draws from its full states: the torso follows rootx and rootz', () => {
    const env = makeEnv('hopper');
    env.reset(new Rng(0), [0.7, 1.1, 0, 0, 0, 0, ...new Array(12).fill(0)]);
    const f = drawFrame('hopper', 'default', {}, env.getState(), { step: 0 }) as MjcfFrame;
    expect(f.root[0]).toBeCloseTo(0.7, 12);
    expect(f.root[2]).toBeCloseTo(1.1, 12);
    env.close!();
  });

  it('seen from the side, the floor reaches under the whole path of a hopper that went 8 m', () => {
    const env = makeEnv('hopper');
    const frames = [0, 4, 8].map((x) => {
      env.reset(new Rng(0), [x, 1.25, 0, 0, 0, 0, ...new Array(12).fill(0)]);
      return drawFrame('hopper', 'default', {}, env.getState(), { step: x }) as MjcfFrame;
    });
    env.close!();
    const marks = frameMarks(drawScenery('hopper', 'default', {}), frames, 2, '#333');
    const floor = marks.find((m) => m.kind === 'line' && m.points.length === 2 && m.points.every((p) => p[1] === 0));
    expect(floor).toBeDefined();
    const xs = (floor as { points: [number, number][] }).points.map((p) => p[0]);
    expect(Math.min(...xs)).toBeLessThanOrEqual(-1);
    expect(Math.max(...xs)).toBeGreaterThanOrEqual(9);
  });
});
