// Packed blocks of a metric series (table metric_blocks): METRIC_BLOCK consecutive points as
// Float64 blobs, written by the ingest path when a block fills and, partial, when a run ends. A
// long series is then read whole with a few blob reads (100,000 points: 25 rows) instead of one
// row per point. Values are packed as SQLite gives them back: NaN for NULL, 0 for -0.
export const METRIC_BLOCK = 4096;

/** The points of one block being filled, in step order. Grows by doubling up to METRIC_BLOCK. */
export class OpenBlock {
  n = 0;
  step = new Float64Array(64);
  wall = new Float64Array(64);
  value = new Float64Array(64);

  add(step: number, wall: number, value: number): void {
    if (this.n === this.step.length) this.grow();
    this.step[this.n] = step;
    this.wall[this.n] = asStored(wall);
    this.value[this.n] = asStored(value);
    this.n++;
  }

  private grow(): void {
    const size = Math.min(METRIC_BLOCK, 2 * this.step.length);
    for (const k of ['step', 'wall', 'value'] as const) {
      const a = new Float64Array(size);
      a.set(this[k]);
      this[k] = a;
    }
  }

  reset(): void {
    this.n = 0;
  }
}

/** What a REAL column gives back for `v`: NaN for NULL (NaN is stored as NULL), and 0 for -0. */
export function asStored(v: number): number {
  return v !== v ? Number.NaN : v === 0 ? 0 : v;
}

/** The bound parameters of a block row after (run_id, key_id, idx): n, first_step, last_step, stride, steps, vals, wall. */
export function encodeBlock(step: Float64Array, wall: Float64Array, value: Float64Array, n: number): [number, number, number, number | null, Buffer | null, Buffer, Buffer] {
  const first = step[0]!;
  const last = step[n - 1]!;
  let stride: number | null = n >= 2 ? step[1]! - first : 1;
  for (let i = 2; i < n && stride !== null; i++) if (step[i] !== first + i * stride) stride = null;
  return [n, first, last, stride, stride === null ? blob(step, n) : null, blob(value, n), blob(wall, n)];
}

function blob(a: Float64Array, n: number): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, 8 * n);
}

/** Copy a Float64 blob into `out` at `at` (blobs need not be 8-byte aligned). */
export function copyBlob(b: Buffer, out: Float64Array, at: number, n: number): void {
  if (b.byteLength !== 8 * n) throw new Error(`metric block blob holds ${b.byteLength} bytes, expected ${8 * n}`);
  if (b.byteOffset % 8 === 0) out.set(new Float64Array(b.buffer, b.byteOffset, n), at);
  else new Uint8Array(out.buffer, out.byteOffset + 8 * at, 8 * n).set(b);
}
