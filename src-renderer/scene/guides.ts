// Reading aids shared by every scene: a ground grid, axes with tick labels in metres, a scale bar,
// and a trail whose visible length follows the current step.
import * as THREE from 'three';
import { textSprite } from './labels.ts';

export type Plane = 'xy' | 'xz';

export interface Extent {
  min: [number, number];
  max: [number, number];
}

/** A "nice" tick spacing (1, 2 or 5 times a power of ten) giving about `count` ticks over `span`. */
export function niceStep(span: number, count = 6): number {
  const raw = span / Math.max(1, count);
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

/** Map plane coordinates (a, b) to world (x, y, z) with z up. */
export function planePoint(plane: Plane, a: number, b: number, lift = 0): THREE.Vector3 {
  return plane === 'xy' ? new THREE.Vector3(a, b, lift) : new THREE.Vector3(a, lift, b);
}

/** Axes along the plane's two directions over `extent`, with ticks labelled in `unit`. */
export function labelledAxes(plane: Plane, extent: Extent, unit = 'm'): THREE.Group {
  const g = new THREE.Group();
  g.name = 'axes';
  const span = Math.max(extent.max[0] - extent.min[0], extent.max[1] - extent.min[1]);
  const step = niceStep(span);
  const labelH = step * 0.22;
  const tick = step * 0.08;
  const mat = new THREE.LineBasicMaterial({ color: 0x555555 });
  const names = plane === 'xy' ? ['x', 'y'] : ['x', 'z'];
  const pts: THREE.Vector3[] = [];
  // Axis a along the bottom edge, axis b along the left edge.
  const a0 = extent.min[0];
  const b0 = extent.min[1];
  pts.push(planePoint(plane, a0, b0), planePoint(plane, extent.max[0], b0));
  pts.push(planePoint(plane, a0, b0), planePoint(plane, a0, extent.max[1]));
  for (let v = Math.ceil(a0 / step) * step; v <= extent.max[0] + 1e-9; v += step) {
    pts.push(planePoint(plane, v, b0), planePoint(plane, v, b0 - tick));
    const s = textSprite(`${fmt(v)}`, labelH, '#444444');
    s.position.copy(planePoint(plane, v, b0 - tick - labelH));
    g.add(s);
  }
  for (let v = Math.ceil(b0 / step) * step; v <= extent.max[1] + 1e-9; v += step) {
    pts.push(planePoint(plane, a0, v), planePoint(plane, a0 - tick, v));
    const s = textSprite(`${fmt(v)}`, labelH, '#444444');
    s.position.copy(planePoint(plane, a0 - tick - labelH * 1.4, v));
    g.add(s);
  }
  const nameA = textSprite(`${names[0]} [${unit}]`, labelH * 1.2, '#222222');
  nameA.position.copy(planePoint(plane, extent.max[0] + labelH * 2, b0));
  const nameB = textSprite(`${names[1]} [${unit}]`, labelH * 1.2, '#222222');
  nameB.position.copy(planePoint(plane, a0, extent.max[1] + labelH * 1.2));
  g.add(nameA, nameB, new THREE.LineSegments(new THREE.BufferGeometry().setFromPoints(pts), mat));
  return g;
}

function fmt(v: number): string {
  const r = Math.round(v * 1000) / 1000;
  return Object.is(r, -0) ? '0' : String(r);
}

/** A vertical (z) axis at plane point (x, y) from zMin to zMax with ticks labelled in `unit`. */
export function verticalAxis(x: number, y: number, zMin: number, zMax: number, unit = 'm'): THREE.Group {
  const g = new THREE.Group();
  g.name = 'z-axis';
  const step = niceStep(zMax - zMin, 4);
  const labelH = step * 0.22;
  const tick = step * 0.08;
  const pts = [new THREE.Vector3(x, y, zMin), new THREE.Vector3(x, y, zMax)];
  for (let v = Math.ceil(zMin / step) * step; v <= zMax + 1e-9; v += step) {
    pts.push(new THREE.Vector3(x, y, v), new THREE.Vector3(x - tick, y, v));
    const s = textSprite(fmt(v), labelH, '#444444');
    s.position.set(x - tick - labelH * 1.4, y, v);
    g.add(s);
  }
  const name = textSprite(`z [${unit}]`, labelH * 1.2, '#222222');
  name.position.set(x, y, zMax + labelH * 1.2);
  g.add(name, new THREE.LineSegments(new THREE.BufferGeometry().setFromPoints(pts), new THREE.LineBasicMaterial({ color: 0x555555 })));
  return g;
}

/** A bar `length` long with its label, drawn at plane point (a, b). */
export function scaleBar(plane: Plane, a: number, b: number, length: number, unit = 'm'): THREE.Group {
  const g = new THREE.Group();
  g.name = 'scale-bar';
  const h = length * 0.06;
  const mat = new THREE.LineBasicMaterial({ color: 0x000000 });
  const pts = [
    planePoint(plane, a, b), planePoint(plane, a + length, b),
    planePoint(plane, a, b - h), planePoint(plane, a, b + h),
    planePoint(plane, a + length, b - h), planePoint(plane, a + length, b + h),
  ];
  g.add(new THREE.LineSegments(new THREE.BufferGeometry().setFromPoints(pts), mat));
  const label = textSprite(`${fmt(length)} ${unit}`, length * 0.2, '#000000');
  label.position.copy(planePoint(plane, a + length / 2, b + length * 0.18));
  g.add(label);
  return g;
}

/** Ground grid on the plane, `step` apart, covering the extent. */
export function groundGrid(plane: Plane, extent: Extent, step: number): THREE.LineSegments {
  const pts: THREE.Vector3[] = [];
  const lo = [Math.floor(extent.min[0] / step) * step, Math.floor(extent.min[1] / step) * step];
  const hi = [Math.ceil(extent.max[0] / step) * step, Math.ceil(extent.max[1] / step) * step];
  for (let a = lo[0]!; a <= hi[0]! + 1e-9; a += step) pts.push(planePoint(plane, a, lo[1]!, -0.001), planePoint(plane, a, hi[1]!, -0.001));
  for (let b = lo[1]!; b <= hi[1]! + 1e-9; b += step) pts.push(planePoint(plane, lo[0]!, b, -0.001), planePoint(plane, hi[0]!, b, -0.001));
  const grid = new THREE.LineSegments(
    new THREE.BufferGeometry().setFromPoints(pts),
    new THREE.LineBasicMaterial({ color: 0xd8d8d8 }),
  );
  grid.name = 'grid';
  return grid;
}

/** A polyline whose drawn length is set per step: the path travelled up to the current step. */
export class Trail {
  readonly line: THREE.Line;
  private readonly positions: Float32Array;
  private count = 0;

  constructor(capacity: number, color: number) {
    this.positions = new Float32Array(capacity * 3);
    const geom = new THREE.BufferGeometry();
    geom.setAttribute('position', new THREE.BufferAttribute(this.positions, 3));
    geom.setDrawRange(0, 0);
    this.line = new THREE.Line(geom, new THREE.LineBasicMaterial({ color }));
    this.line.frustumCulled = false;
    this.line.name = 'trail';
  }

  /** Replace every point (one per episode step). */
  setPoints(points: THREE.Vector3[]): void {
    this.count = Math.min(points.length, this.positions.length / 3);
    for (let i = 0; i < this.count; i++) points[i]!.toArray(this.positions, i * 3);
    const attr = this.line.geometry.getAttribute('position') as THREE.BufferAttribute;
    attr.needsUpdate = true;
    this.line.geometry.computeBoundingSphere();
  }

  /** Show the path from step 0 to `step` inclusive. */
  showUpTo(step: number): void {
    this.line.geometry.setDrawRange(0, Math.max(0, Math.min(this.count, step + 1)));
  }

  dispose(): void {
    this.line.geometry.dispose();
    (this.line.material as THREE.Material).dispose();
  }
}
