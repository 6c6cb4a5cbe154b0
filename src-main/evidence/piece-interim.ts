// A campaign piece's interim evaluation (it decides nothing): per task and algorithm of the piece,
// the latest step at which every one of its runs has a deterministic evaluation, each run's mean
// return there by seed; and beside it, from a store of completed runs (results/), the runs the
// report pairs that algorithm with (SHOWN_PAIRS and the paper's claims, either side) of the same
// task, budget and seeds, at the same learning step (the step after each run's off-policy warm-up,
// so PPO and SAC line up). It is what a researcher would otherwise dig out of two exports: how the
// unfinished runs stand against the finished ones at the same point of training, seed by seed; and
// the mechanism behind it: what the runs logged of MECHANISM_KEYS since their previous evaluation.
import { envLabel } from '../../src-core/stats/grouping.ts';
import { PAPER_CLAIMS } from '../../src-core/stats/paper-claims.ts';
import { seriesWindowMean } from '../../src-core/stats/window-mean.ts';
import { METRIC } from '../../src-core/train/metric_keys.ts';
import { warmupStepsOf } from '../../src-core/train/run_config.ts';
import type { RunConfig } from '../../src-core/train/types.ts';
import type { PieceEvaluation } from '../../src-core/contract/methods/paper.ts';
import type { RunRecord, Store } from '../store/index.ts';
import { learningStepsOf } from './budgets.ts';
import { SHOWN_PAIRS, taskOf } from './report.ts';

/** What the interim needs of a piece's run (a bundle manifest's run entry has it). */
export interface PieceRun {
  envId: string;
  variant: string;
  algo: string;
  seed: number;
  config: Record<string, unknown>;
  evaluations: readonly { step: number; mode: string; returns: readonly (number | null)[] }[];
  /** Its training metric points, where read (a piece's bundle has every one). */
  points?: readonly { key: string; step: number; value: number }[];
}

/**
 * The training metrics that explain an interim evaluation, where a run logs them: how often
 * SAC-AdaEnt's actor followed the plain critics, and the SAC family's entropy and temperature.
 */
export const MECHANISM_KEYS: readonly string[] = [METRIC.surrogateRate, METRIC.entropy, METRIC.alpha];

/** Mean of the finite returns of one evaluation (NaN when none is: every episode diverged). */
export function finiteMean(xs: readonly (number | null)[]): number {
  const ok = xs.filter((x): x is number => x !== null && Number.isFinite(x));
  return ok.length > 0 ? ok.reduce((a, b) => a + b, 0) / ok.length : Number.NaN;
}

/** Per task and algorithm, the latest step every run of it was evaluated at (deterministic), by seed; none where they share no step. */
export function pieceInterim(runs: readonly PieceRun[]): PieceEvaluation[] {
  const groups = new Map<string, PieceRun[]>();
  for (const r of runs) {
    const key = `${taskOf(envLabel(r.envId, r.variant))}\u0000${r.algo}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const out: PieceEvaluation[] = [];
  for (const [key, rs] of groups) {
    const [task, algo] = key.split('\u0000') as [string, string];
    const det = rs.map((r) => new Map(r.evaluations.filter((e) => e.mode === 'deterministic').map((e) => [e.step, e.returns])));
    const common = [...det[0]!.keys()].filter((step) => det.every((d) => d.has(step)));
    if (common.length === 0) continue;
    const step = Math.max(...common);
    const since = Math.max(0, ...common.filter((s) => s < step));
    const bySeed = rs.map((r, i) => ({ run: r, ret: finiteMean(det[i]!.get(step)!) })).filter((x) => Number.isFinite(x.ret)).sort((a, b) => a.run.seed - b.run.seed);
    if (bySeed.length === 0) continue;
    const mechanism = withValues(MECHANISM_KEYS.map((key) => ({ key, values: bySeed.map((x) => windowMean(x.run.points ?? [], key, since, step)) })));
    out.push({ task, algo, step, since, seeds: bySeed.map((x) => x.run.seed), returns: bySeed.map((x) => x.ret), beside: [], mechanism });
  }
  return out;
}

/** Mean of the finite values of metric `key` logged at steps in (from, to]; null where there is none. */
export function windowMean(points: readonly { key: string; step: number; value: number }[], key: string, from: number, to: number): number | null {
  const own = points.filter((p) => p.key === key);
  return seriesWindowMean(
    own.map((p) => p.step),
    own.map((p) => p.value),
    from,
    to,
  );
}

/** The metrics some run logged in the window. */
function withValues<T extends { values: readonly (number | null)[] }>(means: T[]): T[] {
  return means.filter((m) => m.values.some((v) => v !== null));
}

/** The algorithms the report pairs `algo` with, either side of a pair it shows or of a claim on `task`. */
export function comparatorsOf(task: string, algo: string): string[] {
  const pairs = [...SHOWN_PAIRS, ...PAPER_CLAIMS.filter((c) => c.task === task).map((c) => [c.x, c.y] as const)];
  const others = pairs.flatMap(([x, y]) => (x === algo ? [y] : y === algo ? [x] : []));
  return [...new Set(others)];
}

/** A piece's interim evaluations with their comparators filled in from the completed runs of `store`. */
export function withComparators(store: Store, interim: readonly PieceEvaluation[], pieceRuns: readonly PieceRun[]): PieceEvaluation[] {
  return interim.map((ev) => {
    const own = pieceRuns.find((r) => r.algo === ev.algo && taskOf(envLabel(r.envId, r.variant)) === ev.task)!;
    const ownWarmup = warmupStepsOf(own.config as unknown as RunConfig);
    const learningStep = ev.step - ownWarmup;
    const beside: PieceEvaluation['beside'] = [];
    for (const algo of comparatorsOf(ev.task, ev.algo)) {
      const bySeed = comparatorRuns(store, { task: ev.task, algo, seeds: ev.seeds }, own)
        .map((r) => {
          const at = store.evaluations.list(r.id, 'deterministic').find((e) => e.step - warmupStepsOf(r.config) === learningStep);
          return { run: r, ret: at ? finiteMean(at.returns) : Number.NaN };
        })
        .filter((x) => Number.isFinite(x.ret));
      if (bySeed.length === 0) continue;
      const mechanism = withValues(
        MECHANISM_KEYS.map((key) => ({
          key,
          values: bySeed.map(({ run }) => {
            const shift = warmupStepsOf(run.config) - ownWarmup; // the piece's window, in its steps: the same learning steps
            const s = store.metrics.series(run.id, key); // results/ keep evenly spaced points of each metric: the window's mean is theirs
            return seriesWindowMean(s.step, s.value, ev.since + shift, ev.step + shift);
          }),
        })),
      );
      beside.push({ algo, seeds: bySeed.map((x) => x.run.seed), returns: bySeed.map((x) => x.ret), mechanism });
    }
    return { ...ev, beside };
  });
}

/** The completed runs of `algo` in `store` on `task` with the budget (learning steps) of the piece's run `own`, of the given seeds, by seed. */
export function comparatorRuns(store: Store, want: { task: string; algo: string; seeds: readonly number[] }, own: PieceRun): RunRecord[] {
  const budget = learningStepsOf(own.config as unknown as RunConfig);
  return store.runs
    .list({ sort: 'id', algo: want.algo })
    .rows.map((r) => store.runs.require(r.id))
    .filter((r) => r.status === 'completed' && taskOf(envLabel(r.envId, r.variant)) === want.task && learningStepsOf(r.config) === budget && want.seeds.includes(r.seed))
    .sort((a, b) => a.seed - b.seed);
}
