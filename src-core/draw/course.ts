// The vehicle's reference course and moving target, for drawing, read from the environment's own
// track (src-core/envs/vehicle/spline.ts) so the scene shows exactly what the reward uses:
// the natural cubic spline through 9 circle points parametrised by cumulative chord length s,
// drawn every 0.1 of s keeping samples 80-299, and the 110 precomputed target positions.
import { vehicleCourse, vehicleTrack } from '../envs/vehicle/spline.ts';
import type { Vec2 } from './types.ts';

const TRACK = vehicleTrack();

/** Total chord length of the course (61.229 m). */
export const COURSE_LENGTH = TRACK.spline.length;

/** Point of the course at parameter s (cumulative chord length, m). */
export function coursePoint(s: number): Vec2 {
  return TRACK.spline.position(s);
}

/** Heading of the course's tangent at s (rad). */
export function courseHeading(s: number): number {
  return TRACK.spline.yaw(s);
}

/** The course as drawn: sampled every 0.1 of s, samples 80 to 299 kept (spec). */
export function courseSamples(): Vec2[] {
  const { x, y } = vehicleCourse();
  return Array.from(x, (xi, i) => [xi, y[i]!] as Vec2);
}

/** The 110 precomputed target positions (index 0 at reset, +1 per step, stops at 109). */
export function targetPositions(): Vec2[] {
  const t = TRACK.targets;
  const out: Vec2[] = [];
  for (let i = 0; i < t.length / 2; i++) out.push([t[2 * i]!, t[2 * i + 1]!]);
  return out;
}
