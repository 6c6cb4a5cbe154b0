// The vehicle's reference course and moving target, for drawing (spec: environments.md, Vehicle).
// A natural cubic spline through 9 points of the radius-10 circle, parametrised by cumulative chord
// length s (total 61.229 m), clockwise from angle 7pi/4. The target's 110 positions come from
// forward Euler on s: s_0 = 13, s_(i+1) = s_i + min(6, 1 + 0.1 t_i) 0.1 with t_i = 0.1 i.
// TODO(lead): once src-core/envs/vehicle exports its spline, import it here instead.
import type { Vec2 } from './types.ts';

/** One natural cubic spline y(s) on knots s[0..n]: coefficients per segment (a + b d + c d^2 + e d^3). */
interface Cubic {
  s: number[];
  a: number[];
  b: number[];
  c: number[];
  d: number[];
}

function naturalCubic(s: number[], y: number[]): Cubic {
  const n = s.length;
  const h = new Array<number>(n - 1);
  for (let i = 0; i < n - 1; i++) h[i] = s[i + 1]! - s[i]!;
  // Tridiagonal system for the second-derivative coefficients c (c_0 = c_(n-1) = 0).
  const lower = new Array<number>(n).fill(0);
  const diag = new Array<number>(n).fill(1);
  const upper = new Array<number>(n).fill(0);
  const rhs = new Array<number>(n).fill(0);
  for (let i = 1; i < n - 1; i++) {
    lower[i] = h[i - 1]!;
    diag[i] = 2 * (h[i - 1]! + h[i]!);
    upper[i] = h[i]!;
    rhs[i] = (3 * (y[i + 1]! - y[i]!)) / h[i]! - (3 * (y[i]! - y[i - 1]!)) / h[i - 1]!;
  }
  // Thomas algorithm.
  for (let i = 1; i < n; i++) {
    const w = lower[i]! / diag[i - 1]!;
    diag[i] = diag[i]! - w * upper[i - 1]!;
    rhs[i] = rhs[i]! - w * rhs[i - 1]!;
  }
  const c = new Array<number>(n).fill(0);
  c[n - 1] = rhs[n - 1]! / diag[n - 1]!;
  for (let i = n - 2; i >= 0; i--) c[i] = (rhs[i]! - upper[i]! * c[i + 1]!) / diag[i]!;
  const b = new Array<number>(n - 1);
  const d = new Array<number>(n - 1);
  for (let i = 0; i < n - 1; i++) {
    d[i] = (c[i + 1]! - c[i]!) / (3 * h[i]!);
    b[i] = (y[i + 1]! - y[i]!) / h[i]! - (h[i]! * (c[i + 1]! + 2 * c[i]!)) / 3;
  }
  return { s, a: y.slice(), b, c, d };
}

function segment(sp: Cubic, s: number): number {
  const n = sp.s.length - 1;
  let i = 0;
  while (i < n - 1 && s >= sp.s[i + 1]!) i++;
  return i;
}

function value(sp: Cubic, s: number): number {
  const i = segment(sp, s);
  const dx = s - sp.s[i]!;
  return sp.a[i]! + sp.b[i]! * dx + sp.c[i]! * dx * dx + sp.d[i]! * dx * dx * dx;
}

function slope(sp: Cubic, s: number): number {
  const i = segment(sp, s);
  const dx = s - sp.s[i]!;
  return sp.b[i]! + 2 * sp.c[i]! * dx + 3 * sp.d[i]! * dx * dx;
}

const RADIUS = 10;
const ANGLES = [7, 6, 5, 4, 3, 2, 1, 0, 7].map((k) => (k * Math.PI) / 4);

function build(): { x: Cubic; y: Cubic; length: number } {
  const px = ANGLES.map((a) => RADIUS * Math.cos(a));
  const py = ANGLES.map((a) => RADIUS * Math.sin(a));
  const s = [0];
  for (let i = 1; i < px.length; i++) s.push(s[i - 1]! + Math.hypot(px[i]! - px[i - 1]!, py[i]! - py[i - 1]!));
  return { x: naturalCubic(s, px), y: naturalCubic(s, py), length: s[s.length - 1]! };
}

const SPLINE = build();

/** Total chord length of the course (61.229 m). */
export const COURSE_LENGTH = SPLINE.length;

/** Point of the course at parameter s (cumulative chord length, m). */
export function coursePoint(s: number): Vec2 {
  return [value(SPLINE.x, s), value(SPLINE.y, s)];
}

/** Heading of the course's tangent at s (rad). */
export function courseHeading(s: number): number {
  return Math.atan2(slope(SPLINE.y, s), slope(SPLINE.x, s));
}

/** The course as drawn: sampled every 0.1 of s, samples 80 to 299 kept (spec). */
export function courseSamples(): Vec2[] {
  const out: Vec2[] = [];
  for (let k = 80; k < 300; k++) out.push(coursePoint(0.1 * k));
  return out;
}

/** The 110 precomputed target positions (index 0 at reset, +1 per step, stops at 109). */
export function targetPositions(): Vec2[] {
  const out: Vec2[] = [];
  let s = 13;
  for (let i = 0; i < 110; i++) {
    out.push(coursePoint(s));
    const t = 0.1 * i;
    s += Math.min(6, 1 + 0.1 * t) * 0.1;
  }
  return out;
}
