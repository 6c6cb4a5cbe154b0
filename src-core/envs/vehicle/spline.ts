// The vehicle's reference path and moving target (spec/environments.md, "Vehicle").
// A natural cubic spline x(s), y(s) parametrised by cumulative chord length s through 9 points
// of a radius-10 circle, clockwise from 7pi/4 back to 7pi/4 (as PythonRobotics' CubicSpline2D).
// Every "s" here is the chord-length parameter (total 61.229 m), not the true arc length.
import { VEHICLE_DT, VEHICLE_RADIUS, VEHICLE_START_S, VEHICLE_TARGET_COUNT, VEHICLE_TARGET_START_S } from './params.ts';

/** One natural cubic spline y(t) on knots t: per interval y = a + b dt + c dt^2 + d dt^3. */
class CubicSpline1D {
  readonly t: Float64Array;
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  private readonly c: Float64Array;
  private readonly d: Float64Array;

  constructor(t: ArrayLike<number>, y: ArrayLike<number>) {
    const n = t.length;
    this.t = Float64Array.from(t);
    this.a = Float64Array.from(y);
    const h = new Float64Array(n - 1);
    for (let i = 0; i < n - 1; i++) h[i] = t[i + 1]! - t[i]!;
    // Tridiagonal system for c (natural ends: c[0] = c[n-1] = 0), solved by the Thomas algorithm.
    const diag = new Float64Array(n);
    const lower = new Float64Array(n);
    const upper = new Float64Array(n);
    const rhs = new Float64Array(n);
    diag[0] = 1;
    diag[n - 1] = 1;
    for (let i = 1; i < n - 1; i++) {
      lower[i] = h[i - 1]!;
      diag[i] = 2 * (h[i - 1]! + h[i]!);
      upper[i] = h[i]!;
      rhs[i] = (3 * (y[i + 1]! - y[i]!)) / h[i]! - (3 * (y[i]! - y[i - 1]!)) / h[i - 1]!;
    }
    const c = new Float64Array(n);
    const cp = new Float64Array(n);
    const dp = new Float64Array(n);
    cp[0] = upper[0]! / diag[0]!;
    dp[0] = rhs[0]! / diag[0]!;
    for (let i = 1; i < n; i++) {
      const den = diag[i]! - lower[i]! * cp[i - 1]!;
      cp[i] = upper[i]! / den;
      dp[i] = (rhs[i]! - lower[i]! * dp[i - 1]!) / den;
    }
    c[n - 1] = dp[n - 1]!;
    for (let i = n - 2; i >= 0; i--) c[i] = dp[i]! - cp[i]! * c[i + 1]!;
    this.c = c;
    this.b = new Float64Array(n - 1);
    this.d = new Float64Array(n - 1);
    for (let i = 0; i < n - 1; i++) {
      this.d[i] = (c[i + 1]! - c[i]!) / (3 * h[i]!);
      this.b[i] = (1 / h[i]!) * (y[i + 1]! - y[i]!) - (h[i]! / 3) * (2 * c[i]! + c[i + 1]!);
    }
  }

  /** Interval index as Python's bisect.bisect(t, s) - 1 (the last knot falls past the end, as in the reference). */
  private interval(s: number): number {
    if (!(s >= this.t[0]! && s <= this.t[this.t.length - 1]!)) throw new Error(`spline parameter ${s} outside [${this.t[0]}, ${this.t[this.t.length - 1]}]`);
    let i = 0;
    while (i + 1 < this.t.length && this.t[i + 1]! <= s) i++;
    return Math.min(i, this.t.length - 2);
  }

  value(s: number): number {
    const i = this.interval(s);
    const dx = s - this.t[i]!;
    return this.a[i]! + this.b[i]! * dx + this.c[i]! * dx * dx + this.d[i]! * dx * dx * dx;
  }

  derivative(s: number): number {
    const i = this.interval(s);
    const dx = s - this.t[i]!;
    return this.b[i]! + 2 * this.c[i]! * dx + 3 * this.d[i]! * dx * dx;
  }
}

/** The reference path: x(s), y(s) through the 9 circle points, s = cumulative chord length. */
export class PathSpline {
  readonly knots: Float64Array;
  private readonly sx: CubicSpline1D;
  private readonly sy: CubicSpline1D;

  constructor(px: ArrayLike<number>, py: ArrayLike<number>) {
    const s = new Float64Array(px.length);
    for (let i = 1; i < px.length; i++) s[i] = s[i - 1]! + Math.hypot(px[i]! - px[i - 1]!, py[i]! - py[i - 1]!);
    this.knots = s;
    this.sx = new CubicSpline1D(s, px);
    this.sy = new CubicSpline1D(s, py);
  }

  get length(): number {
    return this.knots[this.knots.length - 1]!;
  }

  position(s: number): [number, number] {
    return [this.sx.value(s), this.sy.value(s)];
  }

  /** Heading of the tangent, atan2(y'(s), x'(s)). */
  yaw(s: number): number {
    return Math.atan2(this.sy.derivative(s), this.sx.derivative(s));
  }
}

/** The 9 path points: angles 7pi/4, 3pi/2, ..., 0, then 7pi/4 again (clockwise, closed). */
export function circlePoints(radius = VEHICLE_RADIUS): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  for (let k = 7; k >= 0; k--) {
    const angle = (2 * Math.PI * k) / 8; // numpy: flip(linspace(0, 2 pi, 8, endpoint=False))
    x.push(radius * Math.cos(angle));
    y.push(radius * Math.sin(angle));
  }
  x.push(x[0]!);
  y.push(y[0]!);
  return { x, y };
}

export interface VehicleTrack {
  spline: PathSpline;
  /** Moving-target positions, index 0..109, flat [x0, y0, x1, y1, ...]. */
  targets: Float64Array;
  /** Spline parameter of each target position. */
  targetS: Float64Array;
  /** Initial pose on the spline at s = 9: x, y, tangent heading. */
  start: { x: number; y: number; psi: number };
}

let cached: VehicleTrack | undefined;

/** The path, target positions and start pose, computed once per process (they have no parameters). */
export function vehicleTrack(): VehicleTrack {
  if (cached) return cached;
  const { x, y } = circlePoints();
  const spline = new PathSpline(x, y);
  const targets = new Float64Array(2 * VEHICLE_TARGET_COUNT);
  const targetS = new Float64Array(VEHICLE_TARGET_COUNT);
  // Forward Euler on s: s_0 = 13, t_i = 0.1 i, s_(i+1) = s_i + min(6, 1 + 0.1 t_i) * 0.1
  let s = VEHICLE_TARGET_START_S;
  let time = 0;
  for (let i = 0; i < VEHICLE_TARGET_COUNT; i++) {
    const [tx, ty] = spline.position(s);
    targets[2 * i] = tx;
    targets[2 * i + 1] = ty;
    targetS[i] = s;
    s += Math.min(6, 1 + 0.1 * time) * VEHICLE_DT;
    time += VEHICLE_DT;
  }
  const [sx, sy] = spline.position(VEHICLE_START_S);
  cached = { spline, targets, targetS, start: { x: sx, y: sy, psi: spline.yaw(VEHICLE_START_S) } };
  return cached;
}

/** The course for drawing: the spline sampled every 0.1 of s, samples 80..299 kept (as the reference). */
export function vehicleCourse(): { x: Float64Array; y: Float64Array } {
  const { spline } = vehicleTrack();
  const x = new Float64Array(220);
  const y = new Float64Array(220);
  for (let i = 80; i < 300; i++) {
    const [px, py] = spline.position(i * 0.1);
    x[i - 80] = px;
    y[i - 80] = py;
  }
  return { x, y };
}
