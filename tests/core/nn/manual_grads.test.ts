// The SAC family's hand-written gradients (Mlp.backward, squashed_grad.ts, CriticPair.paramGrad /
// actionGrad, minGrad) against tfjs autodiff of the same losses written with plain tfjs ops on the
// differentiable FlatParams.unpack(): MLP backward, critic MSE loss, and the actor loss through
// the squashed Gaussian (with log sigma clipping active) and min(Q1, Q2), with and without
// SAC-AdaEnt's per-state switch between two critic pairs. And the host Adam against the tensor Adam.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/engine/backend.ts';
import { normals, refMlp } from './autodiff-reference.ts';
import { Rng } from '../../../src-core/rng.ts';
import { FlatParams } from '../../../src-core/nn/params.ts';
import { Adam } from '../../../src-core/nn/adam.ts';
import { HostAdam } from '../../../src-core/nn/host_adam.ts';
import { Mlp } from '../../../src-core/nn/mlp.ts';
import { FLOAT32_EPS } from '../../../src-core/nn/distributions.ts';
import { squashedBackward, squashedForward } from '../../../src-core/nn/squashed_grad.ts';
import { CriticPair, SquashedGaussianActor } from '../../../src-core/algos/sac/networks.ts';
import { minGrad } from '../../../src-core/algos/sac/losses.ts';
import { hostBatch, noiseTensors, transposeWithOnes, withAction } from '../../../src-core/algos/sac/batch.ts';

beforeAll(async () => {
  await initBackend('wasm');
});

const OBS = 5;
const ACT = 3;
const B = 16;

function expectClose(actual: tf.Tensor, expected: tf.Tensor, tol: number): void {
  expect(actual.shape).toEqual(expected.shape);
  const a = actual.dataSync();
  const e = expected.dataSync();
  let scale = 0;
  for (let i = 0; i < e.length; i++) scale = Math.max(scale, Math.abs(e[i]!));
  expect(scale).toBeGreaterThan(0);
  for (let i = 0; i < e.length; i++) expect(Math.abs(a[i]! - e[i]!)).toBeLessThanOrEqual(tol * scale);
}

describe('hand-written gradients agree with tfjs autodiff', () => {
  it('Mlp.backward: weight gradients [dW; db] in FlatParams order and input-column gradients', () => {
    for (const act of ['relu', 'tanh'] as const) {
      tf.tidy(() => {
        const rng = new Rng(7);
        const params = new FlatParams();
        const net = new Mlp(params, 'net', rng, { sizes: [OBS + ACT, 7, 6, 2], activation: act, init: { kind: 'torch' } });
        params.finalize();
        const xData = normals(rng, B * (OBS + ACT));
        const x = tf.tensor2d(xData, [B, OBS + ACT]);
        const dOut = tf.tensor2d(normals(rng, B * 2), [B, 2]);
        const ref = tf.variableGrads(() => tf.sum(tf.mul(refMlp(params.unpack(), 0, 3, x, act), dOut)) as tf.Scalar, [params.variable]);
        const refDx = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(refMlp(params.unpack(), 0, 3, xx as tf.Tensor2D, act), dOut)))(x);
        const trace = net.forwardTrace(params.values(), x);
        expectClose(trace.out, refMlp(params.unpack(), 0, 3, x, act), 1e-5);
        // with the first layer's [x 1]^T built by the caller, and built inside
        const withT = net.backward(trace, dOut, { paramGrad: true, inputGrad: true, inputT: transposeWithOnes(xData, B, OBS + ACT) });
        const inside = net.backward(trace, dOut, { paramGrad: true, inputGrad: true, inputCols: [OBS, ACT] });
        expectClose(tf.concat(withT.params), ref.grads[params.variable.name]!, 1e-5);
        expectClose(tf.concat(inside.params), ref.grads[params.variable.name]!, 1e-5);
        expectClose(withT.dx!, refDx, 1e-5);
        expectClose(inside.dx!, tf.slice(refDx, [0, OBS], [B, ACT]), 1e-5);
        params.dispose();
      });
    }
  });

  it('critic pair: MSE loss gradient of both critics as one flat vector', () => {
    tf.tidy(() => {
      const rng = new Rng(11);
      const pair = new CriticPair(rng, 'qf', OBS, ACT, [8, 8]);
      const batch = { size: B, obs: normals(rng, B * OBS), actions: normals(rng, B * ACT), rewards: normals(rng, B), nextObs: normals(rng, B * OBS), terminated: new Float32Array(B) };
      const t = hostBatch(batch, OBS, ACT, 0.99);
      const y = tf.tensor2d(normals(rng, B), [B, 1]);
      const ref = tf.variableGrads(() => {
        const w = pair.params.unpack();
        const q1 = refMlp(w, 0, 3, t.sa, 'relu');
        const q2 = refMlp(w, 6, 3, t.sa, 'relu');
        return tf.add(tf.mean(tf.squaredDifference(q1, y)), tf.mean(tf.squaredDifference(q2, y))) as tf.Scalar;
      }, [pair.params.variable]);
      const tr = pair.trace(pair.params.values(), t.sa);
      const g = pair.paramGrad(tr, tf.mul(tf.sub(tr[0].out, y), 2 / B) as tf.Tensor2D, tf.mul(tf.sub(tr[1].out, y), 2 / B) as tf.Tensor2D, t.saT);
      expectClose(g, ref.grads[pair.params.variable.name]!, 1e-5);
      pair.dispose();
    });
  });

  for (const adaent of [false, true]) {
    it(`actor loss through the squashed Gaussian and min Q${adaent ? ', switched per state between two critic pairs' : ''}`, () => {
      tf.tidy(() => {
        const rng = new Rng(adaent ? 13 : 12);
        // a narrow log sigma range so that the clipping is active for some entries
        const actor = new SquashedGaussianActor(rng, OBS, ACT, [8, 8], [-0.3, 0.2], null);
        const soft = new CriticPair(rng, 'qf', OBS, ACT, [8, 8]);
        const plain = new CriticPair(rng, 'pf', OBS, ACT, [8, 8]);
        const obsData = normals(rng, B * OBS, 2);
        const t = hostBatch({ size: B, obs: obsData, actions: new Float32Array(B * ACT), rewards: new Float32Array(B), nextObs: obsData, terminated: new Float32Array(B) }, OBS, ACT, 0.99);
        const noiseData = normals(rng, B * ACT);
        const mask = tf.tensor2d(Float32Array.from({ length: B }, (_, i) => (adaent && i % 3 === 0 ? 1 : 0)), [B, 1]);
        const alpha = tf.scalar(0.37);
        const [lo, hi] = actor.logStdRange;
        // reference: the spec's equations with plain ops, autodiff through the unpacked actor
        const minQ = (pair: CriticPair, sa: tf.Tensor2D) => {
          const w = pair.params.unpack();
          return tf.minimum(refMlp(w, 0, 3, sa, 'relu'), refMlp(w, 6, 3, sa, 'relu'));
        };
        let clipped = 0;
        const ref = tf.variableGrads(() => {
          const out = refMlp(actor.params.unpack(), 0, 3, t.obs, 'relu');
          const mu = tf.slice(out, [0, 0], [B, ACT]);
          const raw = tf.slice(out, [0, ACT], [B, ACT]);
          const logStd = tf.clipByValue(raw, lo, hi);
          clipped = tf.sum(tf.cast(tf.notEqual(raw, logStd), 'float32')).dataSync()[0]!;
          const noise = tf.tensor2d(noiseData, [B, ACT]);
          const u = tf.add(mu, tf.mul(tf.exp(logStd), noise));
          const a = tf.tanh(u) as tf.Tensor2D;
          const logProb = tf.sub(
            tf.sum(tf.sub(tf.sub(tf.mul(tf.square(noise), -0.5), logStd), 0.5 * Math.log(2 * Math.PI)), 1, true),
            tf.sum(tf.log(tf.add(tf.sub(1, tf.square(a)), FLOAT32_EPS)), 1, true),
          );
          const sa = tf.concat([t.obs, a], 1) as tf.Tensor2D;
          const qHat = tf.add(tf.mul(mask, minQ(plain, sa)), tf.mul(tf.sub(1, mask), minQ(soft, sa)));
          return tf.mean(tf.sub(tf.mul(alpha, logProb), qHat)) as tf.Scalar;
        }, [actor.params.variable]);
        expect(clipped).toBeGreaterThan(0);
        expect(clipped).toBeLessThan(B * ACT);
        // hand-written
        const aw = actor.params.values();
        const at = actor.net.forwardTrace(aw, t.obs);
        const nz = noiseTensors(noiseData, B, ACT);
        const cur = squashedForward(at.out, nz.noise, nz.logNoise, lo, hi);
        const saCur = withAction(t.obsPad, cur.action);
        const qs = soft.trace(soft.params.values(), saCur);
        const qp = plain.trace(plain.params.values(), saCur);
        const gs = minGrad(qs[0].out, qs[1].out, tf.mul(tf.sub(1, mask), -1 / B));
        const gp = minGrad(qp[0].out, qp[1].out, tf.mul(mask, -1 / B));
        const dA = tf.add(soft.actionGrad(qs, gs.dq1, gs.dq2, OBS, ACT), plain.actionGrad(qp, gp.dq1, gp.dq2, OBS, ACT)) as tf.Tensor2D;
        const dOut = squashedBackward(cur, dA, tf.mul(alpha, 1 / B));
        const g = tf.concat(actor.net.backward(at, dOut, { paramGrad: true, inputGrad: false, inputT: t.obsT }).params);
        expectClose(g, ref.grads[actor.params.variable.name]!, 2e-5);
        actor.params.dispose();
        soft.dispose();
        plain.dispose();
      });
    });
  }
});

describe('HostAdam', () => {
  it('gives bit-identical parameters and moments to the tensor Adam, and round-trips its state', () => {
    const rng = new Rng(21);
    const init = normals(rng, 500);
    const a = tf.variable(tf.tensor1d(init));
    const b = tf.variable(tf.tensor1d(init));
    const dev = new Adam(a, { lr: 3e-3 });
    const host = new HostAdam(b, { lr: 3e-3 });
    for (let step = 0; step < 5; step++) {
      const g = tf.tensor1d(normals(rng, 500, step === 2 ? 1e-6 : 10));
      dev.apply(g);
      host.apply(g);
      g.dispose();
    }
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(Array.from(b.dataSync())).not.toEqual(Array.from(init));
    const ds = dev.read('o');
    const hs = host.read('o');
    expect(Array.from(hs['o.m']!.data)).toEqual(Array.from(ds['o.m']!.data));
    expect(Array.from(hs['o.v']!.data)).toEqual(Array.from(ds['o.v']!.data));
    expect(hs['o.t']!.data[0]).toBe(5);
    const c = tf.variable(tf.tensor1d(init));
    const resumed = new HostAdam(c, { lr: 3e-3 });
    resumed.write('o', hs);
    expect(resumed.step).toBe(5);
    expect(() => resumed.write('o', { ...hs, 'o.m': { shape: [3], data: new Float32Array(3) } })).toThrow(/o\.m/);
    dev.dispose();
    [a, b, c].forEach((x) => x.dispose());
  });
});
