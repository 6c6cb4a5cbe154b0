// The device store of K seeds' parameters (seed_params.ts says when it is used): per seed one flat
// float32 variable laid out as the single-seed FlatParams, its shaped views made on the device
// (split + reshape, cached until the variable is next assigned), the tensor Adam (adam.ts, the
// same arithmetic as the host Adam) and Polyak as one fused expression. Nothing is read back in an
// update; a checkpoint reads after `await prefetchVariables()` (kernel_paths.ts).
import * as tf from '@tensorflow/tfjs';
import { Adam } from './adam.ts';
import type { Arrays, SeedOptimizer, SeedStore } from './seed_params.ts';

export class DeviceSeedParams implements SeedStore {
  readonly numSeeds: number;
  readonly size: number;
  readonly vars: tf.Variable[];
  private readonly declared: { shape: number[] }[];
  private readonly layout: { shape: number[]; size: number }[];
  private readonly cache: ({ dataId: object; parts: tf.Tensor[] } | null)[];

  /** perSeed[k]: seed k's initial values, on the host or as a tensor (copied). */
  constructor(layout: { shape: number[] }[], perSeed: (Float32Array | tf.Tensor)[]) {
    this.declared = layout;
    this.layout = layout.map((e) => ({ shape: e.shape.length === 2 ? [1, ...e.shape] : e.shape.slice(), size: e.shape.reduce((a, b) => a * b, 1) }));
    this.size = this.layout.reduce((a, e) => a + e.size, 0);
    this.numSeeds = perSeed.length;
    this.vars = perSeed.map((v, k) => {
      const n = v instanceof Float32Array ? v.length : v.size;
      if (n !== this.size) throw new Error(`DeviceSeedParams: seed ${k} has ${n} values, layout ${this.size}`);
      return tf.tidy(() => tf.variable(v instanceof Float32Array ? tf.tensor1d(v) : tf.reshape(v, [n]).clone(), false));
    });
    this.cache = new Array(this.numSeeds).fill(null);
  }

  values(k: number): tf.Tensor[] {
    const v = this.vars[k]!;
    const c = this.cache[k];
    if (c && c.dataId === v.dataId) return c.parts;
    c?.parts.forEach((t) => t.dispose());
    const parts = tf.tidy(() => {
      if (this.layout.length === 1) return [tf.reshape(v, this.layout[0]!.shape)];
      return tf.split(v, this.layout.map((e) => e.size)).map((p, i) => tf.reshape(p, this.layout[i]!.shape));
    });
    parts.forEach((t) => tf.keep(t));
    this.cache[k] = { dataId: v.dataId, parts };
    return parts;
  }

  clone(): DeviceSeedParams {
    return new DeviceSeedParams(this.declared, this.vars);
  }

  polyakFrom(online: SeedStore, k: number, tau: number): void {
    if (!(online instanceof DeviceSeedParams)) throw new Error('DeviceSeedParams: Polyak from a store of another kind');
    const t = this.vars[k]!;
    // t + tau (o - t), as polyakUpdate (params.ts)
    tf.tidy(() => t.assign(tf.add(t, tf.mul(tf.sub(online.vars[k]!, t), tau))));
  }

  setSeeds(seeds: readonly number[], values: tf.Tensor): void {
    tf.tidy(() => {
      const flat = tf.reshape(values, [seeds.length * this.size]);
      const parts = seeds.length === 1 ? [flat] : tf.split(flat, seeds.length);
      seeds.forEach((k, j) => this.vars[k]!.assign(parts[j]!));
    });
  }

  adam(opts: { lr: number }): DeviceSeedAdam {
    return new DeviceSeedAdam(this, opts);
  }

  read(key: string, k: number): Arrays {
    return { [key]: { shape: [this.size], data: (this.vars[k]!.dataSync() as Float32Array).slice() } };
  }

  write(key: string, k: number, arrays: Arrays): void {
    const a = arrays[key];
    if (!a) throw new Error(`checkpoint: missing tensor '${key}'`);
    if (a.data.length !== this.size) throw new Error(`checkpoint: tensor '${key}' has ${a.data.length} values, expected ${this.size}`);
    tf.tidy(() => this.vars[k]!.assign(tf.tensor1d(a.data)));
  }

  dispose(): void {
    this.cache.forEach((c) => c?.parts.forEach((t) => t.dispose()));
    this.cache.fill(null);
    this.vars.forEach((v) => v.dispose());
  }
}

/** Per seed the tensor Adam (adam.ts) over that seed's variable. */
export class DeviceSeedAdam implements SeedOptimizer {
  private readonly params: DeviceSeedParams;
  private readonly optims: Adam[];

  constructor(params: DeviceSeedParams, opts: { lr: number }) {
    this.params = params;
    this.optims = params.vars.map((v) => new Adam(v, opts));
  }

  applySeeds(seeds: readonly number[], grads: tf.Tensor): void {
    const P = this.params.size;
    tf.tidy(() => {
      const flat = tf.reshape(grads, [seeds.length * P]);
      const parts = seeds.length === 1 ? [flat] : tf.split(flat, seeds.length);
      seeds.forEach((k, j) => this.optims[k]!.apply(parts[j]!));
    });
  }

  read(prefix: string, k: number): Arrays {
    return this.optims[k]!.read(prefix);
  }

  write(prefix: string, k: number, arrays: Arrays): void {
    this.optims[k]!.write(prefix, arrays);
  }

  dispose(): void {
    this.optims.forEach((o) => o.dispose());
  }
}
