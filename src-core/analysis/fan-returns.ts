// The returns of a rollout fan in numbers, as the app's fan view and `lab fan` print them: the
// deterministic episode's, and over the K stochastic ones their mean, median, lowest, highest and
// sample standard deviation, their lengths, and how many terminated or stopped at a non-finite value.
import type { FanResult } from '../contract/methods/analysis.ts';

export interface FanReturns {
  deterministic: number;
  count: number;
  mean: number;
  /** The middle return (the mean of the two middle ones for even K). */
  median: number;
  lowest: number;
  highest: number;
  /** Sample standard deviation (K - 1); 0 for K = 1. */
  std: number;
  shortest: number;
  longest: number;
  terminated: number;
  nonFinite: number;
}

export function fanReturns(r: Pick<FanResult, 'deterministic' | 'stochastic'>): FanReturns {
  const episodes = r.stochastic;
  const rs = episodes.map((e) => e.return);
  const sorted = [...rs].sort((a, b) => a - b);
  const n = rs.length;
  const mean = rs.reduce((a, b) => a + b, 0) / n;
  const median = n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  const lengths = episodes.map((e) => e.length);
  return {
    deterministic: r.deterministic.return,
    count: n,
    mean,
    median,
    lowest: sorted[0]!,
    highest: sorted[n - 1]!,
    std: n > 1 ? Math.sqrt(rs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)) : 0,
    shortest: Math.min(...lengths),
    longest: Math.max(...lengths),
    terminated: episodes.filter((e) => e.terminated).length,
    nonFinite: episodes.filter((e) => e.nonFinite).length,
  };
}
