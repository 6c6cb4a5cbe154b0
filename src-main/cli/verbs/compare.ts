// `lab compare --experiment ID[,ID...] [--metric KEY [--window FROM:TO]] [--mode deterministic|stochastic] [--group-by algo|label|env|config:KEY]
//   [--include-unfinished] [--last-evals K] [--resamples N] [--confidence C] [--seed N] [--json | --format text|json|csv|markdown|latex] [--db PATH]`
// By default only completed runs are scored, each group at its final step (the step column); the
// others are listed as excluded with the reason. An interval from fewer than 5 runs carries a caveat.
// The final-performance table per environment and group (IQM with its 95% stratified-bootstrap
// interval, mean, std, N) and the probability-of-improvement matrix with intervals.
// "Final" (src-core/stats/final-scores.ts): by default each run's score is the mean return over the
// episodes of its last evaluation in the chosen mode (deterministic by default), or with --last-evals K
// the mean over its last K evaluations (a run with fewer is excluded, named); with --metric KEY
// it is that key's value at the run's last recorded step. Runs without one are listed as excluded.
// Several experiments (--experiment 1,2,3, e.g. the bundles of results/ imported) are pooled: over two
// or more environments the report adds rliable's aggregates across them (src-core/stats/across-tasks.ts).
import { openStoreForCli } from '../../runs/cli-support.ts';
import { ApiFailure } from '../../../src-core/contract/define.ts';
import type { FinalReport } from '../../../src-core/contract/methods/compare.ts';
import { buildFinalReport, loadRuns } from '../../api/compare-report.ts';
import { flagBool, flagString, parseArgs, parseInteger, parseNumber } from '../args.ts';
import { UsageError } from '../errors.ts';
import type { FinalTable } from '../../../src-core/stats/final-table.ts';
import type { MetricWindow } from '../../../src-core/stats/final-scores.ts';
import { finalTableCsv, finalTableLatex, finalTableMarkdown, intervalText } from '../../../src-core/stats/table-export.ts';
import { finalTableFromJson } from '../../../src-core/stats/final-table-json.ts';
import { smallSampleCaveat } from '../../../src-core/stats/caveats.ts';
import { acrossTasksCsv, acrossTasksExportOf, acrossTasksLatex, acrossTasksMarkdown, type AcrossTasksExport } from '../../../src-core/stats/across-tasks-export.ts';

export const summary = 'final-performance table (IQM, 95% bootstrap CI) and P(improvement) matrix of an experiment';

const f3 = (v: number | null) => (v === null ? 'n/a' : v.toFixed(3));
/** A statistic undefined for the sample (std or standard error of one run): a dash, never 0. */
const fd = (v: number | null) => (v === null ? '-' : v.toFixed(3));
const stepText = (r: { stepMin: number | null; stepMax: number | null }) => (r.stepMin === null ? 'n/a' : r.stepMin === r.stepMax ? String(r.stepMin) : `${r.stepMin}-${r.stepMax}`);

function pad(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n');
}

/** The experiments compared, as the report's first line names them. */
export interface ExperimentRef {
  id: number;
  name: string;
}

export function formatReport(experiments: readonly ExperimentRef[], groupBy: string, rep: FinalReport): string {
  const t = rep.table;
  const pct = `${Math.round(t.confidence * 100)}%`;
  const out: string[] = [];
  out.push(`${experiments.length === 1 ? 'experiment' : 'experiments'} ${experiments.map((e) => `${e.id} "${e.name}"`).join(', ')}, grouped by ${groupBy}`);
  out.push(`score: ${t.scoreLabel}`);
  out.push(`IQM interval: ${pct} stratified bootstrap percentile CI over seeds (${t.resamples} resamples, seed ${t.seed}); std: sample standard deviation; N: runs`);
  out.push('');
  if (t.rows.length === 0) out.push('no run has a final score yet');
  else {
    out.push(
      pad([
        ['env', 'group', 'step', 'N', `IQM [${pct} CI]`, 'mean', 'median', 'std'],
        ...t.rows.map((r) => [r.env, r.group, stepText(r), String(r.n), `${f3(r.iqm)} [${f3(r.iqmCI.lower)}, ${f3(r.iqmCI.upper)}]${smallSampleCaveat(r.n) ? ' *' : ''}`, f3(r.mean), f3(r.median), fd(r.std)]),
      ]),
    );
    const caveats = [...new Set(t.rows.map((r) => smallSampleCaveat(r.n)).filter((c) => c !== null))];
    for (const c of caveats) out.push(`* ${c}`);
  }
  if (t.groups.length > 1) {
    out.push('');
    out.push(`probability of improvement P(row > column) [${pct} CI], averaged over shared environments:`);
    out.push(
      pad([
        ['', ...t.groups],
        ...t.groups.map((g, i) => [g, ...t.improvement[i]!.map((c) => (c ? `${f3(c.probability.point)} [${f3(c.probability.lower)}, ${f3(c.probability.upper)}]` : '-'))]),
      ]),
    );
  }
  out.push(...acrossTasksLines(rep, pct));
  for (const e of rep.excluded) out.push(`excluded: run ${e.runId} (${e.env}, ${e.group}): ${e.reason}`);
  return `${out.join('\n')}\n`;
}

/** rliable's aggregates over the environments every group ran, with the normalisation they rest on. */
function acrossTasksLines(rep: FinalReport, pct: string): string[] {
  const a = rep.acrossTasks;
  const e = acrossTasksExportOf(rep);
  if (!a || !e) return [];
  const ci = (i: { point: number | null; lower: number | null; upper: number | null }) => intervalText(i.point, i.lower, i.upper);
  return [
    '',
    `over ${a.envs.length} environments, scores min-max normalised per environment: ${e.ranges.join('; ')}`,
    `aggregates as rliable computes them [${pct} CI, stratified bootstrap]: IQM and optimality gap (below 1, lower is better) over all runs pooled, mean and median of the per-environment means`,
    pad([['group', 'runs', 'IQM', 'mean', 'median', 'optimality gap'], ...a.groups.map((g) => [g.group, String(g.runs), ci(g.iqm), ci(g.mean), ci(g.median), ci(g.optimalityGap)])]),
    ...a.left.map((l) => `not aggregated: ${l.env} (no run of ${l.missing.join(', ')})`),
  ];
}

/** The --json document (its type is what scripts and tests parse `lab compare --json` into). */
export type CompareJson = ReturnType<typeof reportJson>;

/** The --json document: the table, the matrix as a list of pairs, and what was excluded. */
export function reportJson(experiments: readonly ExperimentRef[], groupBy: string, rep: FinalReport, window?: MetricWindow) {
  const t = rep.table;
  return {
    /** The one experiment compared; null when several were pooled (then see experiments). */
    experiment: experiments.length === 1 ? experiments[0]! : null,
    experiments,
    groupBy,
    mode: rep.mode,
    metric: rep.metric,
    /** --window: the steps a metric's values were averaged over (to: null, to the end); null: its last value. */
    window: window === undefined ? null : { from: window.from, to: Number.isFinite(window.to) ? window.to : null },
    scoreLabel: t.scoreLabel,
    bootstrap: { resamples: t.resamples, confidence: t.confidence, seed: t.seed, method: 'stratified bootstrap (seeds resampled within each environment), percentile interval' },
    rows: t.rows.map((r) => ({
      env: r.env,
      group: r.group,
      n: r.n,
      iqm: r.iqm,
      iqmLower: r.iqmCI.lower,
      iqmUpper: r.iqmCI.upper,
      mean: r.mean,
      median: r.median,
      std: r.std,
      stderr: r.stderr,
      min: r.min,
      max: r.max,
      stepMin: r.stepMin,
      stepMax: r.stepMax,
      /** Beside every interval from fewer than 5 runs (issue 18); null otherwise. */
      caveat: smallSampleCaveat(r.n),
      runIds: r.runIds.map(Number),
      /** Each run's score, in runIds' order. */
      scores: r.scores,
    })),
    improvement: t.improvement.flat().filter((c) => c !== null).map((c) => ({ x: c.x, y: c.y, probability: c.probability.point, lower: c.probability.lower, upper: c.probability.upper, envs: c.envs })),
    excluded: rep.excluded,
    /** rliable's aggregates over the environments every group ran (null: fewer than two), and the normalisation ranges. */
    acrossTasks: rep.acrossTasks && { ...rep.acrossTasks, ranges: Object.fromEntries(rep.acrossTasks.envs.map((e) => [e, rep.profile.ranges[e]!])) },
  };
}

const FORMATS = ['text', 'json', 'csv', 'markdown', 'latex'] as const;

/** `--window FROM:TO` (TO may be empty: to the end): environment steps, FROM < step <= TO. */
function parseWindow(text: string): MetricWindow {
  const m = /^(\d+):(\d*)$/.exec(text.trim());
  if (!m) throw new UsageError(`--window: '${text}' is not FROM:TO (environment steps, e.g. 0:202000, or 100000: to the end)`);
  const from = Number(m[1]);
  const to = m[2] === '' ? Number.POSITIVE_INFINITY : Number(m[2]);
  if (!Number.isSafeInteger(from) || !(to > from)) throw new UsageError(`--window: '${text}' is empty (TO must be above FROM)`);
  return { from, to };
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    experiment: { type: 'string' },
    metric: { type: 'string' },
    mode: { type: 'string' },
    'group-by': { type: 'string' },
    resamples: { type: 'string' },
    confidence: { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean' },
    'include-unfinished': { type: 'boolean' },
    'last-evals': { type: 'string' },
    window: { type: 'string' },
    format: { type: 'string' },
    db: { type: 'string' },
  });
  const formatText = flagString(args, 'format') ?? (flagBool(args, 'json') ? 'json' : 'text');
  if (!(FORMATS as readonly string[]).includes(formatText)) throw new UsageError(`--format: '${formatText}' is not one of ${FORMATS.join(', ')}`);
  if (flagBool(args, 'json') && formatText !== 'json') throw new UsageError('--json and --format disagree');
  const format = formatText as (typeof FORMATS)[number];
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
  const expText = flagString(args, 'experiment');
  if (expText === undefined) throw new UsageError('--experiment ID is required (ID,ID,... pools several)');
  const experimentIds = [...new Set(expText.split(',').map((x) => parseInteger(x.trim(), '--experiment', 1)))];
  const mode = flagString(args, 'mode') ?? 'deterministic';
  if (mode !== 'deterministic' && mode !== 'stochastic') throw new UsageError(`--mode: '${mode}' is not deterministic or stochastic`);
  const metric = flagString(args, 'metric');
  if (metric !== undefined && metric.trim() === '') throw new UsageError('--metric: empty key');
  const groupBy = flagString(args, 'group-by') ?? 'algo';
  if (!/^(algo|label|env|config:[A-Za-z0-9_.\-]+)$/.test(groupBy)) throw new UsageError(`--group-by: '${groupBy}' is not algo, label, env or config:<key>`);
  const lastEvalsText = flagString(args, 'last-evals');
  const lastEvals = parseInteger(lastEvalsText ?? '1', '--last-evals', 1);
  if (lastEvals > 100) throw new UsageError(`--last-evals: ${lastEvals} is more than 100`);
  if (lastEvalsText !== undefined && metric !== undefined) throw new UsageError('--last-evals averages evaluations; it does not apply to --metric (each run is scored at its last record)');
  const windowText = flagString(args, 'window');
  if (windowText !== undefined && metric === undefined) throw new UsageError('--window averages a metric over steps; it needs --metric KEY (for the evaluation return use --last-evals K)');
  const metricWindow = windowText === undefined ? undefined : parseWindow(windowText);
  const resamples = parseInteger(flagString(args, 'resamples') ?? '2000', '--resamples', 50);
  const seed = parseInteger(flagString(args, 'seed') ?? '0', '--seed');
  const confidence = parseNumber(flagString(args, 'confidence') ?? '0.95', '--confidence');
  if (!(confidence >= 0.5 && confidence < 1)) throw new UsageError(`--confidence: ${confidence} is not in [0.5, 1)`);

  const store = openStoreForCli(flagString(args, 'db'), { mustExist: true });
  try {
    const experiments = experimentIds.map((id) => {
      const exp = store.experiments.get(id);
      if (!exp) throw new UsageError(`no experiment with id ${id} in ${store.path}`);
      return { id, name: exp.name };
    });
    let report: FinalReport;
    try {
      const runs = experimentIds.flatMap((experimentId) => loadRuns(store, { experimentId }));
      if (metric !== undefined && !runs.some((r) => store.metrics.keys(r.id).some((k) => k.key === metric))) {
        throw new UsageError(`--metric: no run of experiment ${experimentIds.join(', ')} recorded '${metric}'`);
      }
      report = buildFinalReport(store, runs, { groupBy, mode, metric, includeUnfinished: flagBool(args, 'include-unfinished'), lastEvals, metricWindow, bootstrap: { resamples, confidence, seed }, profilePoints: 5, ranges: {} });
    } catch (err) {
      if (err instanceof ApiFailure) throw new UsageError(err.message);
      throw err;
    }
    if (format === 'json') process.stdout.write(`${JSON.stringify(reportJson(experiments, groupBy, report, metricWindow), null, 2)}\n`);
    else if (format === 'csv' || format === 'markdown' || format === 'latex') {
      // the final table, then (over several environments) the aggregates, separated by a blank line
      const across = acrossTasksExportOf(report);
      const [table, aggregates] = { csv: [finalTableCsv, acrossTasksCsv], markdown: [finalTableMarkdown, acrossTasksMarkdown], latex: [finalTableLatex, acrossTasksLatex] }[format] as [(t: FinalTable) => string, (a: AcrossTasksExport) => string];
      process.stdout.write(table(finalTableFromJson(report.table)) + (across ? `\n${aggregates(across)}` : ''));
    }
    else process.stdout.write(formatReport(experiments, groupBy, report));
    return 0;
  } finally {
    store.close();
  }
}
