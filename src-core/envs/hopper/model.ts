// The Hopper model: Gymnasium's hopper.xml (Hopper-v4) numbers, rewritten in local coordinates
// because MuJoCo 3 no longer accepts coordinate="global". Global -> local: the torso frame sits at
// z = 1.25 and each child body's frame at its joint (thigh 1.05, leg 0.6, foot 0.1), so every joint
// is at its body origin and every `fromto` is shifted by its body's height. Physics is unchanged:
// inertias come from the geoms (inertiafromgeom) and joint anchors and geoms keep their world
// places. Gymnasium's body frames (leg at 0.35, foot at "0.13/2 0 0.1") only move the unused
// body origins. Materials, light and camera are left out (drawing is the app's). Angles in radians.
// <size memory="1M">: MuJoCo 3's default arena is 13 MiB per MjData, of which 20,000 random steps use
// 17 KB (maxuse_arena); PPO's 64 environments took 1 GB of the 2 GB WebAssembly heap. The arena
// only holds contacts and scratch space, so the dynamics are unchanged (bit for bit, checked).
import type { MjcfModel } from '../mujoco/mjcf.ts';

const deg = (d: number): number => (d * Math.PI) / 180;
const BROWN: [number, number, number, number] = [0.8, 0.6, 0.4, 1];

export const HOPPER_MODEL: MjcfModel = {
  name: 'hopper',
  head:
    '<compiler angle="radian" inertiafromgeom="true"/>' +
    '<default><joint armature="1" damping="1" limited="true"/>' +
    '<geom conaffinity="1" condim="1" contype="1" margin="0.001" solimp=".8 .8 .01" solref=".02 1"/>' +
    '<motor ctrllimited="true" ctrlrange="-.4 .4"/></default>' +
    '<option integrator="RK4" timestep="0.002"/>' +
    '<size memory="1M"/>',
  worldGeoms: [{ name: 'floor', type: 'plane', size: [20, 20, 0.125], pos: [0, 0, 0], rgba: [0.8, 0.9, 0.8, 1], attrs: 'conaffinity="1" condim="3"' }],
  bodies: [
    {
      name: 'torso',
      pos: [0, 0, 1.25],
      joints: [
        { name: 'rootx', type: 'slide', axis: [1, 0, 0], pos: [0, 0, 0], attrs: 'armature="0" damping="0" limited="false" stiffness="0"' },
        { name: 'rootz', type: 'slide', axis: [0, 0, 1], pos: [0, 0, 0], ref: 1.25, attrs: 'armature="0" damping="0" limited="false" stiffness="0"' },
        { name: 'rooty', type: 'hinge', axis: [0, 1, 0], pos: [0, 0, 0], attrs: 'armature="0" damping="0" limited="false" stiffness="0"' },
      ],
      geoms: [{ name: 'torso_geom', type: 'capsule', size: [0.05], fromto: [0, 0, 0.2, 0, 0, -0.2], rgba: BROWN, attrs: 'friction="0.9"' }],
      children: [
        {
          name: 'thigh',
          pos: [0, 0, -0.2],
          joints: [{ name: 'thigh_joint', type: 'hinge', axis: [0, -1, 0], pos: [0, 0, 0], attrs: `range="${deg(-150)} 0"` }],
          geoms: [{ name: 'thigh_geom', type: 'capsule', size: [0.05], fromto: [0, 0, 0, 0, 0, -0.45], rgba: BROWN, attrs: 'friction="0.9"' }],
          children: [
            {
              name: 'leg',
              pos: [0, 0, -0.45],
              joints: [{ name: 'leg_joint', type: 'hinge', axis: [0, -1, 0], pos: [0, 0, 0], attrs: `range="${deg(-150)} 0"` }],
              geoms: [{ name: 'leg_geom', type: 'capsule', size: [0.04], fromto: [0, 0, 0, 0, 0, -0.5], rgba: BROWN, attrs: 'friction="0.9"' }],
              children: [
                {
                  name: 'foot',
                  pos: [0, 0, -0.5],
                  joints: [{ name: 'foot_joint', type: 'hinge', axis: [0, -1, 0], pos: [0, 0, 0], attrs: `range="${deg(-45)} ${deg(45)}"` }],
                  geoms: [{ name: 'foot_geom', type: 'capsule', size: [0.06], fromto: [-0.13, 0, 0, 0.26, 0, 0], rgba: BROWN, attrs: 'friction="2.0"' }],
                  children: [],
                },
              ],
            },
          ],
        },
      ],
    },
  ],
  tail:
    '<actuator>' +
    '<motor ctrllimited="true" ctrlrange="-1.0 1.0" gear="200.0" joint="thigh_joint"/>' +
    '<motor ctrllimited="true" ctrlrange="-1.0 1.0" gear="200.0" joint="leg_joint"/>' +
    '<motor ctrllimited="true" ctrlrange="-1.0 1.0" gear="200.0" joint="foot_joint"/>' +
    '</actuator>',
};
