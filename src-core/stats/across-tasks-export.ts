// rliable's aggregates over environments (across-tasks.ts) as CSV, Markdown and LaTeX, with the
// numbers the Compare view and `lab compare` show and what they rest on (the normalisation ranges,
// the bootstrap) in the caption, a comment or a '#' line.
import type { FinalReport } from '../contract/methods/compare.ts';
import { rangeText } from './normalize.ts';
import { intervalText, latexEscape } from './table-export.ts';

type Iv = { point: number | null; lower: number | null; upper: number | null };

export interface AcrossTasksExport {
  confidence: number;
  resamples: number;
  /** Each environment's normalisation as printed, e.g. "acrobot [-1900.67, -673.241] (observed)". */
  ranges: string[];
  groups: { group: string; runs: number; iqm: Iv; mean: Iv; median: Iv; optimalityGap: Iv }[];
}

const pct = (a: AcrossTasksExport) => `${Math.round(a.confidence * 100)}%`;
const caption = (a: AcrossTasksExport) =>
  `rliable's aggregates over ${a.ranges.length} environments on scores min-max normalised per environment (${a.ranges.join('; ')}): IQM and optimality gap (gamma = 1) over all runs pooled, mean and median of the per-environment means; ${pct(a)} stratified bootstrap percentile CI, ${a.resamples} resamples`;
const ci = (i: Iv) => intervalText(i.point, i.lower, i.upper);
const STATS = ['iqm', 'mean', 'median', 'optimalityGap'] as const;
const COLUMN: Record<(typeof STATS)[number], string> = { iqm: 'iqm', mean: 'mean', median: 'median', optimalityGap: 'optimality_gap' };

export function acrossTasksCsv(a: AcrossTasksExport): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const full = (v: number | null) => (v === null ? '' : String(v));
  const lines = [`# ${caption(a)}`, ['group', 'runs', ...STATS.flatMap((s) => [COLUMN[s], `${COLUMN[s]}_ci_lower`, `${COLUMN[s]}_ci_upper`])].join(',')];
  for (const g of a.groups) lines.push([q(g.group), g.runs, ...STATS.flatMap((s) => [full(g[s].point), full(g[s].lower), full(g[s].upper)])].join(','));
  return `${lines.join('\n')}\n`;
}

export function acrossTasksMarkdown(a: AcrossTasksExport): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [`${caption(a)}.`, '', `| Group | Runs | IQM [${pct(a)} CI] | Mean | Median | Optimality gap |`, '|---|---|---|---|---|---|'];
  for (const g of a.groups) lines.push(`| ${esc(g.group)} | ${g.runs} | ${ci(g.iqm)} | ${ci(g.mean)} | ${ci(g.median)} | ${ci(g.optimalityGap)} |`);
  return `${lines.join('\n')}\n`;
}

export function acrossTasksLatex(a: AcrossTasksExport): string {
  const lines = ['\\begin{tabular}{lrrrrr}', '\\hline', `Group & Runs & IQM [${latexEscape(pct(a))} CI] & Mean & Median & Optimality gap \\\\`, '\\hline'];
  for (const g of a.groups) lines.push(`${latexEscape(g.group)} & ${g.runs} & ${ci(g.iqm)} & ${ci(g.mean)} & ${ci(g.median)} & ${ci(g.optimalityGap)} \\\\`);
  lines.push('\\hline', '\\end{tabular}', `% ${latexEscape(caption(a))}`);
  return `${lines.join('\n')}\n`;
}

/** The aggregates of a final report as the exports take them; null where it has none (one environment). */
export function acrossTasksExportOf(rep: FinalReport): AcrossTasksExport | null {
  const a = rep.acrossTasks;
  if (!a) return null;
  return { confidence: rep.table.confidence, resamples: rep.table.resamples, ranges: a.envs.map((e) => rangeText(e, rep.profile.ranges[e]!)), groups: a.groups };
}
