// Adam exactly as torch.optim.Adam (betas (0.9, 0.999), eps 1e-8, no weight decay):
// p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps), on one flat parameter vector
// (see params.ts). Moments and step count are checkpointed. Optional clipping of the gradient's
// L2 norm as torch.nn.utils.clip_grad_norm_ (coef = max_norm / (norm + 1e-6), applied when < 1).
import * as tf from '@tensorflow/tfjs';

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Clip the global L2 norm of the gradient to this value (undefined: no clipping). */
  maxGradNorm?: number;
}

export class Adam {
  readonly param: tf.Variable;
  private readonly m: tf.Variable;
  private readonly v: tf.Variable;
  private t = 0;
  lr: number;
  private readonly b1: number;
  private readonly b2: number;
  private readonly eps: number;
  private readonly maxGradNorm: number | undefined;

  constructor(param: tf.Variable, opts: AdamOptions) {
    this.param = param;
    this.lr = opts.lr;
    this.b1 = opts.beta1 ?? 0.9;
    this.b2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    this.maxGradNorm = opts.maxGradNorm;
    this.m = tf.variable(tf.zerosLike(param), false);
    this.v = tf.variable(tf.zerosLike(param), false);
  }

  get step(): number {
    return this.t;
  }

  /** One step with the gradient of `param`. */
  apply(grad: tf.Tensor): void {
    this.t += 1;
    const bc1 = 1 - Math.pow(this.b1, this.t);
    const bc2 = 1 - Math.pow(this.b2, this.t);
    tf.tidy(() => {
      let g = grad;
      if (this.maxGradNorm !== undefined) {
        const norm = tf.sqrt(tf.sum(tf.square(g)));
        g = tf.mul(g, tf.minimum(tf.div(this.maxGradNorm, tf.add(norm, 1e-6)), 1));
      }
      const m = tf.add(tf.mul(this.m, this.b1), tf.mul(g, 1 - this.b1));
      const v = tf.add(tf.mul(this.v, this.b2), tf.mul(tf.square(g), 1 - this.b2));
      this.m.assign(m);
      this.v.assign(v);
      const denom = tf.add(tf.mul(tf.sqrt(v), 1 / Math.sqrt(bc2)), this.eps);
      this.param.assign(tf.sub(this.param, tf.div(tf.mul(m, this.lr / bc1), denom)));
    });
  }

  read(prefix: string): Record<string, { shape: number[]; data: Float32Array }> {
    return {
      [`${prefix}.m`]: { shape: this.m.shape.slice(), data: (this.m.dataSync() as Float32Array).slice() },
      [`${prefix}.v`]: { shape: this.v.shape.slice(), data: (this.v.dataSync() as Float32Array).slice() },
      [`${prefix}.t`]: { shape: [1], data: Float32Array.of(this.t) },
    };
  }

  write(prefix: string, arrays: Record<string, { shape: number[]; data: Float32Array }>): void {
    const get = (k: string, size: number) => {
      const a = arrays[k];
      if (!a) throw new Error(`checkpoint: missing optimiser tensor '${k}'`);
      if (a.data.length !== size) throw new Error(`checkpoint: optimiser tensor '${k}' has ${a.data.length} values, expected ${size}`);
      return a.data;
    };
    tf.tidy(() => {
      this.m.assign(tf.tensor(get(`${prefix}.m`, this.m.size), this.m.shape));
      this.v.assign(tf.tensor(get(`${prefix}.v`, this.v.size), this.v.shape));
    });
    this.t = get(`${prefix}.t`, 1)[0]!;
  }

  dispose(): void {
    this.m.dispose();
    this.v.dispose();
  }
}
