// Vehicle scene: the road along the spline course, the radius-10 reference circle (dashed), the
// precomputed target positions (faint) and the moving target, the car (rear axle at the state's
// (x, y), front axle L ahead) with its heading arrow and steered front wheels; the trail is the
// reference point's path. Metres on the x-y plane.
import * as THREE from 'three';
import type { DrawFrame, VehicleScenery } from '../../../src-core/draw/index.ts';
import { disposeTree, polyline, sphere } from '../shapes.ts';
import type { EnvScene } from '../types.ts';

const ROAD_WIDTH = 3; // m, drawing only

function roadRibbon(course: [number, number][]): THREE.Mesh {
  const pos: number[] = [];
  const idx: number[] = [];
  for (let i = 0; i < course.length; i++) {
    const p = course[i]!;
    const q = course[Math.min(course.length - 1, i + 1)]!;
    const r = course[Math.max(0, i - 1)]!;
    const dx = q[0] - r[0];
    const dy = q[1] - r[1];
    const n = Math.hypot(dx, dy) || 1;
    const ox = (-dy / n) * (ROAD_WIDTH / 2);
    const oy = (dx / n) * (ROAD_WIDTH / 2);
    pos.push(p[0] + ox, p[1] + oy, -0.01, p[0] - ox, p[1] - oy, -0.01);
    if (i > 0) {
      const a = 2 * (i - 1);
      idx.push(a, a + 1, a + 2, a + 1, a + 3, a + 2);
    }
  }
  const g = new THREE.BufferGeometry();
  g.setAttribute('position', new THREE.Float32BufferAttribute(pos, 3));
  g.setIndex(idx);
  return new THREE.Mesh(g, new THREE.MeshBasicMaterial({ color: 0xc8c8c8, side: THREE.DoubleSide }));
}

export function vehicleScene(scenery: VehicleScenery): EnvScene {
  const root = new THREE.Group();
  root.add(roadRibbon(scenery.course));
  root.add(polyline(scenery.course.map((p) => new THREE.Vector3(p[0], p[1], 0)), 0x909090));
  root.add(polyline(scenery.circle.points.map((p) => new THREE.Vector3(p[0], p[1], 0.005)), 0x2060d0, true));
  const dots = new THREE.BufferGeometry().setFromPoints(scenery.targets.map((p) => new THREE.Vector3(p[0], p[1], 0.01)));
  root.add(new THREE.Points(dots, new THREE.PointsMaterial({ color: 0xe08080, size: 3, sizeAttenuation: false })));

  const target = sphere(0.4, 0xe02020);
  target.name = 'target';
  root.add(target);

  const L = scenery.wheelbase;
  const car = new THREE.Group();
  car.name = 'car';
  const body = new THREE.Mesh(new THREE.BoxGeometry(L + 1.2, scenery.trackWidth - 0.2, 0.5), new THREE.MeshLambertMaterial({ color: 0x3070c0, transparent: true, opacity: 0.75 }));
  body.position.set(L / 2, 0, 0.45);
  const arrow = new THREE.ArrowHelper(new THREE.Vector3(1, 0, 0), new THREE.Vector3(L, 0, 0.8), 2, 0x000000, 0.5, 0.3);
  car.add(body, arrow);
  root.add(car);
  const wheels = [0, 1, 2, 3].map(() => {
    const w = new THREE.Mesh(new THREE.BoxGeometry(2 * scenery.wheelRadius, 0.25, 2 * scenery.wheelRadius), new THREE.MeshLambertMaterial({ color: 0x111111 }));
    root.add(w);
    return w;
  });

  return {
    plane: 'xy',
    extent: { min: [-13, -13], max: [13, 13] },
    legend: [
      { color: '#2060d0', text: 'dashed: radius-10 m reference circle' },
      { color: '#909090', text: 'road: spline course (s = 8 to 29.9)' },
      { color: '#e02020', text: 'moving target' },
      { color: '#f08000', text: 'trail of (x, y)' },
      { color: '#000000', text: 'arrow: heading; front wheels: steering' },
    ],
    unit: 'm',
    object: root,
    trailColor: 0xf08000,
    trailPoint: (f) => (f.env === 'vehicle' ? new THREE.Vector3(f.position[0], f.position[1], 0.02) : null),
    update(f: DrawFrame) {
      if (f.env !== 'vehicle') return;
      target.position.set(f.target[0], f.target[1], 0.4);
      car.position.set(f.position[0], f.position[1], 0);
      car.rotation.set(0, 0, f.heading);
      f.wheels.forEach((w, i) => {
        wheels[i]!.position.set(w.position[0], w.position[1], scenery.wheelRadius);
        wheels[i]!.rotation.set(0, 0, w.heading);
      });
    },
    focus: (f) => (f.env === 'vehicle' ? new THREE.Vector3(f.position[0], f.position[1], 0) : new THREE.Vector3()),
    dispose: () => disposeTree(root),
  };
}
