// Contract methods of the Paper results view: the evidence shipped in results/, read from a store
// of its own (never the user's): the outcome table with verdicts and figures, the runs of a task
// with their recorded final evaluation episode, and one such episode for the replays; and the
// Analysis views (landscapes, critical-state strips) on the shipped runs whose weights were kept.
import { z } from 'zod';
import { defineMethod } from '../define.ts';
import { Id } from '../schemas.ts';
import { CriticalArgs, CriticalResult, FanArgs, FanResult, LandscapeArgs, LandscapeResult } from './analysis.ts';
import { ToyRunList } from './compare.ts';
import { TrajectoryData } from './metrics.ts';

const Num = z.number().nullable();
const Mode = z.enum(['deterministic', 'stochastic']);
const VerdictName = z.enum(['reproduced', 'not reproduced', 'contradicted']);
/** src-core/stats/convergence.ts: had the group's mean evaluation curve stopped moving at the end of the budget? */
const Convergence = z.object({ verdict: z.enum(['converged', 'still rising', 'still falling', 'not judged']), late: Num, earlier: Num, range: Num, evaluations: z.number().int() });

/** Runs of one algorithm at one evaluation step: each run's seed and mean deterministic return (runs with no finite return left out). */
const SeedReturns = z.object({ algo: z.string(), seeds: z.array(z.number().int()), returns: z.array(z.number()) });
/**
 * What runs logged in training over the piece's steps (since, step] (a comparator: over the same
 * learning steps), per seed (aligned with the runs' seeds): the mean of one metric, null where a run
 * logged none there. The mechanism behind the returns: SAC-AdaEnt's adaent/surrogate_rate, its
 * policy/entropy beside SAC's.
 */
const WindowMean = z.object({ key: z.string(), values: z.array(z.number().nullable()) });
const RunsWithMechanism = SeedReturns.extend({ mechanism: z.array(WindowMean) });
/**
 * A piece's algorithm at the latest step every one of its runs was evaluated at (deterministic), and
 * beside it, the completed runs of the algorithms the report pairs it with (same task, same budget,
 * same seeds) at that step, where the store has them: an interim comparison that decides nothing.
 * `since`: the piece's previous common evaluation step (0 where `step` is its first).
 */
const PieceEvaluation = RunsWithMechanism.extend({ task: z.string(), step: z.number().int(), since: z.number().int(), beside: z.array(RunsWithMechanism) });
export type PieceEvaluation = z.infer<typeof PieceEvaluation>;

/** A campaign piece (the repository's campaign/): an experiment of `lab reproduce` still training, as the last machine left it. */
export const PieceSummary = z.object({
  file: z.string(),
  tasks: z.array(z.string()),
  algos: z.array(z.string()),
  runs: z.number().int(),
  completed: z.number().int(),
  minStep: z.number().int(),
  maxStep: z.number().int(),
  totalSteps: z.number().int(),
  /** When the piece was written (ISO). */
  written: z.string(),
  /** The command that continues it. */
  command: z.string().nullable(),
  /** Per task and algorithm of the piece, its latest deterministic evaluation (interim: it decides nothing), with the comparators' completed runs at the same step. */
  interim: z.array(PieceEvaluation),
  /** Why the piece does not read (it is listed, not refused). */
  error: z.string().nullable(),
});
export type PieceSummary = z.infer<typeof PieceSummary>;

export const PaperReport = z.object({
  source: z.string(),
  bootstrap: z.object({ resamples: z.number().int(), confidence: z.number(), seed: z.number().int() }),
  rows: z.array(z.object({ task: z.string(), taskId: z.string(), learningSteps: z.array(z.number().int()), env: z.string(), algo: z.string(), n: z.number().int(), mode: Mode, iqm: Num, ci_low: Num, ci_high: Num, mean: Num, runIds: z.array(z.number().int()), finals: z.array(z.number()), caveat: z.string().nullable(), convergence: Convergence })),
  pairs: z.array(z.object({ task: z.string(), mode: Mode, x: z.string(), y: z.string(), p: Num, ci_low: Num, ci_high: Num })),
  verdicts: z.array(
    z.object({
      task: z.string(),
      claim: z.string(),
      verdict: VerdictName,
      reason: z.string(),
      paper: z.string(),
      mode: Mode,
      /** The sensitivity check, which decides nothing: the same rule on each run's mean of its last `lastEvals` evaluations (null: no run of the task). */
      sensitivity: z.object({ lastEvals: z.number().int(), verdict: VerdictName, p: Num, ci_low: Num, ci_high: Num }).nullable(),
    }),
  ),
  rule: z.string(),
  convergenceRule: z.string(),
  excluded: z.array(z.object({ runId: z.number().int(), task: z.string(), algo: z.string(), reason: z.string() })),
  /** The campaign's cells (task x algorithm) with no completed run yet, per task, with the command that measures them. */
  unmeasured: z.array(z.object({ task: z.string(), algos: z.array(z.string()), command: z.string() })),
  /** The campaign pieces (experiments still training), none of them in the table until it completes; null where there are none. */
  inProgress: z.object({ dir: z.string(), pieces: z.array(PieceSummary) }).nullable(),
  /** The paper's summary claim pooled over its precision-control tasks (src-main/evidence/pooled.ts). */
  pooled: z.object({
    claim: z.string(),
    paper: z.string(),
    tasks: z.array(z.string()),
    missing: z.array(z.object({ task: z.string(), reason: z.string() })),
    verdict: VerdictName,
    reason: z.string(),
    modes: z.array(
      z.object({
        mode: Mode,
        p: Num,
        ci_low: Num,
        ci_high: Num,
        algos: z.array(z.object({ algo: z.string(), runs: z.number().int(), iqm: Num, ci_low: Num, ci_high: Num, gap: Num, gap_low: Num, gap_high: Num })),
        ranges: z.array(z.string()),
      }),
    ),
  }),
});
export type PaperReport = z.infer<typeof PaperReport>;

export const PaperOverview = z.object({
  /** The results folder read. */
  dir: z.string(),
  /** False when there is nothing to show, with the reason (no bundle yet, or a bundle refused). */
  available: z.boolean(),
  reason: z.string().nullable(),
  bundles: z.array(z.object({ file: z.string(), experiment: z.string(), runs: z.number().int() })),
  report: PaperReport.nullable(),
  /** Per task: evaluation curves in each mode and deterministic vs stochastic, as SVG documents. */
  figures: z.array(z.object({ task: z.string(), name: z.string(), svg: z.string() })),
  /** Per campaign piece with an evaluation: its interim curves beside its comparators' completed runs (src-main/evidence/piece-figure.ts), as SVG. */
  pieceFigures: z.array(z.object({ file: z.string(), name: z.string(), svg: z.string() })),
});
export type PaperOverview = z.infer<typeof PaperOverview>;

const PaperEpisode = z.object({ id: Id, step: z.number(), mode: Mode, episode: z.number().int(), startSeed: z.number(), length: z.number().int() });

export const PaperRun = z.object({
  id: Id,
  task: z.string(),
  envId: z.string(),
  variant: z.string(),
  params: z.record(z.string(), z.number()),
  algo: z.string(),
  seed: z.number().int(),
  /** The recorded episode of its last deterministic evaluation (null when none was kept). */
  trajectory: PaperEpisode.nullable(),
  /** Every recorded deterministic episode it kept, latest first: the last one and, where another, the one at its experiment's common step (same start state as the other runs of its seed). */
  episodes: z.array(PaperEpisode),
});
export type PaperRun = z.infer<typeof PaperRun>;

export const paperMethods = {
  'paper.overview': defineMethod({
    summary: 'The shipped evidence (results/): outcome table in both evaluation modes, P(improvement), verdicts with their rule, figures.',
    args: z.object({}),
    result: PaperOverview,
  }),
  'paper.runs': defineMethod({
    summary: 'The shipped runs of a task with their recorded final evaluation episode.',
    args: z.object({ task: z.string().min(1) }),
    result: z.array(PaperRun),
  }),
  'paper.trajectory': defineMethod({
    summary: 'One recorded evaluation episode of a shipped run (from the Paper results store).',
    args: z.object({ id: Id }),
    result: TrajectoryData,
  }),
  'paper.checkpoints': defineMethod({
    summary: 'The weights a shipped run kept (its final checkpoint, where the compact bundle had room for it): global step and size.',
    args: z.object({ runId: Id }),
    result: z.array(z.object({ step: z.number().int(), size: z.number().int() })),
  }),
  'paper.landscape': defineMethod({
    summary: 'analysis.landscape on the shipped runs (the Paper results store), read-only.',
    args: LandscapeArgs,
    result: LandscapeResult,
  }),
  'paper.toyRuns': defineMethod({
    summary: "The shipped toy runs with their alpha and the branch their last evaluation in one mode ends on (the toy solver's overlay).",
    args: z.object({ mode: Mode.default('deterministic') }),
    result: ToyRunList,
  }),
  'paper.critical': defineMethod({
    summary: 'analysis.critical on a shipped run and its recorded episode (the Paper results store), read-only.',
    args: CriticalArgs,
    result: CriticalResult,
  }),
  'paper.fan': defineMethod({
    summary: 'analysis.fan on a shipped run that kept its weights (the Paper results store), read-only.',
    args: FanArgs,
    result: FanResult,
  }),
};
