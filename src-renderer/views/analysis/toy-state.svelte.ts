// State of the Analysis view's toy solver: the editable parameters (alpha, band half-width,
// rewards, gamma), the exact solution from src-core/analysis/toy-solver.ts at that alpha and over
// an alpha grid, and the stored toy runs laid over it (the user's, or the Paper results' shipped
// ones: `loadFrom`).
import { PAPER_TOY, crossoverAlpha, toyAnalysis, type ToyAnalysisParams } from '../../../src-core/analysis/toy-solver.ts';
import { request } from '../../lib/api.ts';

export interface ToyRun {
  runId: number;
  algo: string;
  seed: number;
  alpha: number | null;
  alphaSource: string;
  mode: 'deterministic' | 'stochastic';
  /** null: a non-finite return. */
  finalReturn: number | null;
  branch: 'good' | 'safe' | 'fail' | 'mixed' | 'non-finite';
  step: number;
}

type RunsLoader = (mode: 'deterministic' | 'stochastic') => Promise<ToyRun[]>;

export const storeToyRuns: RunsLoader = (mode) => request('compare.toyRuns', { mode });
export const paperToyRuns: RunsLoader = (mode) => request('paper.toyRuns', { mode });

export class ToyState {
  private readonly loadFrom: RunsLoader;

  constructor(loadFrom: RunsLoader = storeToyRuns) {
    this.loadFrom = loadFrom;
  }

  alpha = $state(1);
  bandHalfWidth = $state(PAPER_TOY.bandHalfWidth);
  rewardGood = $state(PAPER_TOY.rewardGood);
  rewardSafe = $state(PAPER_TOY.rewardSafe);
  rewardFail = $state(PAPER_TOY.rewardFail);
  gamma = $state(PAPER_TOY.gamma);
  runs = $state.raw<ToyRun[]>([]);
  runsError = $state<string | null>(null);

  /** A message naming the bad parameter, or null when every parameter is valid. */
  invalid = $derived.by(() => {
    if (!(this.alpha > 0)) return 'alpha must be > 0';
    if (!(this.bandHalfWidth > 0 && this.bandHalfWidth <= 1)) return 'band half-width must be in (0, 1]';
    if (!(this.gamma > 0 && this.gamma <= 1)) return 'gamma must be in (0, 1]';
    if (![this.rewardGood, this.rewardSafe, this.rewardFail].every(Number.isFinite)) return 'rewards must be numbers';
    return null;
  });

  params = $derived<Omit<ToyAnalysisParams, 'alpha'>>({
    bandHalfWidth: this.bandHalfWidth,
    rewardGood: this.rewardGood,
    rewardSafe: this.rewardSafe,
    rewardFail: this.rewardFail,
    gamma: this.gamma,
  });

  at = $derived(this.invalid ? null : toyAnalysis({ ...this.params, alpha: this.alpha }));
  crossover = $derived(this.invalid ? null : crossoverAlpha(this.params));

  /** The solution over alpha in (0, xMax]: soft Q values, P(right), expected return of the Boltzmann policy. */
  curves = $derived.by(() => {
    if (this.invalid) return null;
    const xMax = this.xMax;
    const xs: number[] = [];
    const qLeft: number[] = [];
    const qRight: number[] = [];
    const pRight: number[] = [];
    const expected: number[] = [];
    const branch: number[] = [];
    for (let i = 1; i <= 240; i++) {
      const alpha = (xMax * i) / 240;
      const a = toyAnalysis({ ...this.params, alpha });
      xs.push(alpha);
      qLeft.push(a.qLeft);
      qRight.push(a.qRight);
      pRight.push(a.pRight);
      // undiscounted expected return of the Boltzmann policy (left: band -> R_good, else R_fail; right: R_safe)
      expected.push((1 - a.pRight) * (a.pBand * this.rewardGood + (1 - a.pBand) * this.rewardFail) + a.pRight * this.rewardSafe);
      branch.push(a.qLeft >= a.qRight ? this.rewardGood : this.rewardSafe);
    }
    return { xs, qLeft, qRight, pRight, expected, branch };
  });

  get xMax(): number {
    const runMax = Math.max(0, ...this.runs.map((r) => r.alpha ?? 0));
    return Math.max(3, Math.ceil(Math.max(this.alpha, runMax, this.crossover?.alpha ?? 0) * 1.2));
  }

  reset(): void {
    this.alpha = 1;
    this.bandHalfWidth = PAPER_TOY.bandHalfWidth;
    this.rewardGood = PAPER_TOY.rewardGood;
    this.rewardSafe = PAPER_TOY.rewardSafe;
    this.rewardFail = PAPER_TOY.rewardFail;
    this.gamma = PAPER_TOY.gamma;
  }

  /** Evaluation mode of the listed runs' final returns: one mode for all, never mixed (issue 18). */
  runsMode = $state<'deterministic' | 'stochastic'>('deterministic');

  async loadRuns(): Promise<void> {
    try {
      this.runs = await this.loadFrom(this.runsMode);
      this.runsError = null;
    } catch (err) {
      this.runsError = (err as Error).message;
    }
  }
}
