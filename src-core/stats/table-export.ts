// The final-performance table as CSV, Markdown and LaTeX, with the same numbers the screen and
// `lab compare` show. Every header says what the number is (the score label, the statistic, N).
import type { FinalTable } from './final-table.ts';

export function formatNumber(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'inf' : '-inf';
  return v.toFixed(digits);
}

/** "0.262 [0.138, 0.461]": a point estimate with its interval, 'n/a' for a missing number. */
export function intervalText(point: number | null, lower: number | null, upper: number | null, digits = 3): string {
  const f = (v: number | null) => (v === null ? 'n/a' : formatNumber(v, digits));
  return `${f(point)} [${f(lower)}, ${f(upper)}]`;
}

/** One run's final return in a list of them (per-run columns): two decimals below 10, one below 1,000, none above. */
export function perRunText(v: number): string {
  const a = Math.abs(v);
  return a < 10 ? v.toFixed(2) : a < 1000 ? v.toFixed(1) : v.toFixed(0);
}

function ciPct(t: FinalTable): string {
  return `${Math.round(t.confidence * 100)}%`;
}

/** Full precision CSV: one row per environment and group. */
export function finalTableCsv(t: FinalTable): string {
  const head = ['env', 'group', 'n', 'iqm', 'iqm_ci_lower', 'iqm_ci_upper', 'mean', 'median', 'std', 'stderr', 'min', 'max'];
  const lines = [
    `# ${t.scoreLabel}; IQM interval: ${ciPct(t)} stratified bootstrap percentile CI, ${t.resamples} resamples, seed ${t.seed}`,
    head.join(','),
  ];
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  for (const r of t.rows) {
    lines.push([q(r.env), q(r.group), r.n, r.iqm, r.iqmCI.lower, r.iqmCI.upper, r.mean, r.median, r.std, r.stderr, r.min, r.max].join(','));
  }
  return `${lines.join('\n')}\n`;
}

export function finalTableMarkdown(t: FinalTable, digits = 3): string {
  const f = (v: number) => formatNumber(v, digits);
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    `Score: ${t.scoreLabel}. IQM [${ciPct(t)} stratified bootstrap CI, ${t.resamples} resamples]; std is the sample standard deviation over runs; N = runs.`,
    '',
    '| Environment | Group | IQM [95% CI] | Mean | Std | N |'.replace('95%', ciPct(t)),
    '|---|---|---|---|---|---|',
  ];
  for (const r of t.rows) {
    lines.push(`| ${esc(r.env)} | ${esc(r.group)} | ${f(r.iqm)} [${f(r.iqmCI.lower)}, ${f(r.iqmCI.upper)}] | ${f(r.mean)} | ${f(r.std)} | ${r.n} |`);
  }
  return `${lines.join('\n')}\n`;
}

export function latexEscape(s: string): string {
  return s.replace(/[\\{}&%$#_^~]/g, (c) => (c === '\\' ? '\\textbackslash{}' : c === '^' ? '\\^{}' : c === '~' ? '\\~{}' : `\\${c}`));
}

export function finalTableLatex(t: FinalTable, digits = 3): string {
  const f = (v: number) => formatNumber(v, digits);
  const lines = [
    '\\begin{tabular}{llrrrr}',
    '\\hline',
    `Environment & Group & IQM [${latexEscape(ciPct(t))} CI] & Mean & Std & N \\\\`,
    '\\hline',
  ];
  for (const r of t.rows) {
    lines.push(`${latexEscape(r.env)} & ${latexEscape(r.group)} & ${f(r.iqm)} [${f(r.iqmCI.lower)}, ${f(r.iqmCI.upper)}] & ${f(r.mean)} & ${f(r.std)} & ${r.n} \\\\`);
  }
  lines.push('\\hline', '\\end{tabular}');
  lines.push(`% ${latexEscape(t.scoreLabel)}; IQM interval: stratified bootstrap percentile CI, ${t.resamples} resamples, seed ${t.seed}`);
  return `${lines.join('\n')}\n`;
}
