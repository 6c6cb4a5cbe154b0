// The evidence report (`lab report`, docs/results.md, the app's Paper results view): per task and
// algorithm the final evaluation return in both modes as IQM with its 95% stratified-bootstrap
// interval, the probabilities of improvement the paper's claims rest on, and a verdict per claim
// (src-core/stats/paper-claims.ts) with its sensitivity check (the same rule on the mean of each
// run's last evaluations). Every number comes from buildFinalReport, the code path of
// `lab compare`, called per task with its defaults, so the two agree run for run. A task's runs at
// different learning budgets are reported apart, each budget with its own rows and verdicts
// (./budgets.ts names them).
import { buildFinalReport, type EvalModeName } from '../api/compare-report.ts';
import { claimText, decideVerdict, PAPER_CLAIMS, SENSITIVITY_LAST_EVALS, VERDICT_MODE, VERDICT_RULE_TEXT, type PaperClaim, type Verdict } from '../../src-core/stats/paper-claims.ts';
import { envLabel } from '../../src-core/stats/grouping.ts';
import { smallSampleCaveat } from '../../src-core/stats/caveats.ts';
import { CONVERGENCE_RULE_TEXT, judgeConvergence, type Convergence } from '../../src-core/stats/convergence.ts';
import type { Store } from '../store/index.ts';
import { availableTasks, CAMPAIGN_ALGOS } from './campaign.ts';
import type { RunRecord } from '../store/repos/runs.ts';
import { budgetGroups, budgetLabels, type BudgetedRun } from './budgets.ts';
import type { PieceSummary } from '../../src-core/contract/methods/paper.ts';
import { pooledVerdict, type PooledVerdict } from './pooled.ts';

export const REPORT_MODES: readonly EvalModeName[] = ['deterministic', 'stochastic'];
/** `lab compare`'s defaults: 2,000 resamples, 95%, seed 0. */
export const REPORT_BOOTSTRAP = { resamples: 2000, confidence: 0.95, seed: 0 };

export interface ReportRow {
  /** The task, with its learning budget named where the report holds several budgets of it (./budgets.ts). */
  task: string;
  /** The task id alone (vehicle-dynamic). */
  taskId: string;
  /** The learning steps (after the off-policy warm-up) of its task's runs at this budget, distinct, ascending. */
  learningSteps: number[];
  env: string;
  algo: string;
  n: number;
  mode: EvalModeName;
  iqm: number | null;
  ci_low: number | null;
  ci_high: number | null;
  mean: number | null;
  runIds: number[];
  /** Each run's final evaluation return in this mode (its score), highest first: the spread the IQM summarises. */
  finals: number[];
  /** The small-sample caveat of the interval (src-core/stats/caveats.ts), null from 5 runs on. */
  caveat: string | null;
  /** Whether the group's mean evaluation curve in this mode had stopped moving at the end (src-core/stats/convergence.ts). */
  convergence: Convergence;
}

export interface ReportPair {
  task: string;
  mode: EvalModeName;
  /** P(x > y). */
  x: string;
  y: string;
  p: number | null;
  ci_low: number | null;
  ci_high: number | null;
}

export interface ReportVerdict {
  task: string;
  /** e.g. "ppo better than sac". */
  claim: string;
  verdict: Verdict;
  reason: string;
  paper: string;
  mode: EvalModeName;
  /** The sensitivity check (decides nothing): the rule's verdict with each run's score the mean of its last `lastEvals` evaluations; null when the task has no run. */
  sensitivity: VerdictSensitivity | null;
}

export interface VerdictSensitivity {
  lastEvals: number;
  verdict: Verdict;
  /** P(x > y) on those scores, with its interval (null when a side has no scored run). */
  p: number | null;
  ci_low: number | null;
  ci_high: number | null;
}

export interface EvidenceReport {
  source: string;
  bootstrap: typeof REPORT_BOOTSTRAP;
  rows: ReportRow[];
  pairs: ReportPair[];
  verdicts: ReportVerdict[];
  rule: string;
  /** How the end-of-budget column is decided. */
  convergenceRule: string;
  /** Runs left out (not completed, or without a final evaluation) and why. */
  excluded: { runId: number; task: string; algo: string; reason: string }[];
  /** The campaign's cells (task x algorithm, `lab reproduce`) with no completed run in the report, per task, with the command that measures them. */
  unmeasured: { task: string; algos: string[]; command: string }[];
  /** The campaign pieces (src-main/evidence/pieces.ts) of the folder the report was asked to list: experiments still training. */
  inProgress: { dir: string; pieces: PieceSummary[] } | null;
  /** The paper's summary claim pooled over its precision-control tasks (./pooled.ts). */
  pooled: PooledVerdict;
}

/** One campaign piece as the report lists it (an unreadable one with `error`). */
export type { PieceSummary };

/** Task id of an environment label: vehicle/dynamic -> vehicle-dynamic. */
export function taskOf(env: string): string {
  return env.replace('/', '-');
}

/** The probabilities every report shows, besides those a claim needs: the paper's two, PPO against SAC auto, and the deterministic policy (TD3) against SAC. */
export const SHOWN_PAIRS: readonly [string, string][] = [
  ['ppo', 'sac'],
  ['sac-adaent', 'sac'],
  ['ppo', 'sac-auto'],
  ['td3', 'sac'],
];

/** Completed runs of the store (or of the given experiments), and the others as excluded. */
function selectRuns(store: Store, experimentIds: readonly number[] | undefined): { runs: RunRecord[]; excluded: EvidenceReport['excluded'] } {
  const ids = experimentIds && experimentIds.length > 0 ? experimentIds.flatMap((e) => store.runs.idsOfExperiment(e)) : store.runs.list({ sort: 'id' }).rows.map((r) => r.id);
  const all = [...new Set(ids)].sort((a, b) => a - b).map((id) => store.runs.require(id));
  const labels = labelRuns(all);
  const runs = all.filter((r) => r.status === 'completed');
  const excluded = all.filter((r) => r.status !== 'completed').map((r) => ({ runId: r.id, task: labels.get(r.id)!, algo: r.algo, reason: `run is ${r.status}, not completed` }));
  return { runs, excluded };
}

/**
 * The report's task label of each run (./budgets.ts): a task's budgets are those of its completed
 * runs, so an unfinished run of another budget does not rename the finished ones.
 */
export function labelRuns(runs: readonly RunRecord[]): Map<number, string> {
  const done = runs.filter((r) => r.status === 'completed');
  return budgetLabels(done.map(budgeted), runs.filter((r) => r.status !== 'completed').map(budgeted));
}

function budgeted(r: RunRecord): BudgetedRun {
  return { id: r.id, task: taskOf(envLabel(r.envId, r.variant)), envId: r.envId, config: r.config };
}

interface TaskGroup {
  label: string;
  taskId: string;
  env: string;
  learningSteps: number[];
  runs: RunRecord[];
}

/** Completed runs by task and budget: the paper's task order, smaller budgets first. */
function taskGroups(runs: readonly RunRecord[]): TaskGroup[] {
  const byId = new Map(runs.map((r) => [r.id, r]));
  return budgetGroups(runs.map(budgeted))
    .map((g) => {
      const rs = g.runIds.map((id) => byId.get(id)!);
      return { label: g.label, taskId: g.task, env: envLabel(rs[0]!.envId, rs[0]!.variant), learningSteps: g.learningSteps, runs: rs };
    })
    .sort((a, b) => taskOrder(a.env) - taskOrder(b.env) || a.env.localeCompare(b.env) || a.learningSteps[0]! - b.learningSteps[0]!);
}

export function buildEvidenceReport(store: Store, opts: { source: string; experimentIds?: number[]; bootstrap?: typeof REPORT_BOOTSTRAP; inProgress?: EvidenceReport['inProgress'] }): EvidenceReport {
  const bootstrap = opts.bootstrap ?? REPORT_BOOTSTRAP;
  const { runs, excluded } = selectRuns(store, opts.experimentIds);
  const groups = taskGroups(runs);
  const rows: ReportRow[] = [];
  const pairs: ReportPair[] = [];
  const verdicts: ReportVerdict[] = [];
  for (const { label: task, taskId, env, learningSteps, runs: groupRuns } of groups) {
    const claims = PAPER_CLAIMS.filter((c) => c.env === env);
    for (const mode of REPORT_MODES) {
      const rep = buildFinalReport(store, groupRuns, { groupBy: 'algo', mode, bootstrap, profilePoints: 5, ranges: {} });
      if (mode === 'deterministic') for (const e of rep.excluded) excluded.push({ runId: e.runId, task, algo: e.group, reason: e.reason });
      const t = rep.table;
      for (const r of t.rows) rows.push({ task, taskId, learningSteps, env, algo: r.group, n: r.n, mode, iqm: r.iqm, ci_low: r.iqmCI.lower, ci_high: r.iqmCI.upper, mean: r.mean, runIds: r.runIds.map(Number), finals: [...r.scores].sort((a, b) => b - a), caveat: smallSampleCaveat(r.n), convergence: convergenceOf(store, r.runIds.map(Number), mode) });
      const wanted = [...SHOWN_PAIRS, ...claims.map((c) => [c.x, c.y] as [string, string])];
      const seen = new Set<string>();
      for (const [x, y] of wanted) {
        if (seen.has(`${x}>${y}`)) continue;
        seen.add(`${x}>${y}`);
        const c = improvementCell(t, x, y);
        if (c) pairs.push({ task, mode, x, y, p: c.probability.point, ci_low: c.probability.lower, ci_high: c.probability.upper });
      }
      if (mode !== VERDICT_MODE || claims.length === 0) continue;
      const lastK = buildFinalReport(store, groupRuns, { groupBy: 'algo', mode, lastEvals: SENSITIVITY_LAST_EVALS, bootstrap, profilePoints: 5, ranges: {} }).table;
      for (const claim of claims) {
        const v = decideVerdict(claim, claimEvidence(t, claim));
        const k = claimEvidence(lastK, claim);
        const kv = decideVerdict(claim, k);
        const sensitivity = { lastEvals: SENSITIVITY_LAST_EVALS, verdict: kv.verdict, p: k.probability?.point ?? null, ci_low: k.probability?.lower ?? null, ci_high: k.probability?.upper ?? null };
        verdicts.push({ task, claim: claimText(claim), verdict: v.verdict, reason: v.reason + unsettledNote(rows, task, mode, [claim.x, claim.y]), paper: claim.paper, mode, sensitivity });
      }
    }
  }
  // claims of tasks without any completed run: not reproduced, said so
  for (const claim of PAPER_CLAIMS) {
    if (groups.some((g) => g.env === claim.env)) continue;
    verdicts.push({ task: claim.task, claim: claimText(claim), verdict: 'not reproduced', reason: 'no completed run of this task yet', paper: claim.paper, mode: VERDICT_MODE, sensitivity: null });
  }
  const pooled = pooledVerdict(store, groups.filter((g) => g.label === g.taskId), bootstrap);
  return { source: opts.source, bootstrap, rows, pairs, verdicts, rule: VERDICT_RULE_TEXT, convergenceRule: CONVERGENCE_RULE_TEXT, excluded, unmeasured: unmeasuredCells(rows), inProgress: opts.inProgress ?? null, pooled };
}

type TableJson = ReturnType<typeof buildFinalReport>['table'];

/** The P(x > y) cell of a final table (null when either group is missing). */
function improvementCell(t: TableJson, x: string, y: string): TableJson['improvement'][number][number] | null {
  const i = t.groups.indexOf(x);
  const j = t.groups.indexOf(y);
  return i >= 0 && j >= 0 ? (t.improvement[i]![j] ?? null) : null;
}

/** A claim's evidence from a final table: each side's N and P(x > y) with its interval (null where missing). */
function claimEvidence(t: TableJson, claim: Pick<PaperClaim, 'x' | 'y'>): { nx: number; ny: number; probability: { point: number; lower: number; upper: number } | null } {
  const c = improvementCell(t, claim.x, claim.y);
  const n = (g: string) => t.rows.find((r) => r.group === g)?.n ?? 0;
  const p = c && c.probability.point !== null && c.probability.lower !== null && c.probability.upper !== null ? { point: c.probability.point, lower: c.probability.lower, upper: c.probability.upper } : null;
  return { nx: n(claim.x), ny: n(claim.y), probability: p };
}

/**
 * Per task of the campaign, its algorithms without a row (no completed run with a final evaluation)
 * at the task's unnamed budget (the quick preset's, or its only one), and the `lab reproduce` command that measures them.
 */
function unmeasuredCells(rows: readonly ReportRow[]): EvidenceReport['unmeasured'] {
  const measured = new Set(rows.filter((r) => r.task === r.taskId).map((r) => `${r.task}/${r.algo}`));
  return availableTasks()
    .map((t) => ({ task: t.task, algos: CAMPAIGN_ALGOS.map((a) => a.algo).filter((a) => !measured.has(`${t.task}/${a}`)) }))
    .filter((c) => c.algos.length > 0)
    .map((c) => ({ ...c, command: `lab reproduce ${c.task} --algos ${c.algos.join(',')}` }));
}

/**
 * A verdict's caveat (the rule itself is unchanged): which of its algorithms had not settled at the
 * end of the budget, so the verdict describes the budget, not where the method ends up.
 */
function unsettledNote(rows: readonly ReportRow[], task: string, mode: EvalModeName, algos: readonly string[]): string {
  const moving = algos.flatMap((a) => {
    const v = rows.find((r) => r.task === task && r.mode === mode && r.algo === a)?.convergence.verdict;
    return v === 'still rising' || v === 'still falling' ? [`${a} ${v}`] : [];
  });
  return moving.length > 0 ? `; at the end of the budget: ${moving.join(', ')}` : '';
}

/** The end-of-budget judgement of these runs' evaluation curves in one mode. */
function convergenceOf(store: Store, runIds: readonly number[], mode: EvalModeName): Convergence {
  return judgeConvergence(runIds.map((id) => store.evaluations.list(id, mode).map((e) => ({ step: e.step, value: e.meanReturn }))));
}

/** Tasks in the order of the paper's table. */
const ORDER = ['toy', 'vehicle/dynamic', 'vehicle/kinematic', 'quadrotor/rotors', 'quadrotor/simplified', 'acrobot', 'obstacle2d', 'hopper', 'opencat', 'pendulum'];
function taskOrder(env: string): number {
  const i = ORDER.indexOf(env);
  return i < 0 ? ORDER.length : i;
}
