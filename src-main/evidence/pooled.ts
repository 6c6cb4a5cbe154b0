// The paper's summary claim pooled over its precision-control tasks (src-core/stats/paper-claims.ts,
// POOLED_CLAIM): PPO's and SAC's runs of those tasks at the quick budget (each task's unnamed budget)
// in one final report, as `lab compare --experiment A,B,...` builds it, so P(PPO > SAC) is averaged
// over the tasks both ran and rliable's aggregates come with it (scores min-max normalised per
// task over these runs). The verdict is the same rule as every row's, decided on the deterministic
// return; the stochastic numbers are reported beside it.
import { buildFinalReport, type EvalModeName } from '../api/compare-report.ts';
import { decideVerdict, MIN_RUNS, POOLED_CLAIM, claimText, VERDICT_MODE, type Verdict } from '../../src-core/stats/paper-claims.ts';
import { rangeText } from '../../src-core/stats/normalize.ts';
import type { Store } from '../store/index.ts';
import type { RunRecord } from '../store/repos/runs.ts';

export interface PooledAlgo {
  algo: string;
  runs: number;
  /** Normalised scores: IQM over all runs pooled, and the optimality gap (mean shortfall below 1). */
  iqm: number | null;
  ci_low: number | null;
  ci_high: number | null;
  gap: number | null;
  gap_low: number | null;
  gap_high: number | null;
}

export interface PooledMode {
  mode: EvalModeName;
  /** P(x > y) averaged over the pooled tasks, with its interval. */
  p: number | null;
  ci_low: number | null;
  ci_high: number | null;
  algos: PooledAlgo[];
  /** The normalisation of each task, as printed (e.g. "acrobot [-1900.67, -673.241] (observed)"). */
  ranges: string[];
}

export interface PooledVerdict {
  claim: string;
  paper: string;
  /** Tasks pooled: those of the claim with at least MIN_RUNS completed runs of both algorithms. */
  tasks: string[];
  /** Tasks of the claim left out, each with why. */
  missing: { task: string; reason: string }[];
  verdict: Verdict;
  reason: string;
  modes: PooledMode[];
}

/** A task's runs at the report's quick (unnamed) budget. */
export interface PooledTaskRuns {
  env: string;
  runs: readonly RunRecord[];
}

export function pooledVerdict(store: Store, tasks: readonly PooledTaskRuns[], bootstrap: { resamples: number; confidence: number; seed: number }): PooledVerdict {
  const c = POOLED_CLAIM;
  const pooled: string[] = [];
  const missing: PooledVerdict['missing'] = [];
  const runs: RunRecord[] = [];
  // the fewest runs of each algorithm on a pooled task: what the rule's run count checks
  let nx = Number.POSITIVE_INFINITY;
  let ny = Number.POSITIVE_INFINITY;
  for (const env of c.envs) {
    const mine = tasks.find((t) => t.env === env)?.runs.filter((r) => r.algo === c.x || r.algo === c.y) ?? [];
    const n = (a: string) => mine.filter((r) => r.algo === a).length;
    if (n(c.x) < MIN_RUNS || n(c.y) < MIN_RUNS) missing.push({ task: env, reason: `${c.x}: ${n(c.x)}, ${c.y}: ${n(c.y)} completed runs (at least ${MIN_RUNS} each)` });
    else {
      pooled.push(env);
      runs.push(...mine);
      [nx, ny] = [Math.min(nx, n(c.x)), Math.min(ny, n(c.y))];
    }
  }
  const base = { claim: `${claimText(c)}, pooled`, paper: c.paper, tasks: pooled, missing };
  if (pooled.length < 2) return { ...base, verdict: 'not reproduced', reason: `fewer than two of its tasks have the runs to pool (${pooled.length})`, modes: [] };
  const modes = (['deterministic', 'stochastic'] as const).map((mode): PooledMode => {
    const rep = buildFinalReport(store, runs, { groupBy: 'algo', mode, bootstrap, profilePoints: 5, ranges: {} });
    const t = rep.table;
    const cell = t.improvement[t.groups.indexOf(c.x)]?.[t.groups.indexOf(c.y)] ?? null;
    const a = rep.acrossTasks;
    return {
      mode,
      p: cell?.probability.point ?? null,
      ci_low: cell?.probability.lower ?? null,
      ci_high: cell?.probability.upper ?? null,
      algos: (a?.groups ?? []).map((g) => ({ algo: g.group, runs: g.runs, iqm: g.iqm.point, ci_low: g.iqm.lower, ci_high: g.iqm.upper, gap: g.optimalityGap.point, gap_low: g.optimalityGap.lower, gap_high: g.optimalityGap.upper })),
      ranges: (a?.envs ?? []).map((e) => rangeText(e, rep.profile.ranges[e]!)),
    };
  });
  const d = modes.find((m) => m.mode === VERDICT_MODE)!;
  const probability = d.p !== null && d.ci_low !== null && d.ci_high !== null ? { point: d.p, lower: d.ci_low, upper: d.ci_high } : null;
  const v = decideVerdict(c, { nx, ny, probability });
  return { ...base, verdict: v.verdict, reason: `${v.reason}, averaged over ${pooled.length} tasks`, modes };
}
