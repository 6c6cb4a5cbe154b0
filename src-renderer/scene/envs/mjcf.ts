// Scene of any MuJoCo model (hopper, opencat): one mesh per geom of the model (sphere, capsule,
// cylinder, box; planes are the ground, drawn by the host's grid), posed each frame from the drawn
// geom poses (src-core/draw/mjcf.ts: the model's own kinematics). A new model needs no code here.
import * as THREE from 'three';
import type { DrawFrame, MjcfGeomShape, MjcfScenery } from '../../../src-core/draw/index.ts';
import { disposeTree } from '../shapes.ts';
import type { EnvScene } from '../types.ts';

/** A mesh whose local z axis is the geom's (three's capsules and cylinders lie along y). */
function geomMesh(g: MjcfGeomShape): THREE.Mesh | null {
  const [r = 0.01, h = 0.01, d = 0.01] = g.size;
  let geometry: THREE.BufferGeometry;
  switch (g.type) {
    case 'sphere':
      geometry = new THREE.SphereGeometry(r, 16, 12);
      break;
    case 'capsule':
      geometry = new THREE.CapsuleGeometry(r, 2 * h, 6, 16).rotateX(Math.PI / 2);
      break;
    case 'cylinder':
      geometry = new THREE.CylinderGeometry(r, r, 2 * h, 16).rotateX(Math.PI / 2);
      break;
    case 'box':
      geometry = new THREE.BoxGeometry(2 * r, 2 * h, 2 * d);
      break;
    case 'plane':
      return null;
  }
  const [cr, cg, cb, alpha] = g.rgba;
  const material = new THREE.MeshLambertMaterial({ color: new THREE.Color(cr, cg, cb), transparent: alpha < 1, opacity: alpha });
  const mesh = new THREE.Mesh(geometry, material);
  mesh.name = g.name;
  return mesh;
}

export function mjcfScene(scenery: MjcfScenery): EnvScene {
  const root = new THREE.Group();
  const meshes = scenery.geoms.map(geomMesh);
  for (const m of meshes) if (m) root.add(m);
  const v = scenery.view;
  const envId = scenery.env;
  return {
    plane: v.plane,
    extent: { min: [...v.extent.min], max: [...v.extent.max] },
    legend: [
      { color: '#cc9966', text: `${envId}: the model's geoms posed by its joint positions (MuJoCo)` },
      { color: '#f08000', text: 'trail of the root body (torso or base)' },
    ],
    unit: 'm',
    groundLevel: 0, // MuJoCo's floor plane is z = 0
    viewDir: [...v.viewDir],
    followDistance: v.followDistance,
    defaultCamera: 'follow',
    object: root,
    trailColor: 0xf08000,
    trailPoint: (f) => (f.env === envId ? new THREE.Vector3(...f.root) : null),
    update(f: DrawFrame) {
      if (f.env !== envId) return;
      f.geoms.forEach((g, i) => {
        const m = meshes[i];
        if (!m) return;
        m.position.set(...g.pos);
        m.quaternion.set(g.quat[1], g.quat[2], g.quat[3], g.quat[0]); // three: (x, y, z, w)
      });
    },
    focus: (f) => (f.env === envId ? new THREE.Vector3(...f.root) : new THREE.Vector3()),
    dispose: () => disposeTree(root),
  };
}
