// Running mean/std observation normalisation (PPO's obsNorm, issue 18 point 6): batches merged by the
// parallel algorithm give the moments of all observations at once; normalisation and clipping as
// Tianshou 0.5.0's VectorEnvNormObs; the state survives JSON exactly.
import { describe, expect, it } from 'vitest';
import { RunningMeanStd } from '../../../src-core/nn/running_norm.ts';
import { Rng } from '../../../src-core/rng.ts';

describe('RunningMeanStd', () => {
  it('merged batches equal the mean and population variance of all observations', () => {
    const rng = new Rng(3);
    const d = 3;
    const rms = new RunningMeanStd(d);
    const all: number[][] = [];
    for (const n of [16, 1, 5, 16, 2, 40]) {
      const batch = new Float64Array(n * d);
      for (let i = 0; i < n; i++) {
        const row = [5 + 2 * rng.normal(), -3 + 0.1 * rng.normal(), 100 * rng.uniform()];
        batch.set(row, i * d);
        all.push(row);
      }
      rms.update(batch, n);
    }
    expect(rms.count).toBe(all.length);
    for (let k = 0; k < d; k++) {
      const col = all.map((r) => r[k]!);
      const m = col.reduce((a, b) => a + b, 0) / col.length;
      const v = col.reduce((a, b) => a + (b - m) ** 2, 0) / col.length;
      expect(rms.mean[k]).toBeCloseTo(m, 10);
      expect(rms.var[k]! / v).toBeCloseTo(1, 12);
    }
  });

  it('starts at mean 0, var 1; normalises with float32 epsilon and clips at 10', () => {
    const rms = new RunningMeanStd(2);
    expect(Array.from(rms.normalize([0.5, -30], 1))).toEqual([Math.fround(0.5 / Math.sqrt(1 + 2 ** -23)), -10]);
    rms.update([1, 2, 3, 2], 2); // mean [2, 2], var [1, 0]
    const z = rms.normalize([3, 2.0001, 2, 2], 2);
    expect(z[0]).toBeCloseTo(1 / Math.sqrt(1 + 2 ** -23), 6);
    expect(z[1]).toBe(Math.fround(Math.min(10, 0.0001 / Math.sqrt(2 ** -23))));
    expect(Array.from(z.subarray(2))).toEqual([0, 0]);
    expect(rms.count).toBe(2);
  });

  it('round-trips through JSON exactly and refuses a state of another dimension', () => {
    const a = new RunningMeanStd(2);
    a.update([0.1, 0.2, 0.7, 1e-9], 2);
    const b = new RunningMeanStd(2);
    b.load(JSON.parse(JSON.stringify(a.toJson())));
    expect(Array.from(b.mean)).toEqual(Array.from(a.mean));
    expect(Array.from(b.var)).toEqual(Array.from(a.var));
    expect(b.count).toBe(2);
    expect(() => new RunningMeanStd(3).load(a.toJson())).toThrow(/not of dimension 3/);
  });
});
