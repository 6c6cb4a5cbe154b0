// Min-max-preserving down-sampling for display: the x range is cut into buckets of equal width and
// each bucket keeps its first, minimum, maximum and last points (in x order, without duplicates),
// so spikes and the ends of the series survive. At most about 4 x buckets points are returned.
// Non-finite values are skipped. Apply smoothing before this, never after.

export interface XY {
  x: Float64Array;
  y: Float64Array;
}

export function downsampleMinMax(xs: ArrayLike<number>, ys: ArrayLike<number>, buckets: number): XY {
  const n = xs.length;
  if (!Number.isInteger(buckets) || buckets < 1) throw new Error(`down-sampling buckets must be an integer >= 1, got ${buckets}`);
  if (n <= buckets * 4) {
    const keep: number[] = [];
    for (let i = 0; i < n; i++) if (Number.isFinite(ys[i]!)) keep.push(i);
    return { x: Float64Array.from(keep, (i) => xs[i]!), y: Float64Array.from(keep, (i) => ys[i]!) };
  }
  const x0 = xs[0]!;
  const span = xs[n - 1]! - x0 || 1;
  const ox = new Float64Array(buckets * 4);
  const oy = new Float64Array(buckets * 4);
  let m = 0;
  let i = 0;
  const picks = [0, 0, 0, 0];
  for (let b = 0; b < buckets; b++) {
    const end = b === buckets - 1 ? Number.POSITIVE_INFINITY : x0 + (span * (b + 1)) / buckets;
    let first = -1;
    let last = -1;
    let imin = -1;
    let imax = -1;
    for (; i < n && xs[i]! < end; i++) {
      const y = ys[i]!;
      if (!Number.isFinite(y)) continue;
      if (first < 0) first = i;
      last = i;
      if (imin < 0 || y < ys[imin]!) imin = i;
      if (imax < 0 || y > ys[imax]!) imax = i;
    }
    if (first < 0) continue;
    picks[0] = first;
    picks[1] = imin;
    picks[2] = imax;
    picks[3] = last;
    picks.sort((a, c) => a - c);
    for (let p = 0; p < 4; p++) {
      if (p > 0 && picks[p] === picks[p - 1]) continue;
      ox[m] = xs[picks[p]!]!;
      oy[m] = ys[picks[p]!]!;
      m++;
    }
  }
  return { x: ox.slice(0, m), y: oy.slice(0, m) };
}
