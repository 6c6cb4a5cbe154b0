// Geometry of the obstacle task as pure functions (spec/environments.md, "Obstacle2D"):
// segment crossing exactly as the reference's ccw test (strict comparison, directed edges).
import { OBSTACLE_WALL_EDGES } from './params.ts';

/** ccw(A, B, C) = (C.y - A.y)(B.x - A.x) > (B.y - A.y)(C.x - A.x), strict. */
export function ccw(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): boolean {
  return (cy - ay) * (bx - ax) > (by - ay) * (cx - ax);
}

/** Segment P->N crosses C->D: ccw(P, C, D) != ccw(N, C, D) and ccw(P, N, C) != ccw(P, N, D). */
export function segmentsCross(px: number, py: number, nx: number, ny: number, cx: number, cy: number, dx: number, dy: number): boolean {
  return ccw(px, py, cx, cy, dx, dy) !== ccw(nx, ny, cx, cy, dx, dy) && ccw(px, py, nx, ny, cx, cy) !== ccw(px, py, nx, ny, dx, dy);
}

const [LEFT, TOP, RIGHT, BOTTOM] = OBSTACLE_WALL_EDGES as readonly (readonly [number, number, number, number])[];
const E = [...LEFT!, ...TOP!, ...RIGHT!, ...BOTTOM!]; // flat, for an unrolled hot loop

/** The move P->N crosses any wall edge, in the reference's order (its point-in-rectangle test never fires). */
export function crossesWall(px: number, py: number, nx: number, ny: number): boolean {
  return (
    segmentsCross(px, py, nx, ny, E[0]!, E[1]!, E[2]!, E[3]!) ||
    segmentsCross(px, py, nx, ny, E[4]!, E[5]!, E[6]!, E[7]!) ||
    segmentsCross(px, py, nx, ny, E[8]!, E[9]!, E[10]!, E[11]!) ||
    segmentsCross(px, py, nx, ny, E[12]!, E[13]!, E[14]!, E[15]!)
  );
}

/** Euclidean distance to (gx, gy), as the reference computes it (sqrt of the sum of squares). */
export function distanceTo(x: number, y: number, gx: number, gy: number): number {
  const dx = x - gx; // numpy's (x - gx) ** 2 is exactly dx * dx
  const dy = y - gy;
  return Math.sqrt(dx * dx + dy * dy);
}
