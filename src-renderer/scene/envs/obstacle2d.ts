// Obstacle2D scene on the x-y plane: the wall (x in [2, 2.05], y in [-2, 2]), the goal disc of
// radius 0.1, the start, the agent, its next move as an arrow, and its path.
import * as THREE from 'three';
import type { DrawFrame, Obstacle2dScenery } from '../../../src-core/draw/index.ts';
import { textSprite } from '../labels.ts';
import { disposeTree, sphere } from '../shapes.ts';
import type { EnvScene } from '../types.ts';

export function obstacle2dScene(scenery: Obstacle2dScenery): EnvScene {
  const root = new THREE.Group();
  const w = scenery.wall;
  const wall = new THREE.Mesh(new THREE.BoxGeometry(w.xMax - w.xMin, w.yMax - w.yMin, 0.3), new THREE.MeshLambertMaterial({ color: 0x444444 }));
  wall.position.set((w.xMin + w.xMax) / 2, (w.yMin + w.yMax) / 2, 0.15);
  const goal = new THREE.Mesh(new THREE.CircleGeometry(scenery.goalRadius, 32), new THREE.MeshBasicMaterial({ color: 0x20b040 }));
  goal.position.set(scenery.goal[0], scenery.goal[1], 0.01);
  const goalLabel = textSprite(`goal (${scenery.goalReward > 0 ? '+' : ''}${scenery.goalReward})`, 0.2, '#207030');
  goalLabel.position.set(scenery.goal[0], scenery.goal[1] + 0.3, 0.05);
  const wallLabel = textSprite(`wall (${scenery.wallReward} on crossing)`, 0.2, '#333333');
  wallLabel.position.set((w.xMin + w.xMax) / 2, w.yMax + 0.3, 0.3);
  const start = new THREE.Mesh(new THREE.RingGeometry(0.06, 0.09, 24), new THREE.MeshBasicMaterial({ color: 0x000000 }));
  start.position.set(scenery.start[0], scenery.start[1], 0.01);
  const agent = sphere(0.08, 0x3070c0);
  agent.name = 'agent';
  const move = new THREE.ArrowHelper(new THREE.Vector3(1, 0, 0), new THREE.Vector3(), 1, 0x3070c0, 0.15, 0.1);
  root.add(wall, goal, goalLabel, wallLabel, start, agent, move);
  return {
    plane: 'xy',
    extent: { min: [-1, -3], max: [4.5, 3] },
    legend: [
      { color: '#444444', text: 'wall x in [2, 2.05], y in [-2, 2]' },
      { color: '#20b040', text: `goal (3, 0), radius ${scenery.goalRadius}` },
      { color: '#3070c0', text: 'agent; arrow: next move' },
      { color: '#f08000', text: 'path' },
    ],
    unit: 'm',
    object: root,
    trailColor: 0xf08000,
    trailPoint: (f) => (f.env === 'obstacle2d' ? new THREE.Vector3(f.position[0], f.position[1], 0.02) : null),
    update(f: DrawFrame) {
      if (f.env !== 'obstacle2d') return;
      agent.position.set(f.position[0], f.position[1], 0.08);
      move.visible = f.move !== undefined && Math.hypot(f.move[0], f.move[1]) > 1e-9;
      if (f.move && move.visible) {
        const d = new THREE.Vector3(f.move[0], f.move[1], 0);
        const len = d.length();
        move.position.set(f.position[0], f.position[1], 0.08);
        move.setDirection(d.normalize());
        move.setLength(len, Math.min(0.15, len * 0.3), Math.min(0.1, len * 0.2));
      }
    },
    focus: (f) => (f.env === 'obstacle2d' ? new THREE.Vector3(f.position[0], f.position[1], 0) : new THREE.Vector3()),
    dispose: () => disposeTree(root),
  };
}
