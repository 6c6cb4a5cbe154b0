// Acrobot scene in the x-z plane: two links from the fixed base, the elbow and tip joints, and the
// upright target (a dashed line to (0, l1 + l2) and a ring where the tip should be).
import * as THREE from 'three';
import type { AcrobotScenery, DrawFrame } from '../../../src-core/draw/index.ts';
import { disposeTree, placeSegment, polyline, segmentMesh, sphere } from '../shapes.ts';
import type { EnvScene } from '../types.ts';

const xz = (p: [number, number]): THREE.Vector3 => new THREE.Vector3(p[0], 0, p[1]);

export function acrobotScene(scenery: AcrobotScenery): EnvScene {
  const root = new THREE.Group();
  const reach = scenery.l1 + scenery.l2;
  root.add(polyline([new THREE.Vector3(0, 0.01, 0), xz(scenery.uprightTip)], 0x20a040, true));
  const ring = new THREE.Mesh(new THREE.TorusGeometry(0.12, 0.02, 8, 32), new THREE.MeshBasicMaterial({ color: 0x20a040 }));
  ring.rotation.x = Math.PI / 2;
  ring.position.copy(xz(scenery.uprightTip));
  root.add(ring);
  const base = sphere(0.08, 0x000000);
  const link1 = segmentMesh(0.05, 0x3070c0);
  const link2 = segmentMesh(0.05, 0xc07030);
  const elbow = sphere(0.07, 0x222222);
  const tip = sphere(0.07, 0xd02020);
  root.add(base, link1, link2, elbow, tip);
  return {
    plane: 'xz',
    extent: { min: [-reach - 0.3, -reach - 0.3], max: [reach + 0.3, reach + 0.3] },
    legend: [
      { color: '#20a040', text: 'upright target (tip at l1 + l2)' },
      { color: '#3070c0', text: 'link 1' },
      { color: '#c07030', text: 'link 2' },
      { color: '#f0a040', text: 'trail of the tip' },
    ],
    unit: 'm',
    object: root,
    trailColor: 0xf0a040,
    trailPoint: (f) => (f.env === 'acrobot' ? xz(f.tip).setY(0.02) : null),
    update(f: DrawFrame) {
      if (f.env !== 'acrobot') return;
      const b = xz(f.base);
      const e = xz(f.elbow);
      const t = xz(f.tip);
      placeSegment(link1, b, e);
      placeSegment(link2, e, t);
      elbow.position.copy(e);
      tip.position.copy(t);
    },
    focus: () => new THREE.Vector3(0, 0, 0),
    dispose: () => disposeTree(root),
  };
}
