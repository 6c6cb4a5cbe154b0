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

/** The move P->N crosses any wall edge (the reference's point-in-rectangle test never fires). */
export function crossesWall(px: number, py: number, nx: number, ny: number): boolean {
  for (const [cx, cy, dx, dy] of OBSTACLE_WALL_EDGES) if (segmentsCross(px, py, nx, ny, cx, cy, dx, dy)) return true;
  return false;
}

/** Euclidean distance to (gx, gy), as the reference computes it (sqrt of the sum of squares). */
export function distanceTo(x: number, y: number, gx: number, gy: number): number {
  return Math.sqrt((x - gx) ** 2 + (y - gy) ** 2);
}
