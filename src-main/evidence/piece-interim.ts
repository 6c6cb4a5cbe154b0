// A campaign piece's interim evaluation (it decides nothing): per task and algorithm of the piece,
// the latest step at which every one of its runs has a deterministic evaluation, each run's mean
// return there by seed; and beside it, from a store of completed runs (results/), the runs the
// report pairs that algorithm with (SHOWN_PAIRS and the paper's claims, either side) of the same
// task, budget and seeds, at the same learning step (the step after each run's off-policy warm-up,
// so PPO and SAC line up). It is what a researcher would otherwise dig out of two exports: how the
// unfinished runs stand against the finished ones at the same point of training, seed by seed.
import { envLabel } from '../../src-core/stats/grouping.ts';
import { PAPER_CLAIMS } from '../../src-core/stats/paper-claims.ts';
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
}

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
    const bySeed = rs.map((r, i) => ({ seed: r.seed, ret: finiteMean(det[i]!.get(step)!) })).filter((x) => Number.isFinite(x.ret)).sort((a, b) => a.seed - b.seed);
    if (bySeed.length === 0) continue;
    out.push({ task, algo, step, seeds: bySeed.map((x) => x.seed), returns: bySeed.map((x) => x.ret), beside: [] });
  }
  return out;
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
    const learningStep = ev.step - warmupStepsOf(own.config as unknown as RunConfig);
    const beside: PieceEvaluation['beside'] = [];
    for (const algo of comparatorsOf(ev.task, ev.algo)) {
      const bySeed = comparatorRuns(store, { task: ev.task, algo, seeds: ev.seeds }, own)
        .map((r) => {
          const at = store.evaluations.list(r.id, 'deterministic').find((e) => e.step - warmupStepsOf(r.config) === learningStep);
          return { seed: r.seed, ret: at ? finiteMean(at.returns) : Number.NaN };
        })
        .filter((x) => Number.isFinite(x.ret));
      if (bySeed.length > 0) beside.push({ algo, seeds: bySeed.map((x) => x.seed), returns: bySeed.map((x) => x.ret) });
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
