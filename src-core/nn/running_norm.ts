// Running mean/std observation normalisation as Tianshou 0.5.0's VectorEnvNormObs does it (the
// reference's PPO on OpenCat, spec/algorithms.md): each batch of observations the training envs
// return (resets and steps) updates per-dimension moments by the parallel algorithm (Chan et al.);
// observations are normalised as (x - mean) / sqrt(var + eps), eps = float32 machine epsilon, then
// clipped to [-10, 10]. Evaluation normalises with the training statistics and never updates them.

const FLOAT32_EPS = 1.1920928955078125e-7;

export interface RunningMeanStdJson {
  mean: number[];
  var: number[];
  count: number;
}

export class RunningMeanStd {
  readonly dim: number;
  readonly clip: number;
  readonly eps: number;
  mean: Float64Array;
  var: Float64Array;
  /** Observations seen so far (0: mean 0, var 1). */
  count = 0;

  constructor(dim: number, clip = 10, eps = FLOAT32_EPS) {
    this.dim = dim;
    this.clip = clip;
    this.eps = eps;
    this.mean = new Float64Array(dim);
    this.var = new Float64Array(dim).fill(1);
  }

  /** Merge n observations (n x dim, row-major) into the moments; population variance of the batch. */
  update(x: ArrayLike<number>, n: number): void {
    if (n === 0) return;
    const d = this.dim;
    const total = this.count + n;
    for (let k = 0; k < d; k++) {
      let m = 0;
      for (let i = 0; i < n; i++) m += x[i * d + k]!;
      m /= n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (x[i * d + k]! - m) ** 2;
      v /= n;
      const delta = m - this.mean[k]!;
      const m2 = this.var[k]! * this.count + v * n + delta * delta * this.count * n / total;
      this.mean[k] = this.mean[k]! + delta * n / total;
      this.var[k] = m2 / total;
    }
    this.count = total;
  }

  /** n observations normalised with the current moments (no update), clipped to [-clip, clip]. */
  normalize(x: ArrayLike<number>, n: number, out = new Float32Array(n * this.dim)): Float32Array {
    const d = this.dim;
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < d; k++) {
        const z = (x[i * d + k]! - this.mean[k]!) / Math.sqrt(this.var[k]! + this.eps);
        out[i * d + k] = Math.min(this.clip, Math.max(-this.clip, z));
      }
    }
    return out;
  }

  /** Exact (float64) state for a checkpoint's JSON. */
  toJson(): RunningMeanStdJson {
    return { mean: Array.from(this.mean), var: Array.from(this.var), count: this.count };
  }

  load(j: RunningMeanStdJson): void {
    if (!j || !Array.isArray(j.mean) || !Array.isArray(j.var) || j.mean.length !== this.dim || j.var.length !== this.dim || !(j.count >= 0)) {
      throw new Error(`checkpoint: observation normaliser state missing or not of dimension ${this.dim}`);
    }
    this.mean = Float64Array.from(j.mean);
    this.var = Float64Array.from(j.var);
    this.count = j.count;
  }
}
