// The seeded generator: determinism, independent seeds and streams, state save/restore
// (including the cached normal deviate), and the moments of uniform and normal draws.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src-core/rng.ts';

describe('Rng', () => {
  it('same seed, same sequence; different seeds or streams differ', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const xs = Array.from({ length: 20 }, () => a.uniform());
    expect(Array.from({ length: 20 }, () => b.uniform())).toEqual(xs);
    const c = new Rng(43);
    expect(Array.from({ length: 20 }, () => c.uniform())).not.toEqual(xs);
    const d = new Rng(42, 1);
    expect(Array.from({ length: 20 }, () => d.uniform())).not.toEqual(xs);
  });

  it('state save/restore resumes exactly, including a cached normal', () => {
    const r = new Rng(7);
    r.normal(); // leaves a spare normal cached
    const state = r.getState();
    const next = [r.normal(), r.uniform(), r.normal(), r.nextUint32()];
    const restored = Rng.fromState(state);
    expect([restored.normal(), restored.uniform(), restored.normal(), restored.nextUint32()]).toEqual(next);
    // a JSON round trip (NaN -> null for an empty cache) restores the same stream
    const fresh = new Rng(9);
    const saved = JSON.parse(JSON.stringify(fresh.getState()));
    const expected = [fresh.normal(), fresh.normal(), fresh.uniform()];
    const back = Rng.fromState(saved);
    expect([back.normal(), back.normal(), back.uniform()]).toEqual(expected);
  });

  it('uniform in [0, 1) with mean 1/2 and variance 1/12; uniformRange and int in range', () => {
    const r = new Rng(1);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      if (!(u >= 0 && u < 1)) outside++;
      s += u;
      s2 += u * u;
    }
    expect(outside).toBe(0);
    const mean = s / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(s2 / n - mean * mean - 1 / 12)).toBeLessThan(0.002);
    for (let i = 0; i < 1000; i++) {
      const v = r.uniformRange(-3, 2);
      expect(v >= -3 && v < 2).toBe(true);
      const k = r.int(6);
      expect(Number.isInteger(k) && k >= 0 && k < 6).toBe(true);
    }
  });

  it('normal has mean 0 and variance 1', () => {
    const r = new Rng(2);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.01);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.02);
  });

  it('split gives an independent, reproducible child; seeds must be integers', () => {
    const a = new Rng(5).split();
    const b = new Rng(5).split();
    expect(a.uniform()).toBe(b.uniform());
    expect(() => new Rng(1.5)).toThrow(/integer/);
  });
});
