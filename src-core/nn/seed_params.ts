// Parameters of K seeds of one network group (an actor, a critic pair, its target), with per-seed
// Adam moments and step counts. Two stores behind one interface (SeedStore, SeedOptimizer):
// - on the host (SeedParams, SeedAdam; cpu and wasm): one Float32Array [K * P] (seed k's flat
//   vector at k * P, laid out as the single-seed FlatParams). Adam and Polyak averaging run on the
//   host (no kernel dispatch at all) from one gradient read per step, and each seed's weights are
//   uploaded once per change as the shaped tensors Mlp takes ([1, rows, cols] matrices);
// - on the device (device_seed_params.ts; webgpu): per seed a variable, the tensor Adam and Polyak,
//   no read at all (a GPU would stall on each, and webgpu in Node cannot read synchronously).
// createSeedParams picks by backend (kernel_paths.ts). Checkpoint keys and shapes are those of
// FlatParams and HostAdam on both.
import * as tf from '@tensorflow/tfjs';
import { hostAdamStep } from './host_adam.ts';
import { hostReadsAllowed } from './kernel_paths.ts';
import { DeviceSeedParams } from './device_seed_params.ts';

export type Arrays = Record<string, { shape: number[]; data: Float32Array }>;

/** The K seeds' parameters of one network group, wherever they are kept. */
export interface SeedStore {
  readonly numSeeds: number;
  /** Values per seed (P). */
  readonly size: number;
  /** Seed k's parameters as shaped tensors (matrices [1, rows, cols]); owned by the store (never dispose them). */
  values(k: number): tf.Tensor[];
  /** A copy with the same layout and values (target networks). */
  clone(): SeedStore;
  /** this <- this + tau (online - this) for seed k (Polyak averaging of a target). */
  polyakFrom(online: SeedStore, k: number, tau: number): void;
  /** Set each seed in `seeds` to its P values in `values` (stacked, seeds[j]'s at j * P). */
  setSeeds(seeds: readonly number[], values: tf.Tensor): void;
  /** An Adam (as HostAdam / Adam, no clipping) over these parameters, per-seed moments and step counts. */
  adam(opts: { lr: number }): SeedOptimizer;
  /** Seed k's values for a checkpoint (on the device store: after `await prefetchVariables()`). */
  read(key: string, k: number): Arrays;
  write(key: string, k: number, arrays: Arrays): void;
  dispose(): void;
}

export interface SeedOptimizer {
  /** One step of each seed in `seeds` from `grads`, their flat gradients stacked (seeds[j]'s at j * P). */
  applySeeds(seeds: readonly number[], grads: tf.Tensor): void;
  read(prefix: string, k: number): Arrays;
  write(prefix: string, k: number, arrays: Arrays): void;
  dispose(): void;
}

/** The store for the active backend: on the host where host reads pay, else on the device. */
export function createSeedParams(layout: { shape: number[] }[], perSeed: Float32Array[]): SeedStore {
  return hostReadsAllowed() ? new SeedParams(layout, perSeed) : new DeviceSeedParams(layout, perSeed);
}

const f = Math.fround;

export class SeedParams implements SeedStore {
  readonly numSeeds: number;
  /** Values per seed (P). */
  readonly size: number;
  readonly data: Float32Array;
  private readonly declared: { shape: number[] }[];
  private readonly layout: { shape: number[]; size: number }[];
  private readonly cache: (tf.Tensor[] | null)[];

  constructor(layout: { shape: number[] }[], perSeed: Float32Array[]) {
    this.declared = layout;
    this.layout = layout.map((e) => ({ shape: e.shape.length === 2 ? [1, ...e.shape] : e.shape.slice(), size: e.shape.reduce((a, b) => a * b, 1) }));
    this.size = this.layout.reduce((a, e) => a + e.size, 0);
    this.numSeeds = perSeed.length;
    this.data = new Float32Array(this.numSeeds * this.size);
    perSeed.forEach((v, k) => {
      if (v.length !== this.size) throw new Error(`SeedParams: seed ${k} has ${v.length} values, layout ${this.size}`);
      this.data.set(v, k * this.size);
    });
    this.cache = new Array(this.numSeeds).fill(null);
  }

  /** A copy with the same layout and values (target networks). */
  clone(): SeedParams {
    return new SeedParams(this.declared, Array.from({ length: this.numSeeds }, (_, k) => this.seed(k).slice()));
  }

  polyakFrom(online: SeedStore, k: number, tau: number): void {
    if (!(online instanceof SeedParams)) throw new Error('SeedParams: Polyak from a store of another kind');
    seedPolyak(this, online, k, tau);
  }

  adam(opts: { lr: number }): SeedAdam {
    return new SeedAdam(this, opts);
  }

  setSeeds(seeds: readonly number[], values: tf.Tensor): void {
    const v = values.dataSync() as Float32Array;
    seeds.forEach((k, j) => {
      this.seed(k).set(v.subarray(j * this.size, (j + 1) * this.size));
      this.invalidate(k);
    });
  }

  /** Seed k's flat vector (a view). */
  seed(k: number): Float32Array {
    return this.data.subarray(k * this.size, (k + 1) * this.size);
  }

  /** Seed k's parameters as shaped tensors, uploaded once per change; owned here (never dispose them). */
  values(k: number): tf.Tensor[] {
    let c = this.cache[k];
    if (!c) {
      const flat = this.seed(k);
      let off = 0;
      c = this.layout.map((e) => {
        const t = tf.keep(tf.tensor(flat.subarray(off, off + e.size), e.shape, 'float32'));
        off += e.size;
        return t;
      });
      this.cache[k] = c;
    }
    return c;
  }

  /** Seed k's values changed on the host: drop its uploaded tensors. */
  invalidate(k: number): void {
    this.cache[k]?.forEach((t) => t.dispose());
    this.cache[k] = null;
  }

  read(key: string, k: number): Arrays {
    return { [key]: { shape: [this.size], data: this.seed(k).slice() } };
  }

  write(key: string, k: number, arrays: Arrays): void {
    const a = arrays[key];
    if (!a) throw new Error(`checkpoint: missing tensor '${key}'`);
    if (a.data.length !== this.size) throw new Error(`checkpoint: tensor '${key}' has ${a.data.length} values, expected ${this.size}`);
    this.seed(k).set(a.data);
    this.invalidate(k);
  }

  dispose(): void {
    for (let k = 0; k < this.numSeeds; k++) this.invalidate(k);
  }
}

/** target <- target + tau (online - target) for seed k, float32 as polyakUpdate computes it. */
export function seedPolyak(target: SeedParams, online: SeedParams, k: number, tau: number): void {
  const t = target.seed(k);
  const o = online.seed(k);
  const tau32 = f(tau);
  for (let i = 0; i < t.length; i++) t[i] = f(t[i]! + f(f(o[i]! - t[i]!) * tau32));
  target.invalidate(k);
}

/** Adam (as HostAdam) over the K seeds of a SeedParams: per-seed moments and step counts. */
export class SeedAdam implements SeedOptimizer {
  readonly params: SeedParams;
  readonly lr: number;
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private readonly t: number[];

  constructor(params: SeedParams, opts: { lr: number }) {
    this.params = params;
    this.lr = opts.lr;
    this.m = new Float32Array(params.data.length);
    this.v = new Float32Array(params.data.length);
    this.t = new Array(params.numSeeds).fill(0);
  }

  /** One step of seed k from its gradient `g` (P values). */
  apply(k: number, g: Float32Array): void {
    const P = this.params.size;
    if (g.length !== P) throw new Error(`SeedAdam: gradient has ${g.length} values, parameters ${P}`);
    this.t[k]! += 1;
    const span = (a: Float32Array) => a.subarray(k * P, (k + 1) * P);
    hostAdamStep(this.params.seed(k), g, span(this.m), span(this.v), this.t[k]!, this.lr);
    this.params.invalidate(k);
  }

  /** One gradient read for all seeds, then the host step of each. */
  applySeeds(seeds: readonly number[], grads: tf.Tensor): void {
    const g = grads.dataSync() as Float32Array;
    const P = this.params.size;
    seeds.forEach((k, j) => this.apply(k, g.subarray(j * P, (j + 1) * P)));
  }

  dispose(): void {}

  read(prefix: string, k: number): Arrays {
    const P = this.params.size;
    return {
      [`${prefix}.m`]: { shape: [P], data: this.m.slice(k * P, (k + 1) * P) },
      [`${prefix}.v`]: { shape: [P], data: this.v.slice(k * P, (k + 1) * P) },
      [`${prefix}.t`]: { shape: [1], data: Float32Array.of(this.t[k]!) },
    };
  }

  write(prefix: string, k: number, arrays: Arrays): void {
    const P = this.params.size;
    const get = (key: string, size: number) => {
      const a = arrays[key];
      if (!a) throw new Error(`checkpoint: missing optimiser tensor '${key}'`);
      if (a.data.length !== size) throw new Error(`checkpoint: optimiser tensor '${key}' has ${a.data.length} values, expected ${size}`);
      return a.data;
    };
    this.m.set(get(`${prefix}.m`, P), k * P);
    this.v.set(get(`${prefix}.v`, P), k * P);
    this.t[k] = get(`${prefix}.t`, 1)[0]!;
  }
}
