// The evidence report as text (terminal), as the --json document and as Markdown (docs/results.md)
// with its SVG figures. Figures are drawn by the renderer's chart export (src-renderer/charts,
// pure string builders) from the same panels the Compare view plots (buildPanels), so there is no
// second plotting stack: per task, evaluation return curves (IQM over runs with a 95% bootstrap band)
// in each mode against learning steps (the budget's unit, equal across the algorithms of a task), and deterministic against stochastic final returns; and a replay frame of PPO beside
// SAC from the same start, drawn by the scene code (src-core/draw/svg).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { buildFinalReport, buildPanels } from '../api/compare-report.ts';
import { chartSvg } from '../../src-renderer/charts/compare-export.ts';
import { groupColor } from '../../src-renderer/charts/compare-spec.ts';
import { sameStartPair } from '../../src-core/stats/same-start.ts';
import { intervalText, perRunText } from '../../src-core/stats/table-export.ts';
import { drawEpisode, drawScenery, isDrawable } from '../../src-core/draw/index.ts';
import { replayFramesSvg, type ReplayPanel } from '../../src-core/draw/svg/replay-frame.ts';
import type { RunRecord } from '../store/repos/runs.ts';
import { modesSpec, panelSpec } from '../../src-renderer/views/compare/convert.ts';
import type { Store } from '../store/index.ts';
import { SHOWN_PAIRS, type EvidenceReport, type PieceSummary, type ReportRow } from './report.ts';
import { POOLED_CLAIM, SENSITIVITY_LAST_EVALS, sensitivityText } from '../../src-core/stats/paper-claims.ts';
import type { PooledVerdict } from './pooled.ts';
import { learningStepsText } from '../../src-core/stats/steps-text.ts';
import { CAMPAIGN_ALGOS } from './campaign.ts';
import { labelSlug } from './budgets.ts';
import { PIECE_FIGURE_SUFFIX, type PieceFigure } from './piece-figure.ts';
import { cellProgress, cellProgressNote, pieceEvalText, pieceProgress } from '../../src-core/stats/piece-progress.ts';

const f3 = (v: number | null) => (v === null ? 'n/a' : v.toFixed(3));
const f2 = (v: number | null) => (v === null ? 'n/a' : v.toFixed(2));

function pad(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n');
}

const ALGO_ORDER = ['ppo', 'sac', 'sac-auto', 'sac-adaent', 'td3'];
const algoRank = (a: string) => (ALGO_ORDER.indexOf(a) < 0 ? ALGO_ORDER.length : ALGO_ORDER.indexOf(a));

/**
 * One line per task and algorithm: N, learning steps per run, deterministic and stochastic IQM [95% CI], end of budget;
 * with `finals`, each run's final deterministic return too (highest first).
 */
export function tableLines(rep: EvidenceReport, finals = false): string[][] {
  const keys = [...new Set(rep.rows.map((r) => `${r.task}\u0000${r.algo}`))];
  const find = (task: string, algo: string, mode: string): ReportRow | undefined => rep.rows.find((r) => r.task === task && r.algo === algo && r.mode === mode);
  const cell = (r: ReportRow | undefined) => (r ? `${f3(r.iqm)} [${f3(r.ci_low)}, ${f3(r.ci_high)}]` : '-');
  const tasks = [...new Set(rep.rows.map((r) => r.task))];
  const out: string[][] = [];
  for (const task of tasks) {
    const algos = keys.filter((k) => k.startsWith(`${task}\u0000`)).map((k) => k.split('\u0000')[1]!).sort((a, b) => algoRank(a) - algoRank(b));
    for (const algo of algos) {
      const d = find(task, algo, 'deterministic');
      const s = find(task, algo, 'stochastic');
      const line = [task, algo, String(d?.n ?? s?.n ?? 0), learningStepsText((d ?? s)?.learningSteps ?? []), cell(d), cell(s), d ? d.convergence.verdict : '-'];
      if (finals) line.push(d ? d.finals.map(perRunText).join(', ') : '-');
      out.push(line);
    }
  }
  return out;
}

function pairCell(rep: EvidenceReport, task: string, x: string, y: string): string {
  const p = rep.pairs.find((q) => q.task === task && q.mode === 'deterministic' && q.x === x && q.y === y);
  return p ? `${f2(p.p)} [${f2(p.ci_low)}, ${f2(p.ci_high)}]` : '-';
}

const TABLE_HEAD = ['task', 'algorithm', 'N', 'learning steps', 'deterministic IQM [95% CI]', 'stochastic IQM [95% CI]', 'end of budget (deterministic)'];
const PAIR_NAMES: Record<string, string> = { ppo: 'PPO', sac: 'SAC', 'sac-auto': 'SAC auto', 'sac-adaent': 'SAC-AdaEnt', td3: 'TD3' };
const PAIR_HEAD = ['task', ...SHOWN_PAIRS.map(([x, y]) => `P(${PAIR_NAMES[x]} > ${PAIR_NAMES[y]})`)];

/** Heading of the sensitivity column. */
const SENSITIVITY_HEAD = `on the mean of the last ${SENSITIVITY_LAST_EVALS} evaluations`;

function pairLines(rep: EvidenceReport): string[][] {
  return [...new Set(rep.rows.map((r) => r.task))].map((t) => [t, ...SHOWN_PAIRS.map(([x, y]) => pairCell(rep, t, x, y))]);
}

const UNMEASURED_TEXT = "not measured yet (the campaign's cells without a completed run; a claim that needs one says 'too few runs')";

const SCORE_TEXT =
  "Final evaluation return: per run, the mean over the episodes of its last evaluation in that mode; IQM over runs (N) with its 95% stratified-bootstrap percentile interval (2,000 resamples, seed 0), as `lab compare` computes it. P(X > Y): probability of improvement on the final deterministic return, with its 95% interval. Learning steps: per run, after the off-policy warm-up; runs of a task at another budget than the quick preset's are reported apart, under the task named with their budget.";

/** The small-sample caveats of the table, one per distinct N below 5. */
const ci = intervalText;

/** The pooled claim in text: its verdict line, then per mode each algorithm's aggregates and P. */
function pooledLines(p: PooledVerdict): string[] {
  const out = [`pooled over ${p.tasks.length > 0 ? p.tasks.join(', ') : 'no task'}: ${p.claim} -> ${p.verdict}: ${p.reason}`];
  for (const m of p.missing) out.push(`  not pooled: ${m.task} (${m.reason})`);
  for (const m of p.modes) {
    out.push(`  ${m.mode}: P(${POOLED_CLAIM.x} > ${POOLED_CLAIM.y}) = ${ci(m.p, m.ci_low, m.ci_high)}; ${m.algos.map((a) => `${a.algo} (${a.runs} runs) IQM ${ci(a.iqm, a.ci_low, a.ci_high)}, optimality gap ${ci(a.gap, a.gap_low, a.gap_high)}`).join('; ')}`);
    out.push(`    normalised per task over these runs: ${m.ranges.join('; ')}`);
  }
  return out;
}

function caveats(rep: EvidenceReport): string[] {
  return [...new Set(rep.rows.map((r) => r.caveat).filter((c): c is string => c !== null))];
}

export function formatText(rep: EvidenceReport): string {
  const out: string[] = [`evidence report from ${rep.source}`, SCORE_TEXT, ''];
  if (rep.rows.length === 0) out.push('no completed run with a final evaluation');
  else out.push(pad([TABLE_HEAD, ...tableLines(rep)]), ...caveats(rep).map((c) => `caveat: ${c}`), '', pad([PAIR_HEAD, ...pairLines(rep)]));
  out.push('', 'verdicts (paper.md table):');
  out.push(pad([['task', 'claim', 'verdict', SENSITIVITY_HEAD, 'why'], ...rep.verdicts.map((v) => [v.task, v.claim, v.verdict, sensitivityText(v), v.reason])]));
  out.push('', ...pooledLines(rep.pooled));
  out.push('', 'rule:', rep.rule, rep.convergenceRule);
  for (const e of rep.excluded) out.push(`excluded: run ${e.runId} (${e.task}, ${e.algo}): ${e.reason}`);
  if (rep.unmeasured.length > 0) out.push('', `${UNMEASURED_TEXT}:`, ...rep.unmeasured.map((c) => `  ${c.task}: ${c.algos.join(', ')} (${c.command})${cellProgressNote(rep.inProgress?.pieces ?? [], c)}`));
  const pieces = rep.inProgress?.pieces ?? [];
  if (pieces.length > 0) out.push('', `in progress (campaign pieces in ${rep.inProgress!.dir}, not in the table until they complete):`, ...pieces.map((p) => `  ${pieceText(p)}`));
  return `${out.join('\n')}\n`;
}

/** A piece's progress: its runs' steps of the budget and when it was written. */
function pieceText(p: PieceSummary): string {
  if (p.error) return `${p.file}: unreadable (${p.error})`;
  const ev = pieceEvalText(p);
  return `${p.tasks.join(', ')}: ${p.algos.join(', ')}, ${pieceProgress(p)}${ev ? `; ${ev}` : ''}${p.command ? `; continue: ${p.command}` : ''}`;
}

function mdTable(rows: string[][]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [`| ${rows[0]!.map(esc).join(' | ')} |`, `|${rows[0]!.map(() => '---').join('|')}|`, ...rows.slice(1).map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

/** Per task: evaluation curves in each mode and the modes chart, as SVG documents. */
export function taskFigures(store: Store, rep: EvidenceReport): { task: string; name: string; svg: string }[] {
  const out: { task: string; name: string; svg: string }[] = [];
  const tasks = [...new Set(rep.rows.map((r) => r.task))];
  for (const task of tasks) {
    const ids = [...new Set(rep.rows.filter((r) => r.task === task).flatMap((r) => r.runIds))];
    const runs = ids.map((id) => store.runs.require(id));
    const algos = [...new Set(runs.map((r) => r.algo))].sort((a, b) => algoRank(a) - algoRank(b));
    const colors = new Map(algos.map((a, i) => [a, groupColor(i)]));
    const panels = buildPanels(store, runs, [{ kind: 'eval', mode: 'deterministic' }, { kind: 'eval', mode: 'stochastic' }], {
      groupBy: 'algo', x: 'learning', smoothing: 0, statistic: 'iqm', band: 'bootstrap', gridPoints: 200, members: false, maxPoints: 400, bootstrap: rep.bootstrap,
    });
    for (const p of panels) {
      const name = `${labelSlug(task)}-curve-${p.source.kind === 'eval' ? p.source.mode : 'metric'}.svg`;
      out.push({ task, name, svg: chartSvg(panelSpec(p, colors, { xLabel: "learning steps (after each run's off-policy warm-up; below 0: during it)", smoothing: 0, titleSuffix: ` — ${task}` })) });
    }
    const reports = {
      deterministic: buildFinalReport(store, runs, { groupBy: 'algo', mode: 'deterministic', bootstrap: rep.bootstrap, profilePoints: 5, ranges: {} }),
      stochastic: buildFinalReport(store, runs, { groupBy: 'algo', mode: 'stochastic', bootstrap: rep.bootstrap, profilePoints: 5, ranges: {} }),
    };
    const modes = modesSpec(reports);
    out.push({ task, name: `${labelSlug(task)}-modes.svg`, svg: chartSvg({ ...modes, title: `${modes.title} — ${task}` }) });
    const frame = replayFrameFigure(store, runs, task, colors);
    if (frame) out.push({ task, name: `${labelSlug(task)}-ppo-vs-sac.svg`, svg: frame });
  }
  return out;
}

/**
 * PPO beside SAC (the spec's alpha) from the same evaluation start state: the last frame of each
 * one's recorded deterministic episode, drawn by the lab's scene code (src-core/draw) with the path
 * that led there, from the latest recorded pair that shares a start (src-core/stats/same-start.ts).
 * Null when the task is not drawable or no such pair was recorded.
 */
export function replayFrameFigure(store: Store, runs: readonly RunRecord[], task: string, colors: ReadonlyMap<string, string>): string | null {
  const env = runs[0]?.envId;
  if (!env || !isDrawable(env)) return null;
  const of = (algo: string) =>
    runs
      .filter((r) => r.algo === algo)
      .sort((a, b) => a.seed - b.seed)
      .map((r) => ({ r, seed: r.seed, episodes: store.trajectories.list(r.id).filter((t) => t.mode === 'deterministic') }));
  const found = sameStartPair(of('ppo'), of('sac'));
  if (!found) return null;
  const pair = [found[0], found[1]].map(({ run, episode }) => ({ r: run.r, t: episode, last: Math.max(...run.episodes.map((e) => e.step)) }));
  const start = found[0].episode.startSeed;
  const panels: ReplayPanel[] = pair.map(({ r, t, last }) => {
    const tr = store.trajectories.get(t.id)!;
    const frames = drawEpisode(r.envId, r.variant, r.envParams, tr.states, tr.stateDim, tr.actions, tr.actDim);
    const ret = Array.from(tr.rewards).reduce((a, b) => a + b, 0);
    return {
      heading: [`${r.algo} (seed ${r.seed}): return ${ret.toFixed(3)} over ${tr.length} steps`, `evaluation at step ${t.step}${t.step === last ? ' (its last)' : ` (its last: ${last})`}, deterministic, episode ${t.episode}; frame ${frames.length - 1} (the last)`],
      scenery: drawScenery(r.envId, r.variant, r.envParams),
      frames,
      k: frames.length - 1,
      color: colors.get(r.algo) ?? '#333',
    };
  });
  return replayFramesSvg(`PPO beside SAC, deterministic evaluation episodes from the same start (seed ${start}; PPO at step ${found[0].episode.step}, SAC at ${found[1].episode.step}) — ${task}`, panels);
}

/** docs/results.md (or `file`) and its figures in a folder beside it named after it, the in-progress pieces' (src-main/evidence/piece-figure.ts) among them. */
export function writeMarkdown(store: Store, rep: EvidenceReport, file: string, command: string, figs: readonly PieceFigure[]): { file: string; figures: number } {
  const figName = basename(file).replace(/\.md$/, '');
  const figDir = join(file, '..', figName);
  mkdirSync(figDir, { recursive: true });
  const figures = new Map<string, string[]>();
  const pieceFigureNames = new Set<string>();
  for (const f of taskFigures(store, rep)) {
    writeFileSync(join(figDir, f.name), f.svg);
    (figures.get(f.task) ?? figures.set(f.task, []).get(f.task)!).push(f.name);
  }
  const md: string[] = [
    '# Results: what the lab finds on the paper\'s tasks',
    '',
    `Written by \`${command}\` from ${rep.source}; do not edit by hand. These are the lab's own numbers, not the paper's.`,
    '',
    SCORE_TEXT,
    '',
  ];
  if (rep.rows.length === 0) md.push('No completed run with a final evaluation yet.', '');
  else md.push(mdTable([[...TABLE_HEAD, 'final deterministic return per run (highest first)'], ...tableLines(rep, true)]), '', ...caveats(rep).map((c) => `Caveat: ${c}.\n`), mdTable([PAIR_HEAD, ...pairLines(rep)]), '');
  md.push('## Verdicts on the paper\'s table (../shared/spec/paper.md)', '');
  md.push(mdTable([['task', 'claim', 'paper', 'verdict', 'why', `sensitivity: ${SENSITIVITY_HEAD}`], ...rep.verdicts.map((v) => [v.task, v.claim, v.paper, `**${v.verdict}**`, v.reason, sensitivityText(v)])]), '');
  const pv = rep.pooled;
  md.push(`**The paper's summary claim, pooled** (${pv.paper}; added after the per-task results were seen, decided by the same rule): "${pv.claim}" over ${pv.tasks.join(', ') || 'no task'}: **${pv.verdict}** (${pv.reason}).${pv.missing.map((m) => ` Not pooled: ${m.task} (${m.reason}).`).join('')}`, '');
  const pm = rep.pooled.modes;
  if (pm.length > 0) {
    md.push(mdTable([['mode', 'algorithm', 'runs', 'IQM of normalised scores [95% CI]', 'optimality gap [95% CI]', `P(${POOLED_CLAIM.x} > ${POOLED_CLAIM.y})`], ...pm.flatMap((m) => m.algos.map((a) => [m.mode, a.algo, String(a.runs), ci(a.iqm, a.ci_low, a.ci_high), ci(a.gap, a.gap_low, a.gap_high), ci(m.p, m.ci_low, m.ci_high)]))]), '');
    md.push(`Scores min-max normalised per task over these runs (1: the best of them, not a solved task): ${pm.map((m) => `${m.mode}: ${m.ranges.join('; ')}`).join('. ')}.`, '');
  }
  md.push('**Deciding rule.** ' + rep.rule.split('\n').join(' '), '');
  md.push(rep.convergenceRule.replace(/^End of budget:/, '**End of budget:**'), '');
  if (rep.excluded.length > 0) {
    md.push('Runs left out:', '');
    for (const e of rep.excluded) md.push(`- run ${e.runId} (${e.task}, ${e.algo}): ${e.reason}`);
    md.push('');
  }
  if (rep.unmeasured.length > 0) {
    md.push('## Not measured yet', '', `The campaign's cells (\`lab reproduce\`: task x ${CAMPAIGN_ALGOS.map((a) => a.label).join(', ')}) with no completed run in ${rep.source}; a claim that needs one is not reproduced for want of runs ('too few runs' above). \`lab reproduce TASK --algos A,B --plan --measure\` estimates what measuring them costs on your machine; on a Slurm cluster, add \`--on slurm --workdir DIR\` to any command below (docs/cluster.md).`, '');
    const progress = rep.unmeasured.map((c) => cellProgress(rep.inProgress?.pieces ?? [], c));
    const withProgress = progress.some((x) => x !== '');
    md.push(mdTable([['task', 'algorithms', 'command', ...(withProgress ? ['in progress (below)'] : [])], ...rep.unmeasured.map((c, i) => [c.task, c.algos.join(', '), `\`${c.command}\``, ...(withProgress ? [progress[i]!] : [])])]), '');
  }
  const pieces = rep.inProgress?.pieces ?? [];
  if (pieces.length > 0) {
    md.push('## In progress', '', `Experiments of the campaign still training, as the last machine left them: the pieces in \`${rep.inProgress!.dir}\` (campaign/README.md). None is in the table above until it completes; each continues with its command.`, '');
    md.push(mdTable([['task', 'algorithms', 'progress', 'latest evaluation', 'piece', 'continue with'], ...pieces.map((p) => (p.error ? ['', '', `unreadable: ${p.error}`, '', p.file, ''] : [p.tasks.join(', '), p.algos.join(', '), pieceProgress(p), pieceEvalText(p), p.file, p.command ? `\`${p.command}\`` : '']))]), '');
    if (figs.length > 0) {
      md.push("Each piece's deterministic evaluation return so far, seed by seed (thin lines; thick: the mean over its seeds, band: lowest to highest), beside the completed runs of the algorithms the report pairs it with, of the same seeds and budget, up to the same learning step. Interim: it decides nothing.", '');
      for (const f of figs) {
        writeFileSync(join(figDir, f.name), f.svg);
        pieceFigureNames.add(f.name);
        md.push(`![${f.name}](${figName}/${f.name})`);
      }
      md.push('');
    }
  }
  // a piece's figure goes when the piece does (completed: its task's figures take over)
  for (const f of readdirSync(figDir)) if (f.endsWith(PIECE_FIGURE_SUFFIX) && !pieceFigureNames.has(f)) rmSync(join(figDir, f));
  md.push('## Figures', '');
  if (figures.size > 0) {
    md.push(
      "Per task: the evaluation return curves over training in each mode (IQM over runs per algorithm with its 95% bootstrap band) against learning steps, the steps after each run's off-policy warm-up (the budget's unit, equal across a task's algorithms; the warm-up's evaluations of the initial policy sit below 0), deterministic against stochastic final returns, and PPO beside SAC: the last frame of each one's recorded deterministic evaluation episode from the same start state (their final evaluations', or the latest evaluation at which both recorded one from a shared start), with the path that led there, drawn by the lab's scene code (src-core/draw/svg).",
      '',
    );
  }
  let count = 0;
  for (const [task, files] of figures) {
    md.push(`### ${task}`, '');
    for (const f of files) {
      md.push(`![${f}](${figName}/${f})`);
      count++;
    }
    md.push('');
  }
  writeFileSync(file, `${md.join('\n')}\n`);
  return { file, figures: count + pieceFigureNames.size };
}
