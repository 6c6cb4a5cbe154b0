// The numbers of a Q landscape at one state that need no network (spec/paper.md, "Soft values, for
// the analysis tools"): the action grid over one or two axes of the agent's action box, the soft
// value by numerical integration, the Boltzmann density exp((Q_soft - V_soft) / alpha), the
// policy's density (squashed or plain diagonal Gaussian) and how peaked a landscape is.
// Integrals use the trapezoid rule over the grid in the agent's action units (the toy's and the
// vehicle's are the environment's [-1, 1]); PPO's raw actions use the environment's box.
import { Rng } from '../rng.ts';

export interface ActionBox {
  low: readonly number[];
  high: readonly number[];
}

/** n evenly spaced points from lo to hi, both included. */
export function axisPoints(lo: number, hi: number, n: number): number[] {
  if (!(n >= 2)) throw new Error(`a landscape axis needs at least 2 points, got ${n}`);
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

/** Trapezoid weights of n evenly spaced points over [lo, hi] (they sum to hi - lo). */
export function trapezoidWeights(lo: number, hi: number, n: number): number[] {
  const h = (hi - lo) / (n - 1);
  return Array.from({ length: n }, (_, i) => (i === 0 || i === n - 1 ? h / 2 : h));
}

export interface ActionGrid {
  /** The shown action axes (one or two indices). */
  axes: number[];
  /** Values of the action on every axis, the shown ones overwritten per point. */
  held: number[];
  x: number[];
  /** Second axis (2-D only). */
  y: number[] | null;
  /** Rows of actions, row = iy * x.length + ix, each actDim long. */
  actions: Float32Array;
  /** Trapezoid weight of each row over the shown axes (a product for 2-D). */
  weights: number[];
}

/** The grid of actions the landscape is evaluated on. */
export function actionGrid(box: ActionBox, axes: number[], held: readonly number[], points: number): ActionGrid {
  const d = box.low.length;
  if (axes.length < 1 || axes.length > 2) throw new Error(`a landscape shows one or two action axes, got ${axes.length}`);
  if (axes.some((a) => !Number.isInteger(a) || a < 0 || a >= d)) throw new Error(`action axes ${axes.join(', ')} are not all in 0..${d - 1}`);
  if (axes.length === 2 && axes[0] === axes[1]) throw new Error('the two action axes must differ');
  if (held.length !== d) throw new Error(`held action has ${held.length} values, the action has ${d}`);
  const [ax, ay] = axes as [number, number | undefined];
  const x = axisPoints(box.low[ax]!, box.high[ax]!, points);
  const wx = trapezoidWeights(box.low[ax]!, box.high[ax]!, points);
  const y = ay === undefined ? null : axisPoints(box.low[ay]!, box.high[ay]!, points);
  const wy = ay === undefined ? [1] : trapezoidWeights(box.low[ay]!, box.high[ay]!, points);
  const ny = y ? y.length : 1;
  const actions = new Float32Array(x.length * ny * d);
  const weights: number[] = [];
  for (let iy = 0; iy < ny; iy++) {
    for (let ix = 0; ix < x.length; ix++) {
      const row = (iy * x.length + ix) * d;
      for (let k = 0; k < d; k++) actions[row + k] = held[k]!;
      actions[row + ax] = x[ix]!;
      if (ay !== undefined) actions[row + ay] = y![iy]!;
      weights.push(wx[ix]! * wy[iy]!);
    }
  }
  return { axes: [...axes], held: [...held], x, y, actions, weights };
}

/** alpha log integral exp(q / alpha) da, given q at points with integration weights (stable). */
export function softValue(q: ArrayLike<number>, weights: readonly number[], alpha: number): number {
  if (!(alpha > 0)) throw new Error(`the soft value needs alpha > 0, got ${alpha}`);
  let m = -Infinity;
  for (let i = 0; i < q.length; i++) if (q[i]! / alpha > m) m = q[i]! / alpha;
  let s = 0;
  for (let i = 0; i < q.length; i++) s += weights[i]! * Math.exp(q[i]! / alpha - m);
  return alpha * (m + Math.log(s));
}

/** Boltzmann density exp((q - v) / alpha) at each point. */
export function boltzmannDensity(q: ArrayLike<number>, v: number, alpha: number): number[] {
  return Array.from(q, (x) => Math.exp((x - v) / alpha));
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** Density of a = tanh(u), u ~ N(mu, sigma^2), at a in (-1, 1) (0 at and beyond +-1). */
export function squashedGaussianDensity(a: number, mu: number, logStd: number): number {
  if (!(Math.abs(a) < 1)) return 0;
  const u = Math.atanh(a);
  const z = (u - mu) / Math.exp(logStd);
  return Math.exp(-0.5 * z * z - logStd - HALF_LOG_2PI) / (1 - a * a);
}

/** Density of N(mu, sigma^2) at x. */
export function gaussianDensity(x: number, mu: number, logStd: number): number {
  const z = (x - mu) / Math.exp(logStd);
  return Math.exp(-0.5 * z * z - logStd - HALF_LOG_2PI);
}

/**
 * The policy's density over the shown axes: the product of the per-axis densities (the policy is a
 * diagonal Gaussian, squashed or not, so this is the exact marginal of the shown axes).
 */
export function policyDensity(grid: ActionGrid, mu: readonly number[], logStd: readonly number[], squashed: boolean): number[] {
  const d = mu.length;
  const n = grid.weights.length;
  const out: number[] = new Array(n);
  const f = squashed ? squashedGaussianDensity : gaussianDensity;
  for (let i = 0; i < n; i++) {
    let p = 1;
    for (const k of grid.axes) p *= f(grid.actions[i * d + k]!, mu[k]!, logStd[k]!);
    out[i] = p;
  }
  return out;
}

/** Margin of "near the best" (reported as a share), as a fraction of the landscape's range (max - min). */
export const PEAK_MARGIN = 0.1;
/** Peakedness at or above which a plain-Q landscape counts as peaked. */
export const PEAKED_AT = 0.8;

export const PEAKEDNESS_DEFINITION =
  'peakedness = (max - mean) / (max - min) of plain Q over a uniform grid covering the whole action box (101 points for one action dimension, 21 x 21 for two, 512 seeded uniform samples above): ' +
  'how far the average action falls below the best, relative to the range. About 1: only a narrow set of actions is good and the rest is much worse; 0.5: a linear slope; near 0: almost every action is as good as the best. ' +
  `Peaked at >= ${PEAKED_AT}. A step is critical when plain Q is peaked and the min-shifted soft/plain cosine over AdaEnt's sampled actions is below the threshold.`;

/**
 * Peakedness (max - mean) / (max - min) of a landscape (0 when flat), and the share of points within
 * PEAK_MARGIN x range of the best (shown beside it, not used for the decision).
 */
export function peakedness(q: ArrayLike<number>): { share: number; peakedness: number } {
  let lo = Infinity;
  let hi = -Infinity;
  let sum = 0;
  for (let i = 0; i < q.length; i++) {
    if (q[i]! < lo) lo = q[i]!;
    if (q[i]! > hi) hi = q[i]!;
    sum += q[i]!;
  }
  const cut = hi - PEAK_MARGIN * (hi - lo);
  let near = 0;
  for (let i = 0; i < q.length; i++) if (q[i]! >= cut) near++;
  return { share: near / q.length, peakedness: hi > lo ? (hi - sum / q.length) / (hi - lo) : 0 };
}

/**
 * Points covering the whole action box for integrals and peakedness: a grid of `perAxis` points
 * per axis with trapezoid weights when the action has one or two dimensions, else `samples`
 * uniform draws (seeded) each weighted volume / samples (Monte Carlo).
 */
export function boxCover(box: ActionBox, perAxis: number, samples: number, seed: number): { actions: Float32Array; weights: number[]; method: string } {
  const d = box.low.length;
  if (d <= 2) {
    const g = actionGrid(box, d === 1 ? [0] : [0, 1], box.low.map((l, k) => (l + box.high[k]!) / 2), perAxis);
    return { actions: g.actions, weights: g.weights, method: `trapezoid rule on a ${d === 1 ? perAxis : `${perAxis} x ${perAxis}`} grid over the action box` };
  }
  const rng = new Rng(seed, 5);
  const actions = new Float32Array(samples * d);
  let volume = 1;
  for (let k = 0; k < d; k++) volume *= box.high[k]! - box.low[k]!;
  for (let i = 0; i < samples; i++) for (let k = 0; k < d; k++) actions[i * d + k] = rng.uniformRange(box.low[k]!, box.high[k]!);
  return { actions, weights: new Array<number>(samples).fill(volume / samples), method: `Monte Carlo with ${samples} uniform actions over the ${d}-D action box (seed ${seed})` };
}

/** Critical = peaked plain Q and soft/plain cosine below the threshold. */
export function isCritical(peak: number, cosine: number, threshold: number): boolean {
  return peak >= PEAKED_AT && cosine < threshold;
}

/** Resolution of the whole-box cover peakedness is measured on (the same for one state and for an episode's steps). */
export const PEAK_COVER = { perAxis1d: 101, perAxis2d: 21, samples: 512 } as const;

/** The whole-box cover peakedness uses (see PEAK_COVER). */
export function peakCover(box: ActionBox, seed: number): { actions: Float32Array; weights: number[]; method: string } {
  return boxCover(box, box.low.length === 1 ? PEAK_COVER.perAxis1d : PEAK_COVER.perAxis2d, PEAK_COVER.samples, seed);
}
