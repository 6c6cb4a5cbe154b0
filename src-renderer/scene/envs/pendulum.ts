// Pendulum scene in the x-z plane: pivot, rod and bob, the upright target (theta = 0) dashed.
import * as THREE from 'three';
import type { DrawFrame, PendulumScenery } from '../../../src-core/draw/index.ts';
import { disposeTree, placeSegment, polyline, segmentMesh, sphere } from '../shapes.ts';
import type { EnvScene } from '../types.ts';

const xz = (p: [number, number]): THREE.Vector3 => new THREE.Vector3(p[0], 0, p[1]);

export function pendulumScene(scenery: PendulumScenery): EnvScene {
  const root = new THREE.Group();
  const l = scenery.length;
  root.add(polyline([new THREE.Vector3(0, 0.01, 0), new THREE.Vector3(0, 0.01, l)], 0x20a040, true));
  const pivot = sphere(0.06 * l, 0x000000);
  const rod = segmentMesh(0.04 * l, 0xc04040);
  const bob = sphere(0.1 * l, 0x802020);
  root.add(pivot, rod, bob);
  return {
    plane: 'xz',
    extent: { min: [-l - 0.3, -l - 0.3], max: [l + 0.3, l + 0.3] },
    legend: [
      { color: '#20a040', text: 'upright (theta = 0)' },
      { color: '#f0a040', text: 'trail of the tip' },
    ],
    unit: 'm',
    object: root,
    trailColor: 0xf0a040,
    trailPoint: (f) => (f.env === 'pendulum' ? xz(f.tip).setY(0.02) : null),
    update(f: DrawFrame) {
      if (f.env !== 'pendulum') return;
      placeSegment(rod, xz(f.pivot), xz(f.tip));
      bob.position.copy(xz(f.tip));
    },
    focus: () => new THREE.Vector3(0, 0, 0),
    dispose: () => disposeTree(root),
  };
}
