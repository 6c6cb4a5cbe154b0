// Box space: a bounded (or unbounded) real vector, as Gymnasium's spaces.Box.
import type { Rng } from '../rng.ts';

export class Box {
  readonly low: Float64Array;
  readonly high: Float64Array;
  readonly shape: readonly [number];

  constructor(low: ArrayLike<number>, high: ArrayLike<number>) {
    if (low.length !== high.length) throw new Error(`Box: low has ${low.length} entries, high ${high.length}`);
    this.low = Float64Array.from(low);
    this.high = Float64Array.from(high);
    this.shape = [low.length];
    for (let i = 0; i < low.length; i++) {
      if (!(this.low[i]! <= this.high[i]!)) throw new Error(`Box: low[${i}] > high[${i}]`);
    }
  }

  /** A box with the same bounds on every dimension. */
  static uniform(dim: number, low: number, high: number): Box {
    return new Box(new Array<number>(dim).fill(low), new Array<number>(dim).fill(high));
  }

  get dim(): number {
    return this.shape[0];
  }

  get bounded(): boolean {
    for (let i = 0; i < this.dim; i++) if (!Number.isFinite(this.low[i]!) || !Number.isFinite(this.high[i]!)) return false;
    return true;
  }

  contains(x: ArrayLike<number>): boolean {
    if (x.length !== this.dim) return false;
    for (let i = 0; i < this.dim; i++) if (!(x[i]! >= this.low[i]! && x[i]! <= this.high[i]!)) return false;
    return true;
  }

  /** Uniform sample; only for bounded boxes. */
  sample(rng: Rng, out: Float64Array = new Float64Array(this.dim)): Float64Array {
    if (!this.bounded) throw new Error('Box.sample needs finite bounds');
    for (let i = 0; i < this.dim; i++) out[i] = rng.uniformRange(this.low[i]!, this.high[i]!);
    return out;
  }

  /** Clip into the box, in place into `out` (defaults to a copy). */
  clip(x: ArrayLike<number>, out: Float64Array = new Float64Array(this.dim)): Float64Array {
    for (let i = 0; i < this.dim; i++) out[i] = Math.min(this.high[i]!, Math.max(this.low[i]!, x[i]!));
    return out;
  }

  toJSON(): { low: number[]; high: number[] } {
    return { low: Array.from(this.low), high: Array.from(this.high) };
  }
}
