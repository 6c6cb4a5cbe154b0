// Adam computed on the host over one flat parameter vector: the same float32 arithmetic as
// adam.ts's tensor version, operation by operation (each intermediate rounded with Math.fround,
// as the backend's float32 kernels round it), so both give bit-identical parameters (test).
// One read of the gradient and of the parameters and one upload replace about 13 elementwise
// kernels, which on tfjs-wasm cost more in dispatch than in arithmetic. No gradient clipping
// (use adam.ts for that). Moments and step count are checkpointed under the same keys as Adam.
// The host loop costs ~20 ns per value against ~1 ms of kernel dispatch for the tensor version:
// `adamFor` picks the host version for vectors up to HOST_ADAM_MAX values.
import * as tf from '@tensorflow/tfjs';
import { Adam } from './adam.ts';
import { hostReadsAllowed } from './kernel_paths.ts';

/** Largest parameter vector updated on the host by `adamFor` (crossover measured on tfjs-wasm). */
export const HOST_ADAM_MAX = 32_768;

/** The optimiser interface Adam and HostAdam share. */
export interface AdamLike {
  readonly step: number;
  lr: number;
  apply(grad: tf.Tensor): void;
  read(prefix: string): Record<string, { shape: number[]; data: Float32Array }>;
  write(prefix: string, arrays: Record<string, { shape: number[]; data: Float32Array }>): void;
  dispose(): void;
}

/** Adam without clipping on `param`, on the host when small (never on webgpu): both give identical parameters. */
export function adamFor(param: tf.Variable, opts: { lr: number }): AdamLike {
  return param.size <= HOST_ADAM_MAX && hostReadsAllowed() ? new HostAdam(param, opts) : new Adam(param, opts);
}

const f = Math.fround;

export class HostAdam implements AdamLike {
  readonly param: tf.Variable;
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private t = 0;
  lr: number;
  private readonly b1: number;
  private readonly b2: number;
  private readonly eps: number;

  constructor(param: tf.Variable, opts: { lr: number; beta1?: number; beta2?: number; eps?: number }) {
    this.param = param;
    this.lr = opts.lr;
    this.b1 = opts.beta1 ?? 0.9;
    this.b2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    this.m = new Float32Array(param.size);
    this.v = new Float32Array(param.size);
  }

  get step(): number {
    return this.t;
  }

  /** One step with the gradient of `param` (same shape). */
  apply(grad: tf.Tensor): void {
    if (grad.size !== this.m.length) throw new Error(`HostAdam: gradient has ${grad.size} values, parameter ${this.m.length}`);
    this.t += 1;
    const p = Float32Array.from(this.param.dataSync() as Float32Array);
    hostAdamStep(p, grad.dataSync() as Float32Array, this.m, this.v, this.t, this.lr, this.b1, this.b2, this.eps);
    tf.tidy(() => this.param.assign(tf.tensor(p, this.param.shape, 'float32')));
  }

  read(prefix: string): Record<string, { shape: number[]; data: Float32Array }> {
    return {
      [`${prefix}.m`]: { shape: this.param.shape.slice(), data: this.m.slice() },
      [`${prefix}.v`]: { shape: this.param.shape.slice(), data: this.v.slice() },
      [`${prefix}.t`]: { shape: [1], data: Float32Array.of(this.t) },
    };
  }

  write(prefix: string, arrays: Record<string, { shape: number[]; data: Float32Array }>): void {
    const get = (key: string, size: number) => {
      const a = arrays[key];
      if (!a) throw new Error(`checkpoint: missing optimiser tensor '${key}'`);
      if (a.data.length !== size) throw new Error(`checkpoint: optimiser tensor '${key}' has ${a.data.length} values, expected ${size}`);
      return a.data;
    };
    const m = get(`${prefix}.m`, this.m.length);
    const v = get(`${prefix}.v`, this.v.length);
    const t = get(`${prefix}.t`, 1)[0]!;
    this.m.set(m);
    this.v.set(v);
    this.t = t;
  }

  dispose(): void {}
}

/**
 * One Adam step (step count `t`, already incremented) in place on the host: p, m, v updated from g,
 * all float32 as the tensor Adam computes it. `p`, `g`, `m`, `v` have the same length (they may be
 * one seed's spans of larger arrays).
 */
export function hostAdamStep(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, t: number, lr: number, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8): void {
  const bc1 = 1 - Math.pow(beta1, t);
  const bc2 = 1 - Math.pow(beta2, t);
  // the scalars as float32, as tfjs makes them when they meet a float32 tensor
  const b1 = f(beta1);
  const c1 = f(1 - beta1);
  const b2 = f(beta2);
  const c2 = f(1 - beta2);
  const s = f(1 / Math.sqrt(bc2));
  const eps = f(epsilon);
  const k = f(lr / bc1);
  for (let i = 0; i < p.length; i++) {
    const gi = g[i]!;
    const mi = f(f(m[i]! * b1) + f(gi * c1));
    const vi = f(f(v[i]! * b2) + f(f(gi * gi) * c2));
    m[i] = mi;
    v[i] = vi;
    const denom = f(f(f(Math.sqrt(vi)) * s) + eps);
    p[i] = f(p[i]! - f(f(mi * k) / denom));
  }
}
