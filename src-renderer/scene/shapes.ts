// Small geometry helpers for scenes: a segment mesh between two points, materials, disposal.
import * as THREE from 'three';

const UP = new THREE.Vector3(0, 1, 0);
const tmp = new THREE.Vector3();

/** A unit cylinder (height 1 along y) that `placeSegment` stretches between two points. */
export function segmentMesh(radius: number, color: number): THREE.Mesh {
  const m = new THREE.Mesh(new THREE.CylinderGeometry(radius, radius, 1, 12), new THREE.MeshLambertMaterial({ color }));
  return m;
}

export function placeSegment(mesh: THREE.Object3D, a: THREE.Vector3, b: THREE.Vector3): void {
  tmp.subVectors(b, a);
  const len = tmp.length();
  mesh.position.addVectors(a, b).multiplyScalar(0.5);
  mesh.scale.set(1, Math.max(len, 1e-6), 1);
  if (len > 1e-9) mesh.quaternion.setFromUnitVectors(UP, tmp.normalize());
}

export function sphere(radius: number, color: number): THREE.Mesh {
  return new THREE.Mesh(new THREE.SphereGeometry(radius, 16, 12), new THREE.MeshLambertMaterial({ color }));
}

export function polyline(points: THREE.Vector3[], color: number, dashed = false): THREE.Line {
  const geom = new THREE.BufferGeometry().setFromPoints(points);
  const mat = dashed
    ? new THREE.LineDashedMaterial({ color, dashSize: 0.4, gapSize: 0.3 })
    : new THREE.LineBasicMaterial({ color });
  const line = new THREE.Line(geom, mat);
  if (dashed) line.computeLineDistances();
  return line;
}

/** Dispose every geometry, material and texture under `root`. */
export function disposeTree(root: THREE.Object3D): void {
  root.traverse((o) => {
    const any = o as THREE.Mesh;
    any.geometry?.dispose();
    const mats = Array.isArray(any.material) ? any.material : any.material ? [any.material] : [];
    for (const m of mats) {
      (m as THREE.SpriteMaterial).map?.dispose();
      m.dispose();
    }
  });
}

/** Blue (0) -> green (mid) -> red (max): a speed colour scale. */
export function speedColor(value: number, max: number, mid: number, out = new THREE.Color()): THREE.Color {
  const blue = new THREE.Color(0x2060ff);
  const green = new THREE.Color(0x20b040);
  const red = new THREE.Color(0xe02020);
  if (value <= mid) return out.copy(blue).lerp(green, Math.max(0, value) / mid);
  return out.copy(green).lerp(red, Math.min(1, (value - mid) / (max - mid)));
}
