// The OpenCat (Petoi Bittle) model as MJCF, from the spec's numbers (spec/environments.md,
// "OpenCat"): torso box 0.105 x 0.08 x 0.02 m, 0.111 kg; battery 0.068 kg; per leg an upper segment
// (cylinder r 0.003, length 0.045, 0.005 kg) and a lower segment (length 0.05, 0.017 kg); eight
// hinges about y; self-collision; 1/240 s steps; servo-like position control (force limit 0.2 N m).
// Choices the spec leaves open, made here and documented (no PyBullet URDF is read):
// - battery: a box inside the torso (it adds mass only: contype 0), 0.06 x 0.03 x 0.012 m;
// - legs at the torso's corners, x = +-0.05 m, y = +-0.045 m; front legs (shoulder, elbow) hinge
//   about -y and rear legs (hip, knee) about +y, so the start pose (shoulders and hips at +50 deg)
//   splays the front legs forward and the rear legs back, a stable stance;
// - lower segment: capsule r 0.004 m to 0.045 m (0.016 kg) and a paw sphere r 0.005 m at its end
//   (0.001 kg), 0.05 m in all; total mass 0.267 kg (the spec's parts; its total says 0.269 kg);
// - servo: MuJoCo position actuator kp 1 N m/rad, kv 0.02 N m s/rad, force clamped to +-0.2 N m;
//   implicitfast integration (stable with the stiff servos at 1/240 s); friction 0.5 (PyBullet's
//   default link friction); the joint speed limit 10 pi rad/s is applied by the environment.
// <size memory="1M">: a 1 MiB arena per MjData instead of MuJoCo's default 14 MiB (20,000 random
// steps use 28 KB); see hopper/model.ts.
import type { MjcfBody, MjcfModel, V3 } from '../mujoco/mjcf.ts';

export const OPENCAT_TIMESTEP = 1 / 240; // s
export const OPENCAT_JOINTS = ['shoulder_L', 'elbow_L', 'shoulder_R', 'elbow_R', 'hip_R', 'knee_R', 'hip_L', 'knee_L'] as const;
/** Geoms whose contacts count as arm contacts (the reference's links 1, 2, 4, 5: front legs, paws excluded). */
export const OPENCAT_ARM_GEOMS = ['shoulder_L_geom', 'elbow_L_geom', 'shoulder_R_geom', 'elbow_R_geom'];
export const OPENCAT_SERVO_FORCE = 0.2; // N m
export const OPENCAT_START_HEIGHT = 0.08; // m

const BODY: [number, number, number, number] = [0.25, 0.25, 0.3, 1];
const LEG: [number, number, number, number] = [0.9, 0.55, 0.2, 1];
const PAW: [number, number, number, number] = [0.2, 0.2, 0.2, 1];

function leg(upper: string, lower: string, pos: V3, axisY: number): MjcfBody {
  const axis: V3 = [0, axisY, 0];
  return {
    name: `${upper}_link`,
    pos,
    joints: [{ name: upper, type: 'hinge', axis, attrs: 'range="-1.92 1.92"' }],
    geoms: [{ name: `${upper}_geom`, type: 'cylinder', size: [0.003], fromto: [0, 0, 0, 0, 0, -0.045], rgba: LEG, attrs: 'mass="0.005"' }],
    children: [
      {
        name: `${lower}_link`,
        pos: [0, 0, -0.045],
        joints: [{ name: lower, type: 'hinge', axis, attrs: 'range="-1.92 1.92"' }],
        geoms: [
          { name: `${lower}_geom`, type: 'capsule', size: [0.004], fromto: [0, 0, 0, 0, 0, -0.045], rgba: LEG, attrs: 'mass="0.016"' },
          { name: `${lower}_paw`, type: 'sphere', size: [0.005], pos: [0, 0, -0.045], rgba: PAW, attrs: 'mass="0.001"' },
        ],
        children: [],
      },
    ],
  };
}

export const OPENCAT_MODEL: MjcfModel = {
  name: 'opencat',
  head:
    `<compiler angle="radian" inertiafromgeom="true"/><option timestep="${OPENCAT_TIMESTEP}" gravity="0 0 -9.81" integrator="implicitfast"/><size memory="1M"/>` +
    '<default><geom contype="1" conaffinity="1" condim="3" friction="0.5 0.005 0.0001"/><joint damping="0" armature="0" limited="true"/></default>',
  worldGeoms: [{ name: 'floor', type: 'plane', size: [0, 0, 0.05], rgba: [0.85, 0.88, 0.85, 1] }],
  bodies: [
    {
      name: 'base',
      pos: [0, 0, OPENCAT_START_HEIGHT],
      joints: [{ name: 'base_free', type: 'free' }],
      geoms: [
        { name: 'torso', type: 'box', size: [0.0525, 0.04, 0.01], rgba: BODY, attrs: 'mass="0.111"' },
        { name: 'battery', type: 'box', size: [0.03, 0.015, 0.006], rgba: [0.1, 0.1, 0.1, 1], attrs: 'mass="0.068" contype="0" conaffinity="0"' },
      ],
      children: [
        leg('shoulder_L', 'elbow_L', [0.05, 0.045, 0], -1),
        leg('shoulder_R', 'elbow_R', [0.05, -0.045, 0], -1),
        leg('hip_R', 'knee_R', [-0.05, -0.045, 0], 1),
        leg('hip_L', 'knee_L', [-0.05, 0.045, 0], 1),
      ],
    },
  ],
  tail:
    '<actuator>' +
    OPENCAT_JOINTS.map((j) => `<position name="${j}_servo" joint="${j}" kp="1" kv="0.02" forcelimited="true" forcerange="-${OPENCAT_SERVO_FORCE} ${OPENCAT_SERVO_FORCE}"/>`).join('') +
    '</actuator>',
};
