// Trainable parameters stored as ONE flat float32 variable per network (or network group).
// Layers read their weights through `unpack` (one split + reshapes, whose gradient is one concat),
// so the optimiser, Polyak averaging and checkpoints each touch a single tensor: on tfjs-wasm,
// where every kernel call costs microseconds, this removes hundreds of small ops per update.
import * as tf from '@tensorflow/tfjs';
import { hostReadsAllowed } from './kernel_paths.ts';

interface Entry {
  name: string;
  shape: number[];
  size: number;
}

export class FlatParams {
  private readonly entries: Entry[] = [];
  private pending: Float32Array[] = [];
  private v: tf.Variable | null = null;
  private initial: Float32Array | null = null;
  private cache: { dataId: object; parts: tf.Tensor[] } | null = null;
  /**
   * `values` and `unpackCached` give matrices as [1, rows, cols], the shape Mlp's fused kernel
   * takes (saves a reshape per layer and pass); `unpack` always gives the declared shapes.
   */
  readonly batchedMatrices: boolean;

  constructor(opts: { batchedMatrices?: boolean } = {}) {
    this.batchedMatrices = opts.batchedMatrices ?? false;
  }

  /** Declare a parameter with its initial values (before `finalize`); returns its index in `unpack()`. */
  add(name: string, values: Float32Array, shape: number[]): number {
    if (this.v) throw new Error('FlatParams: add after finalize');
    if (this.entries.some((e) => e.name === name)) throw new Error(`FlatParams: duplicate parameter '${name}'`);
    const size = shape.reduce((a, b) => a * b, 1);
    if (values.length !== size) throw new Error(`FlatParams: '${name}' has ${values.length} values for shape [${shape}]`);
    this.entries.push({ name, shape, size });
    this.pending.push(values);
    return this.entries.length - 1;
  }

  /** Create the variable from the declared initial values. */
  finalize(trainable = true): this {
    const total = this.entries.reduce((a, e) => a + e.size, 0);
    const flat = new Float32Array(total);
    let off = 0;
    for (const p of this.pending) {
      flat.set(p, off);
      off += p.length;
    }
    this.pending = [];
    this.initial = flat;
    this.v = tf.variable(tf.tensor1d(flat), trainable);
    return this;
  }

  /**
   * The values the variable was created with, without reading it back (a copy): the seed-batched
   * agents take their initial weights from here, which also works where a synchronous read does not (webgpu).
   */
  finalizedValues(): Float32Array {
    if (!this.initial) throw new Error('FlatParams: not finalized');
    return this.initial.slice();
  }

  get variable(): tf.Variable {
    if (!this.v) throw new Error('FlatParams: not finalized');
    return this.v;
  }

  get size(): number {
    return this.variable.size;
  }

  get names(): string[] {
    return this.entries.map((e) => e.name);
  }

  /** Name and shape of every parameter, in unpack() order (a copy). */
  get layout(): { name: string; shape: number[] }[] {
    return this.entries.map((e) => ({ name: e.name, shape: e.shape.slice() }));
  }

  /** The parameters as shaped tensors (inside a tidy or a gradient function). */
  unpack(): tf.Tensor[] {
    const parts = tf.split(this.variable, this.entries.map((e) => e.size));
    // 1-D entries (biases) already have their shape: no reshape kernel for them
    return parts.map((p, i) => (this.entries[i]!.shape.length === 1 ? p : tf.reshape(p, this.entries[i]!.shape)));
  }

  /**
   * The parameters as shaped tensors WITHOUT a gradient path to the variable (hand-written
   * backward passes, inference), made by one read of the flat vector and one upload per entry.
   * On tfjs-wasm this is much cheaper than `unpack`: its Slice kernel copies the whole input
   * once per slice, so a split into k parts copies the flat vector k times.
   */
  values(): tf.Tensor[] {
    if (!hostReadsAllowed()) return this.splitValues();
    const flat = this.variable.dataSync() as Float32Array;
    let off = 0;
    return this.entries.map((e) => {
      const shape = this.batchedMatrices && e.shape.length === 2 ? [1, ...e.shape] : e.shape;
      const t = tf.tensor(flat.subarray(off, off + e.size), shape, 'float32');
      off += e.size;
      return t;
    });
  }

  /** `values` on a backend where a host read does not pay (kernel_paths.ts): split on the device. */
  private splitValues(): tf.Tensor[] {
    const parts = tf.split(this.variable, this.entries.map((e) => e.size));
    return parts.map((p, i) => {
      const e = this.entries[i]!;
      const shape = this.batchedMatrices && e.shape.length === 2 ? [1, ...e.shape] : e.shape;
      return e.shape.length === 1 ? p : tf.reshape(p, shape);
    });
  }

  /**
   * The unpacked parameters for inference (acting, evaluation), reused until the variable is next
   * assigned (tfjs gives it a new dataId then): a rollout or an evaluation unpacks once.
   * The tensors belong to this object; never dispose them, never use them inside a gradient tape.
   */
  unpackCached(): tf.Tensor[] {
    const id = this.variable.dataId;
    if (this.cache?.dataId !== id) {
      this.cache?.parts.forEach((t) => t.dispose());
      const parts = tf.tidy(() => this.values());
      this.cache = { dataId: id, parts: parts.map((t) => tf.keep(t)) };
    }
    return this.cache!.parts;
  }

  /** A copy with the same layout and current values (target networks are not trainable). */
  clone(trainable = false): FlatParams {
    const out = new FlatParams({ batchedMatrices: this.batchedMatrices });
    out.entries.push(...this.entries.map((e) => ({ ...e, shape: e.shape.slice() })));
    out.v = tf.variable(this.variable.clone(), trainable);
    return out;
  }

  /** Current values (a data read; never in the update path). */
  read(key: string): Record<string, { shape: number[]; data: Float32Array }> {
    return { [key]: { shape: [this.size], data: (this.variable.dataSync() as Float32Array).slice() } };
  }

  write(key: string, arrays: Record<string, { shape: number[]; data: Float32Array }>): void {
    const a = arrays[key];
    if (!a) throw new Error(`checkpoint: missing tensor '${key}'`);
    if (a.data.length !== this.size) throw new Error(`checkpoint: tensor '${key}' has ${a.data.length} values, expected ${this.size}`);
    tf.tidy(() => this.variable.assign(tf.tensor1d(a.data)));
  }

  dispose(): void {
    this.cache?.parts.forEach((t) => t.dispose());
    this.cache = null;
    this.v?.dispose();
    this.v = null;
  }
}

/** target <- (1 - tau) target + tau online (Polyak averaging), one fused expression. */
export function polyakUpdate(target: FlatParams, online: FlatParams, tau: number): void {
  tf.tidy(() => {
    const t = target.variable;
    // t + tau (o - t) == (1 - tau) t + tau o
    t.assign(tf.add(t, tf.mul(tf.sub(online.variable, t), tau)));
  });
}
