// The tensor engine's building blocks: squashed-Gaussian log-probability with the tanh correction,
// Adam against torch's formula, hand-written dense gradients against finite differences,
// orthogonal init, checkpoint byte format.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/engine/backend.ts';
import { FLOAT32_EPS, squashedSample, gaussianLogProb, gaussianEntropy } from '../../../src-core/nn/distributions.ts';
import { Adam } from '../../../src-core/nn/adam.ts';
import { dense } from '../../../src-core/nn/dense.ts';
import { orthogonalInit } from '../../../src-core/nn/init.ts';
import { FlatParams, polyakUpdate } from '../../../src-core/nn/params.ts';
import { encodeCheckpoint, decodeCheckpoint } from '../../../src-core/train/codec.ts';
import { Rng } from '../../../src-core/rng.ts';

beforeAll(async () => {
  const info = await initBackend('wasm');
  expect(info.backend).toBe('wasm');
});

describe('distributions', () => {
  it('squashed Gaussian log pi = log N(u) - sum log(1 - tanh(u)^2 + eps)', () => {
    const mu = [0.3, -1.2];
    const ls = [-0.5, 0.2];
    const z = [0.7, -1.1];
    const { action, logProb } = squashedSample(tf.tensor2d([mu]), tf.tensor2d([ls]), tf.tensor2d([z]));
    let expected = 0;
    const a: number[] = [];
    for (let k = 0; k < 2; k++) {
      const u = mu[k]! + Math.exp(ls[k]!) * z[k]!;
      a.push(Math.tanh(u));
      expected += -0.5 * z[k]! ** 2 - ls[k]! - 0.5 * Math.log(2 * Math.PI) - Math.log(1 - Math.tanh(u) ** 2 + FLOAT32_EPS);
    }
    expect(FLOAT32_EPS).toBe(2 ** -23);
    expect(Array.from(action.dataSync())).toEqual(a.map((x) => expect.closeTo(x, 6)));
    expect(logProb.dataSync()[0]).toBeCloseTo(expected, 4);
  });

  it('diagonal Gaussian log-density and entropy', () => {
    const lp = gaussianLogProb(tf.tensor2d([[1, 2]]), tf.tensor2d([[0, 1]]), tf.tensor2d([[0, Math.log(2)]])).dataSync()[0]!;
    const exp = -0.5 - 0.5 * Math.log(2 * Math.PI) + (-0.125 - Math.log(2) - 0.5 * Math.log(2 * Math.PI));
    expect(lp).toBeCloseTo(exp, 5);
    const h = gaussianEntropy(tf.tensor2d([[0, Math.log(2)]])).dataSync()[0]!;
    expect(h).toBeCloseTo(2 * (0.5 + 0.5 * Math.log(2 * Math.PI)) + Math.log(2), 5);
  });
});

describe('Adam', () => {
  it('matches torch.optim.Adam step by step, with gradient-norm clipping', () => {
    const p = tf.variable(tf.tensor1d([1, -2, 3]));
    const opt = new Adam(p, { lr: 0.1 });
    const ref = [1, -2, 3];
    const m = [0, 0, 0];
    const v = [0, 0, 0];
    const grads = [[0.5, -1, 2], [0.1, 0.2, -0.3], [1, 1, 1]];
    grads.forEach((g, i) => {
      opt.apply(tf.tensor1d(g));
      const t = i + 1;
      for (let k = 0; k < 3; k++) {
        m[k] = 0.9 * m[k]! + 0.1 * g[k]!;
        v[k] = 0.999 * v[k]! + 0.001 * g[k]! ** 2;
        ref[k]! -= (0.1 / (1 - 0.9 ** t)) * m[k]! / (Math.sqrt(v[k]!) / Math.sqrt(1 - 0.999 ** t) + 1e-8);
      }
    });
    Array.from(p.dataSync()).forEach((x, k) => expect(x).toBeCloseTo(ref[k]!, 5));
    const q = tf.variable(tf.tensor1d([0, 0]));
    const clipped = new Adam(q, { lr: 1, maxGradNorm: 0.5 });
    clipped.apply(tf.tensor1d([3, 4])); // norm 5 -> scaled to 0.5; first Adam step moves each by ~lr
    Array.from(q.dataSync()).forEach((x) => expect(x).toBeCloseTo(-1, 4));
  });
});

describe('dense layers with hand-written gradients', () => {
  it('agree with autodiff of the plain ops and with central finite differences (float64 host forward) for relu, tanh and linear', () => {
    const rng = new Rng(3);
    const r = (n: number) => Array.from({ length: n }, () => rng.normal());
    for (const act of ['relu', 'tanh', 'linear'] as const) {
      const x = tf.tensor2d(r(4 * 3), [4, 3]);
      const w = tf.tensor2d(r(3 * 5), [3, 5]);
      const b = tf.tensor1d(r(5));
      const f = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.square(dense(xx, ww, bb, act)));
      const [gx, gw, gb] = tf.grads(f)([x, w, b]);
      const ref = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => {
        const z = tf.add(tf.matMul(xx as tf.Tensor2D, ww as tf.Tensor2D), bb);
        const y = act === 'relu' ? tf.relu(z) : act === 'tanh' ? tf.tanh(z) : z;
        return tf.sum(tf.square(y));
      };
      const [rx, rw, rb] = tf.grads(ref)([x, w, b]);
      expect(f(x, w, b).dataSync()[0]).toBeCloseTo(ref(x, w, b).dataSync()[0]!, 3);
      for (const [a, e] of [[gx, rx], [gw, rw], [gb, rb]] as const) {
        Array.from(a!.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(e!.dataSync()[i]!, 3));
      }
      // finite differences of the same loss computed in float64 on the host (issue 18: the name is now true)
      const X = Array.from(x.dataSync());
      const W = Array.from(w.dataSync());
      const Bv = Array.from(b.dataSync());
      const host = (xs: number[], ws: number[], bs: number[]) => {
        let sum = 0;
        for (let i = 0; i < 4; i++) {
          for (let o = 0; o < 5; o++) {
            let z = bs[o]!;
            for (let k = 0; k < 3; k++) z += xs[i * 3 + k]! * ws[k * 5 + o]!;
            const y = act === 'relu' ? Math.max(0, z) : act === 'tanh' ? Math.tanh(z) : z;
            sum += y * y;
          }
        }
        return sum;
      };
      const h = 1e-5;
      const fd = (which: 0 | 1 | 2, idx: number) => {
        const args = [X.slice(), W.slice(), Bv.slice()] as [number[], number[], number[]];
        args[which][idx]! += h;
        const up = host(...args);
        args[which][idx]! -= 2 * h;
        return (up - host(...args)) / (2 * h);
      };
      ([[gx, 0, X.length], [gw, 1, W.length], [gb, 2, Bv.length]] as const).forEach(([g, which, n]) => {
        const got = g!.dataSync();
        for (let i = 0; i < n; i++) {
          const want = fd(which, i);
          expect(Math.abs(got[i]! - want), `${act} d/d${'xwb'[which]}[${i}]`).toBeLessThan(1e-4 * Math.max(1, Math.abs(want)));
        }
      });
    }
  });
});

describe('parameters', () => {
  it('orthogonal init gives orthonormal columns times the gain', () => {
    const { w } = orthogonalInit(new Rng(1), 8, 4, 2);
    for (let a = 0; a < 4; a++) {
      for (let c = 0; c < 4; c++) {
        let dot = 0;
        for (let i = 0; i < 8; i++) dot += w[i * 4 + a]! * w[i * 4 + c]!;
        expect(dot).toBeCloseTo(a === c ? 4 : 0, 4);
      }
    }
  });

  it('flat parameters unpack in declaration order and Polyak-average', () => {
    const p = new FlatParams();
    p.add('w', Float32Array.of(1, 2, 3, 4), [2, 2]);
    p.add('b', Float32Array.of(5, 6), [2]);
    p.finalize();
    const [w, b] = p.unpack();
    expect(w!.shape).toEqual([2, 2]);
    expect(Array.from(b!.dataSync())).toEqual([5, 6]);
    const t = p.clone();
    p.variable.assign(tf.tensor1d([0, 0, 0, 0, 0, 0]));
    polyakUpdate(t, p, 0.25);
    expect(Array.from(t.variable.dataSync())).toEqual([0.75, 1.5, 2.25, 3, 3.75, 4.5]);
  });
});

describe('checkpoint codec', () => {
  it('round-trips metadata and float32/float64 arrays and rejects garbage', () => {
    const bytes = encodeCheckpoint({ a: 1, name: 'caf\u00e9' }, {
      x: { shape: [3], data: Float32Array.of(1.5, -2, 3) },
      y: { shape: [1], data: Float64Array.of(Math.PI) },
    });
    const { meta, arrays } = decodeCheckpoint(bytes);
    expect(meta).toEqual({ a: 1, name: 'caf\u00e9' });
    expect(Array.from(arrays.x!.data)).toEqual([1.5, -2, 3]);
    expect(arrays.y!.data).toBeInstanceOf(Float64Array);
    expect(arrays.y!.data[0]).toBe(Math.PI);
    expect(() => decodeCheckpoint(new Uint8Array(20))).toThrow(/bad magic/);
    expect(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 8))).toThrow(/truncated/);
  });
});
