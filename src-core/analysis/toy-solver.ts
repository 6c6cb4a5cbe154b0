// The exact maximum-entropy analysis of the toy bifurcation (spec/environments.md, "Toy";
// spec/paper.md). Soft values use the Lebesgue measure on the action interval [-1, 1]:
//   V_soft(s1) = alpha log( 2w e^(R_good/alpha) + (2 - 2w) e^(R_fail/alpha) )
//   V_soft(s2) = R_safe + alpha log 2
//   Q_soft(s0, left) = gamma V_soft(s1),  Q_soft(s0, right) = gamma V_soft(s2)   (reward 0 at s0)
//   Boltzmann policy at s0: P(right) = e^(Q_r/alpha) / (e^(Q_l/alpha) + e^(Q_r/alpha)) (each half has measure 1)
// All logs of sums of exponentials go through a stable log-sum-exp, so alpha -> 0 does not overflow.

export interface ToyAnalysisParams {
  /** Entropy temperature, > 0. */
  alpha: number;
  /** Half-width w of the rewarding band |a| < w at s1 (paper: 0.1). */
  bandHalfWidth: number;
  rewardGood: number; // paper: +1
  rewardFail: number; // paper: -20
  rewardSafe: number; // paper: -1
  gamma: number; // paper: 0.99
}

/** The paper's toy (everything but alpha). */
export const PAPER_TOY: Omit<ToyAnalysisParams, 'alpha'> = {
  bandHalfWidth: 0.1,
  rewardGood: 1,
  rewardFail: -20,
  rewardSafe: -1,
  gamma: 0.99,
};

/** log(sum_i exp(x_i)), stable for large |x_i|; -Infinity terms (zero measure) are skipped. */
export function logSumExp(xs: readonly number[]): number {
  let m = -Infinity;
  for (const x of xs) if (x > m) m = x;
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (const x of xs) s += Math.exp(x - m);
  return m + Math.log(s);
}

function check(p: ToyAnalysisParams): void {
  if (!(p.alpha > 0) || !Number.isFinite(p.alpha)) throw new Error(`toy analysis: alpha must be a finite number > 0, got ${p.alpha}`);
  if (!(p.bandHalfWidth > 0 && p.bandHalfWidth <= 1)) throw new Error(`toy analysis: band half-width must be in (0, 1], got ${p.bandHalfWidth}`);
}

export function vSoftS1(p: ToyAnalysisParams): number {
  check(p);
  const w = p.bandHalfWidth;
  return p.alpha * logSumExp([Math.log(2 * w) + p.rewardGood / p.alpha, Math.log(2 - 2 * w) + p.rewardFail / p.alpha]);
}

export function vSoftS2(p: ToyAnalysisParams): number {
  check(p);
  return p.rewardSafe + p.alpha * Math.log(2);
}

export function qSoftS0(p: ToyAnalysisParams): { left: number; right: number } {
  return { left: p.gamma * vSoftS1(p), right: p.gamma * vSoftS2(p) };
}

/** Probability that the Boltzmann (soft-optimal) policy goes right (the safe branch) at s0. */
export function pRightS0(p: ToyAnalysisParams): number {
  const q = qSoftS0(p);
  const z = (q.right - q.left) / p.alpha;
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Probability that the Boltzmann policy at s1 lands in the rewarding band. */
export function pBandS1(p: ToyAnalysisParams): number {
  check(p);
  const w = p.bandHalfWidth;
  const good = Math.log(2 * w) + p.rewardGood / p.alpha;
  const fail = Math.log(2 - 2 * w) + p.rewardFail / p.alpha;
  return Math.exp(good - logSumExp([good, fail]));
}

/**
 * Closed form of the crossover for the paper's reasoning: with the fail term neglected
 * (exact as R_fail -> -infinity), alpha log(2w) + R_good = R_safe + alpha log 2 gives
 * alpha* = (R_good - R_safe) / ln(1 / w); for the paper's toy 2 / ln 10 = 0.868589.
 */
export function crossoverAlphaClosedForm(p: Omit<ToyAnalysisParams, 'alpha'>): number {
  return (p.rewardGood - p.rewardSafe) / Math.log(1 / p.bandHalfWidth);
}

export interface Crossover {
  /** The alpha at which Q_soft(s0, left) = Q_soft(s0, right); null when the branches never cross. */
  alpha: number | null;
  /** How `alpha` was found: always bisection on the exact soft values (the closed form is an approximation). */
  method: 'bisection';
  /** The closed form (fail term neglected), for comparison. */
  closedForm: number;
  /** Why there is no crossover, when alpha is null. */
  reason?: string;
}

/**
 * The exact crossover alpha*, by bisection on f(alpha) = V_soft(s1) - V_soft(s2) (gamma cancels).
 * f decreases in alpha (a soft maximum tends to the uniform mean), from R_good - R_safe at
 * alpha -> 0 to w R_good + (1 - w) R_fail - R_safe as alpha -> infinity, so there is one root when
 * those limits have opposite signs.
 */
export function crossoverAlpha(p: Omit<ToyAnalysisParams, 'alpha'>, tolerance = 1e-13): Crossover {
  const closedForm = crossoverAlphaClosedForm(p);
  const f = (alpha: number): number => vSoftS1({ ...p, alpha }) - vSoftS2({ ...p, alpha });
  const w = p.bandHalfWidth;
  if (!(p.rewardGood > p.rewardSafe)) {
    return { alpha: null, method: 'bisection', closedForm, reason: 'R_good <= R_safe: the safe branch is preferred at every alpha' };
  }
  if (!(w * p.rewardGood + (1 - w) * p.rewardFail < p.rewardSafe)) {
    return { alpha: null, method: 'bisection', closedForm, reason: 'the mean reward at s1 is not below R_safe: the precise branch is preferred at every alpha' };
  }
  let lo = 1e-6;
  let hi = 1;
  while (f(hi) > 0) hi *= 2;
  while (f(lo) <= 0) lo /= 2;
  while (hi - lo > tolerance * hi) {
    const mid = 0.5 * (lo + hi);
    if (f(mid) > 0) lo = mid;
    else hi = mid;
  }
  return { alpha: 0.5 * (lo + hi), method: 'bisection', closedForm };
}

/** Everything at one alpha, for tables and the Analysis view. */
export function toyAnalysis(p: ToyAnalysisParams): {
  vSoftS1: number;
  vSoftS2: number;
  qLeft: number;
  qRight: number;
  pRight: number;
  pBand: number;
  /** Probability that the Boltzmann policy reaches the +1 state. */
  pGood: number;
} {
  const q = qSoftS0(p);
  const pRight = pRightS0(p);
  const pBand = pBandS1(p);
  return { vSoftS1: vSoftS1(p), vSoftS2: vSoftS2(p), qLeft: q.left, qRight: q.right, pRight, pBand, pGood: (1 - pRight) * pBand };
}
