// What a Compare chart shows, independent of how it is drawn (Chart.js on screen, SVG and CSV
// exports): aggregate curves with their bands, member runs (raw faint, smoothed less faint), and
// interval charts (a dot and its interval per group, e.g. final IQM in each evaluation mode).

export interface BandSeries {
  /** Group label (e.g. "ppo"). */
  label: string;
  /** What the line and band are: "IQM, band: 95% bootstrap CI (500 resamples), N = 5". */
  legend: string;
  color: string;
  x: readonly number[];
  center: readonly (number | null)[];
  lower: readonly (number | null)[];
  upper: readonly (number | null)[];
  n: readonly number[];
}

export interface MemberLine {
  label: string;
  runId: number;
  group: string;
  color: string;
  kind: 'raw' | 'smoothed';
  x: readonly number[];
  y: readonly number[];
}

export interface BandChartSpec {
  kind: 'bands';
  title: string;
  xLabel: string;
  yLabel: string;
  bands: BandSeries[];
  members: MemberLine[];
  /** Extra columns for the CSV export (evaluation mode, smoothing weight, ...). */
  meta: Record<string, string>;
  /** Horizontal reference lines (e.g. SAC's entropy target). */
  refLines?: { y: number; label: string; color: string }[];
  /** Fixed y range (paired panels share theirs). */
  yMin?: number;
  yMax?: number;
  /** Fixed x range (paired phase plots share theirs; absent: the data's). */
  xMin?: number;
  xMax?: number;
}

export interface IntervalPoint {
  /** Category on the x axis (group). */
  category: string;
  /** Series within the category (e.g. "deterministic"). */
  series: string;
  color: string;
  value: number | null;
  lower: number | null;
  upper: number | null;
  n: number;
}

export interface IntervalChartSpec {
  kind: 'intervals';
  title: string;
  yLabel: string;
  /** What the dot and interval are: "IQM of final evaluation return, 95% stratified bootstrap CI". */
  statistic: string;
  categories: string[];
  series: string[];
  points: IntervalPoint[];
  meta: Record<string, string>;
}

export type CompareChartSpec = BandChartSpec | IntervalChartSpec;

const PALETTE = ['#4e79a7', '#e15759', '#59a14f', '#f28e2b', '#b07aa1', '#76b7b2', '#edc948', '#ff9da7', '#9c755f', '#bab0ac'];

export function groupColor(i: number): string {
  return PALETTE[i % PALETTE.length]!;
}

/** '#rrggbb' with an alpha in [0, 1] as '#rrggbbaa'. */
export function withAlpha(color: string, alpha: number): string {
  const a = Math.round(Math.max(0, Math.min(1, alpha)) * 255)
    .toString(16)
    .padStart(2, '0');
  return /^#[0-9a-f]{6}$/i.test(color) ? `${color}${a}` : color;
}
