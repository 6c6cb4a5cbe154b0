// Toy scene: the six states as a tree, the action axis [-1, 1] under s0 (left half to s1, right half
// to s2) and under s1 (the good band in green to scale, the rest red), the current state ringed,
// the action taken marked on its axis. Layout units, not metres: 1 action unit = axisScale.
import * as THREE from 'three';
import type { DrawFrame, ToyScenery } from '../../../src-core/draw/index.ts';
import { toyAxisPoint } from '../../../src-core/draw/toy.ts';
import { textSprite } from '../labels.ts';
import { disposeTree, polyline, sphere } from '../shapes.ts';
import type { EnvScene } from '../types.ts';

const v = (p: [number, number], z = 0): THREE.Vector3 => new THREE.Vector3(p[0], p[1], z);

function bar(x0: number, x1: number, y: number, color: number): THREE.Mesh {
  const m = new THREE.Mesh(new THREE.PlaneGeometry(x1 - x0, 0.16), new THREE.MeshBasicMaterial({ color }));
  m.position.set((x0 + x1) / 2, y, 0);
  return m;
}

export function toyScene(scenery: ToyScenery): EnvScene {
  const root = new THREE.Group();
  const k = scenery.axisScale;
  for (const e of scenery.edges) {
    const a = scenery.nodes[e.from]!.position;
    const b = scenery.nodes[e.to]!.position;
    root.add(polyline([v(a), v(b)], 0x888888));
    const label = textSprite(e.label, 0.28, '#555555');
    // 65% of the way to the child keeps the label clear of the action axis under the parent.
    label.position.set(a[0] + 0.65 * (b[0] - a[0]) + 0.5, a[1] + 0.65 * (b[1] - a[1]), 0);
    root.add(label);
  }
  for (const n of scenery.nodes) {
    const color = n.reward === undefined ? 0x4060a0 : n.reward > 0 ? 0x20a040 : n.reward < -5 ? 0xd02020 : 0xe08020;
    const s = sphere(0.22, color);
    s.position.copy(v(n.position));
    root.add(s);
    const label = textSprite(n.label, 0.36, '#111111');
    label.position.set(n.position[0], n.position[1] + 0.5, 0.1);
    root.add(label);
  }
  // Axis under s0: a <= 0 goes to s1 (blue), a > 0 to s2 (orange).
  const s0 = scenery.nodes[0]!.position;
  const y0 = toyAxisPoint(0, 0)[1];
  root.add(bar(s0[0] - k, s0[0], y0, 0x6080d0), bar(s0[0], s0[0] + k, y0, 0xe0a040));
  // Axis under s1: the band (low, high) reaches s3, the rest s4.
  const s1 = scenery.nodes[1]!.position;
  const y1 = toyAxisPoint(1, 0)[1];
  const { low, high } = scenery.band;
  root.add(bar(s1[0] - k, s1[0] + low * k, y1, 0xe06060), bar(s1[0] + low * k, s1[0] + high * k, y1, 0x20b040), bar(s1[0] + high * k, s1[0] + k, y1, 0xe06060));
  for (const [node, y] of [[s0, y0], [s1, y1]] as const) {
    for (const a of [-1, 0, 1]) {
      const t = textSprite(String(a), 0.22, '#333333');
      t.position.set(node[0] + a * k, y - 0.3, 0);
      root.add(t);
    }
  }
  const bandLabel = textSprite(`band ${2 * high} wide (to scale)`, 0.22, '#207030');
  bandLabel.position.set(s1[0], y1 - 0.6, 0);
  root.add(bandLabel);

  const ring = new THREE.Mesh(new THREE.RingGeometry(0.3, 0.4, 32), new THREE.MeshBasicMaterial({ color: 0x000000 }));
  ring.name = 'current-state';
  root.add(ring);
  const marker = new THREE.Mesh(new THREE.ConeGeometry(0.1, 0.3, 12), new THREE.MeshBasicMaterial({ color: 0x000000 }));
  marker.rotation.x = Math.PI; // tip down onto the axis
  marker.name = 'action-mark';
  root.add(marker);

  return {
    plane: 'xy',
    extent: { min: [-5.5, -1.4], max: [4.5, 4.8] },
    legend: [
      { color: '#20b040', text: `good band at s1 (${2 * high} wide, to scale): +1` },
      { color: '#e06060', text: 'elsewhere at s1: -20' },
      { color: '#e08020', text: 's2 branch: -1' },
      { color: '#000000', text: 'ring: current state; cone: action taken' },
    ],
    unit: null,
    object: root,
    trailColor: null,
    trailPoint: () => null,
    update(frame: DrawFrame) {
      if (frame.env !== 'toy') return;
      ring.position.set(frame.position[0], frame.position[1], 0.05);
      marker.visible = frame.actionMark !== undefined;
      if (frame.actionMark) marker.position.set(frame.actionMark.position[0], frame.actionMark.position[1] + 0.2, 0.05);
    },
    focus: (frame) => (frame.env === 'toy' ? v(frame.position) : new THREE.Vector3()),
    dispose: () => disposeTree(root),
  };
}
