// Quadrotor scene: the body and its two arms posed by the Z-Y-X attitude, four rotor discs at the
// drawn rotor positions coloured by speed (blue 0, green hover 2.26, red 10), the desired line
// x = 1.5 t along the x axis with the reward's desired point, the trail, and a ground grid below.
import * as THREE from 'three';
import type { DrawFrame, QuadrotorScenery } from '../../../src-core/draw/index.ts';
import { disposeTree, placeSegment, polyline, segmentMesh, speedColor, sphere } from '../shapes.ts';
import type { EnvScene } from '../types.ts';

export function quadrotorScene(scenery: QuadrotorScenery): EnvScene {
  const root = new THREE.Group();
  const [a, b] = scenery.desiredLine;
  root.add(polyline([new THREE.Vector3(...a), new THREE.Vector3(...b)], 0x20a040));
  const desired = sphere(0.06, 0x20a040);
  desired.name = 'desired';
  root.add(desired);

  const body = new THREE.Mesh(new THREE.BoxGeometry(0.12, 0.12, 0.05), new THREE.MeshLambertMaterial({ color: 0x333333 }));
  root.add(body);
  const arms = [segmentMesh(0.012, 0x555555), segmentMesh(0.012, 0x555555)];
  root.add(...arms);
  const rotorMats: THREE.MeshLambertMaterial[] = [];
  const rotors = [0, 1, 2, 3].map(() => {
    const mat = new THREE.MeshLambertMaterial({ color: 0x2060ff });
    rotorMats.push(mat);
    const disc = new THREE.Mesh(new THREE.CylinderGeometry(0.09, 0.09, 0.015, 20), mat);
    root.add(disc);
    return disc;
  });
  // Thrust axis (body z) so the attitude reads at a glance.
  const up = new THREE.ArrowHelper(new THREE.Vector3(0, 0, 1), new THREE.Vector3(), 0.3, 0x000000, 0.08, 0.05);
  root.add(up);

  const q = new THREE.Quaternion();
  const m = new THREE.Matrix4();
  const color = new THREE.Color();
  const yToZ = new THREE.Quaternion().setFromAxisAngle(new THREE.Vector3(1, 0, 0), Math.PI / 2);
  const [, max] = scenery.rotorSpeedRange;
  return {
    plane: 'xy',
    extent: { min: [-1, -2], max: [7, 2] },
    legend: [
      { color: '#2060ff', text: 'rotor speed 0' },
      { color: '#20b040', text: `hover ${scenery.hoverSpeed.toFixed(2)}` },
      { color: '#e02020', text: `max ${max}` },
      { color: '#20a040', text: 'line: desired x = 1.5 t; dot: desired point of the reward' },
      { color: '#f08000', text: 'trail' },
    ],
    unit: 'm',
    groundLevel: -1.5,
    zRange: [-1.5, 1.5],
    viewDir: [0.25, -1, 0.5], // from the side and above: progress along x and altitude both read
    followDistance: 4, // the body is 0.46 m across against an 8 m course: follow it closely by default
    defaultCamera: 'follow',
    object: root,
    trailColor: 0xf08000,
    trailPoint: (f) => (f.env === 'quadrotor' ? new THREE.Vector3(...f.position) : null),
    update(f: DrawFrame) {
      if (f.env !== 'quadrotor') return;
      const R = f.rotation;
      m.set(R[0]!, R[1]!, R[2]!, 0, R[3]!, R[4]!, R[5]!, 0, R[6]!, R[7]!, R[8]!, 0, 0, 0, 0, 1);
      q.setFromRotationMatrix(m);
      body.position.set(...f.position);
      body.quaternion.copy(q);
      const p = f.rotors.map((r) => new THREE.Vector3(...r.position));
      placeSegment(arms[0]!, p[0]!, p[2]!);
      placeSegment(arms[1]!, p[1]!, p[3]!);
      f.rotors.forEach((r, i) => {
        rotors[i]!.position.copy(p[i]!);
        rotors[i]!.quaternion.copy(q).multiply(yToZ); // disc axis along body z
        rotorMats[i]!.color.copy(speedColor(r.speed, max, scenery.hoverSpeed, color));
      });
      up.position.set(...f.position);
      up.setDirection(new THREE.Vector3(R[2]!, R[5]!, R[8]!));
      desired.position.set(...f.rewardDesired);
    },
    focus: (f) => (f.env === 'quadrotor' ? new THREE.Vector3(...f.position) : new THREE.Vector3()),
    dispose: () => disposeTree(root),
  };
}
