// Replay buffer on preallocated Float32Arrays (a 1e6-transition vehicle buffer is ~64 MB).
// Stores [-1, 1] actions for squashing agents; `terminated` only (truncated transitions bootstrap).
import type { Rng } from '../../rng.ts';
import type { Batch, TensorMap } from './types.ts';

export class ReplayBuffer {
  readonly capacity: number;
  readonly obsDim: number;
  readonly actDim: number;
  private readonly obs: Float32Array;
  private readonly nextObs: Float32Array;
  private readonly actions: Float32Array;
  private readonly rewards: Float32Array;
  private readonly terminated: Float32Array;
  private ptr = 0;
  private count = 0;
  private readonly batch: Batch;

  constructor(capacity: number, obsDim: number, actDim: number, batchSize: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`replay buffer capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.obsDim = obsDim;
    this.actDim = actDim;
    this.obs = new Float32Array(capacity * obsDim);
    this.nextObs = new Float32Array(capacity * obsDim);
    this.actions = new Float32Array(capacity * actDim);
    this.rewards = new Float32Array(capacity);
    this.terminated = new Float32Array(capacity);
    this.batch = {
      size: batchSize,
      obs: new Float32Array(batchSize * obsDim),
      actions: new Float32Array(batchSize * actDim),
      rewards: new Float32Array(batchSize),
      nextObs: new Float32Array(batchSize * obsDim),
      terminated: new Float32Array(batchSize),
    };
  }

  get size(): number {
    return this.count;
  }

  add(obs: ArrayLike<number>, action: ArrayLike<number>, reward: number, nextObs: ArrayLike<number>, terminated: boolean): void {
    const i = this.ptr;
    const o = this.obsDim;
    for (let k = 0; k < o; k++) {
      this.obs[i * o + k] = obs[k]!;
      this.nextObs[i * o + k] = nextObs[k]!;
    }
    for (let k = 0; k < this.actDim; k++) this.actions[i * this.actDim + k] = action[k]!;
    this.rewards[i] = reward;
    this.terminated[i] = terminated ? 1 : 0;
    this.ptr = (i + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** Uniform sample with replacement (as Tianshou and SB3); the returned batch is reused. */
  sample(rng: Rng): Batch {
    if (this.count === 0) throw new Error('replay buffer is empty');
    const b = this.batch;
    const o = this.obsDim;
    const a = this.actDim;
    for (let j = 0; j < b.size; j++) {
      const i = rng.int(this.count);
      b.obs.set(this.obs.subarray(i * o, i * o + o), j * o);
      b.nextObs.set(this.nextObs.subarray(i * o, i * o + o), j * o);
      b.actions.set(this.actions.subarray(i * a, i * a + a), j * a);
      b.rewards[j] = this.rewards[i]!;
      b.terminated[j] = this.terminated[i]!;
    }
    return b;
  }

  /** Empty the buffer; the next transition goes to slot `ptr` (a rebuild of a wrapped buffer). */
  clear(ptr = 0): void {
    if (!Number.isInteger(ptr) || ptr < 0 || ptr >= this.capacity) throw new Error(`replay buffer slot ${ptr} is outside 0..${this.capacity - 1}`);
    this.ptr = ptr;
    this.count = 0;
  }

  /**
   * A digest of the stored transitions (their slots, ptr and count): two 32-bit FNV-1a-style hashes
   * over the bits of every value, as 16 hex digits. Equal buffers give equal digests; used to check
   * a buffer rebuilt from its episodes (src-core/train/replay_log.ts).
   */
  digest(): string {
    let h1 = 0x811c9dc5 ^ this.ptr;
    let h2 = 0x01000193 ^ this.count;
    const n = this.count;
    const mix = (a: Float32Array, len: number) => {
      const w = new Uint32Array(a.buffer, a.byteOffset, len);
      for (let i = 0; i < len; i++) {
        const x = w[i]!;
        h1 = Math.imul(h1 ^ x, 0x01000193);
        h2 = Math.imul(h2 ^ x, 0x5bd1e995) ^ (h2 >>> 15);
      }
    };
    mix(this.obs, n * this.obsDim);
    mix(this.nextObs, n * this.obsDim);
    mix(this.actions, n * this.actDim);
    mix(this.rewards, n);
    mix(this.terminated, n);
    return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
  }

  save(prefix: string): { tensors: TensorMap; json: { ptr: number; count: number } } {
    const n = this.count;
    const o = this.obsDim;
    const a = this.actDim;
    return {
      tensors: {
        [`${prefix}.obs`]: { shape: [n, o], data: this.obs.subarray(0, n * o) },
        [`${prefix}.next_obs`]: { shape: [n, o], data: this.nextObs.subarray(0, n * o) },
        [`${prefix}.actions`]: { shape: [n, a], data: this.actions.subarray(0, n * a) },
        [`${prefix}.rewards`]: { shape: [n], data: this.rewards.subarray(0, n) },
        [`${prefix}.terminated`]: { shape: [n], data: this.terminated.subarray(0, n) },
      },
      json: { ptr: this.ptr, count: this.count },
    };
  }

  load(prefix: string, tensors: TensorMap, json: { ptr: number; count: number }): void {
    const get = (k: string, len: number) => {
      const t = tensors[`${prefix}.${k}`];
      if (!t || t.data.length !== len) throw new Error(`checkpoint: replay buffer array '${prefix}.${k}' missing or of the wrong size`);
      return t.data;
    };
    if (json.count > this.capacity) throw new Error(`checkpoint: replay buffer holds ${json.count} transitions, capacity is ${this.capacity}`);
    const n = json.count;
    this.obs.set(get('obs', n * this.obsDim));
    this.nextObs.set(get('next_obs', n * this.obsDim));
    this.actions.set(get('actions', n * this.actDim));
    this.rewards.set(get('rewards', n));
    this.terminated.set(get('terminated', n));
    this.ptr = json.ptr;
    this.count = n;
  }
}
