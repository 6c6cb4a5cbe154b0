// Min/max tiles: the extremes-keeping down-sampling behind every chart query.
//
// A series (one key of one run) is a list of points in step order. Level-l tiles cover
// TILE_BASE * TILE_FANOUT^l consecutive points (16, 64, 256, ... points) and keep the point with
// the smallest and the point with the largest value (NaN skipped). Tiles are written when they
// fill up, at ingest, so a query never scans raw points of long series: to return at most N points
// it picks the finest level whose complete tiles give at most N - 2 points (2 per tile, in step
// order), and folds the remaining tail (fewer points than one tile) into one last min/max pair
// with two small SQL aggregates. Buckets therefore hold equal numbers of points (not equal step
// ranges), every local extreme that survives at the chosen resolution is kept, and a series of at
// most N points is returned raw. Cost: O(N) rows per series, whatever the series length.
export const TILE_BASE = 16;
export const TILE_FANOUT = 4;
export const TILE_LEVELS = 9; // level 8 tiles hold 16 * 4^8 = 1,048,576 points

export function tileSize(level: number): number {
  return TILE_BASE * TILE_FANOUT ** level;
}

/** Running extremes of a tile being filled. value NaN is skipped; minValue stays NaN if all are NaN. */
export class TileAcc {
  n = 0;
  lastStep = 0;
  minStep = 0;
  minWall = 0;
  minValue = Number.NaN;
  maxStep = 0;
  maxWall = 0;
  maxValue = Number.NaN;

  reset(): void {
    this.n = 0;
    this.minValue = Number.NaN;
    this.maxValue = Number.NaN;
  }

  addPoint(step: number, wall: number, value: number): void {
    if (this.n === 0) {
      this.minStep = this.maxStep = step;
      this.minWall = this.maxWall = wall;
    }
    this.n++;
    this.lastStep = step;
    if (value === value) {
      if (!(value >= this.minValue)) {
        this.minValue = value;
        this.minStep = step;
        this.minWall = wall;
      }
      if (!(value <= this.maxValue)) {
        this.maxValue = value;
        this.maxStep = step;
        this.maxWall = wall;
      }
    }
  }

  /** Merge a complete tile (or another accumulator) of `n` points. */
  addTile(t: TileRow, n: number): void {
    if (this.n === 0) {
      this.minStep = t.minStep;
      this.minWall = t.minWall;
      this.maxStep = t.maxStep;
      this.maxWall = t.maxWall;
    }
    this.n += n;
    this.lastStep = t.lastStep;
    if (t.minValue === t.minValue && !(t.minValue >= this.minValue)) {
      this.minValue = t.minValue;
      this.minStep = t.minStep;
      this.minWall = t.minWall;
    }
    if (t.maxValue === t.maxValue && !(t.maxValue <= this.maxValue)) {
      this.maxValue = t.maxValue;
      this.maxStep = t.maxStep;
      this.maxWall = t.maxWall;
    }
  }
}

export interface TileRow {
  lastStep: number;
  minStep: number;
  minWall: number;
  minValue: number;
  maxStep: number;
  maxWall: number;
  maxValue: number;
}

/** Finest level whose complete tiles plus one tail pair give at most maxPoints points, or -1 if none needed. */
export function chooseLevel(count: number, maxPoints: number): number {
  if (count <= maxPoints) return -1;
  for (let l = 0; l < TILE_LEVELS; l++) {
    if (2 * (Math.floor(count / tileSize(l)) + 1) <= maxPoints) return l;
  }
  return TILE_LEVELS - 1;
}
