// The faster wasm Slice / SplitV kernels (src-core/nn/wasm_slice.ts) against index arithmetic in
// JavaScript, for ranks 1 to 4, contiguous and strided slices, int32 and bool, and splits.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/engine/backend.ts';
import { Rng } from '../../../src-core/rng.ts';

beforeAll(async () => {
  const info = await initBackend('wasm');
  expect(info.backend).toBe('wasm');
});

/** x[begin : begin + size] of a row-major array with `shape`, by index arithmetic. */
function refSlice(x: Float32Array, shape: number[], begin: number[], size: number[]): number[] {
  const out: number[] = [];
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  const walk = (d: number, off: number) => {
    if (d === shape.length) {
      out.push(x[off]!);
      return;
    }
    for (let i = 0; i < size[d]!; i++) walk(d + 1, off + (begin[d]! + i) * strides[d]!);
  };
  walk(0, 0);
  return out;
}

describe('wasm Slice and SplitV', () => {
  it('slice any rank, contiguous or strided, and three dtypes', () => {
    const rng = new Rng(9);
    const cases: [number[], number[], number[]][] = [
      [[10], [3], [5]],
      [[4, 7], [1, 2], [3, 4]],
      [[4, 7], [2, 0], [2, 7]],
      [[3, 4, 5], [1, 1, 2], [2, 3, 3]],
      [[2, 3, 4, 5], [1, 0, 1, 2], [1, 3, 2, 3]],
      [[4, 7], [0, 3], [4, 0]],
    ];
    for (const [shape, begin, size] of cases) {
      const n = shape.reduce((a, b) => a * b, 1);
      const data = Float32Array.from({ length: n }, () => rng.normal());
      const expected = refSlice(data, shape, begin, size);
      tf.tidy(() => {
        expect(Array.from(tf.slice(tf.tensor(data, shape), begin, size).dataSync())).toEqual(expected);
        const ints = Int32Array.from(data, (v) => Math.round(v * 100));
        expect(Array.from(tf.slice(tf.tensor(ints, shape, 'int32'), begin, size).dataSync())).toEqual(refSlice(Float32Array.from(ints), shape, begin, size));
        const bools = tf.greater(tf.tensor(data, shape), 0);
        expect(Array.from(tf.slice(bools, begin, size).dataSync())).toEqual(expected.map((v) => (v > 0 ? 1 : 0)));
      });
    }
  });

  it('split a flat vector and a matrix along columns, with gradients', () => {
    tf.tidy(() => {
      const flat = tf.range(0, 20, 1, 'float32');
      const parts = tf.split(flat, [3, 12, 5]);
      expect(parts.map((p) => Array.from(p.dataSync()))).toEqual([[0, 1, 2], Array.from({ length: 12 }, (_, i) => i + 3), [15, 16, 17, 18, 19]]);
      const m = tf.reshape(flat, [4, 5]);
      const [a, b] = tf.split(m, [2, 3], 1);
      expect(Array.from(a!.dataSync())).toEqual([0, 1, 5, 6, 10, 11, 15, 16]);
      expect(Array.from(b!.dataSync())).toEqual([2, 3, 4, 7, 8, 9, 12, 13, 14, 17, 18, 19]);
      const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.split(x, [3, 12, 5])[1]!, 2)))(flat);
      expect(Array.from(g.dataSync())).toEqual(Array.from({ length: 20 }, (_, i) => (i >= 3 && i < 15 ? 2 : 0)));
    });
  });
});
