// Exports of exactly what a Compare chart plots: CSV (long format, one row per plotted point, with
// the aggregation columns statistic value, band lower and upper, N and the legend text) and SVG
// (vector drawing of the same series: bands, aggregate lines, member runs, axes, legend).
// Pure string builders: no DOM, testable in Node.
import type { BandChartSpec, CompareChartSpec, IntervalChartSpec } from './compare-spec.ts';

function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function row(cells: (string | number | null | undefined)[]): string {
  return cells.map(csvCell).join(',');
}

function metaCols(spec: CompareChartSpec): [string[], string[]] {
  const keys = Object.keys(spec.meta).sort();
  return [keys, keys.map((k) => spec.meta[k]!)];
}

function bandCsv(spec: BandChartSpec): string {
  const [mk, mv] = metaCols(spec);
  const lines = [row(['chart', 'series', 'kind', 'run_id', 'x', 'value', 'lower', 'upper', 'n', 'x_label', 'y_label', 'legend', ...mk])];
  for (const b of spec.bands) {
    for (let i = 0; i < b.x.length; i++) {
      lines.push(row([spec.title, b.label, 'aggregate', null, b.x[i], b.center[i], b.lower[i], b.upper[i], b.n[i], spec.xLabel, spec.yLabel, b.legend, ...mv]));
    }
  }
  for (const m of spec.members) {
    for (let i = 0; i < m.x.length; i++) {
      lines.push(row([spec.title, m.group, m.kind === 'raw' ? 'member_raw' : 'member_smoothed', m.runId, m.x[i], m.y[i], null, null, null, spec.xLabel, spec.yLabel, m.label, ...mv]));
    }
  }
  return `${lines.join('\n')}\n`;
}

function intervalCsv(spec: IntervalChartSpec): string {
  const [mk, mv] = metaCols(spec);
  const lines = [row(['chart', 'group', 'series', 'statistic', 'value', 'lower', 'upper', 'n', ...mk])];
  for (const p of spec.points) lines.push(row([spec.title, p.category, p.series, spec.statistic, p.value, p.lower, p.upper, p.n, ...mv]));
  return `${lines.join('\n')}\n`;
}

/** CSV of exactly the plotted series of a chart, with aggregation columns. */
export function chartCsv(spec: CompareChartSpec): string {
  return spec.kind === 'bands' ? bandCsv(spec) : intervalCsv(spec);
}

// ---- SVG ----

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Round tick values covering [lo, hi] (about `count` of them). */
export function niceTicks(lo: number, hi: number, count = 6): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (hi === lo) {
    hi = lo + 1;
    lo -= 1;
  }
  const raw = (hi - lo) / Math.max(1, count - 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

function fmt(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(1);
  return String(Number(v.toPrecision(6)));
}

interface Frame {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const sx = (f: Frame, x: number) => f.left + ((x - f.x0) / (f.x1 - f.x0 || 1)) * (f.right - f.left);
const sy = (f: Frame, y: number) => f.bottom - ((y - f.y0) / (f.y1 - f.y0 || 1)) * (f.bottom - f.top);

function path(f: Frame, xs: readonly number[], ys: readonly (number | null)[]): string {
  let d = '';
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    const y = ys[i];
    if (y === null || y === undefined || !Number.isFinite(y)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${sx(f, xs[i]!).toFixed(2)},${sy(f, y).toFixed(2)}`;
    pen = true;
  }
  return d;
}

/** The band polygon(s): upper forward, lower backward, split where either is undefined. */
function bandPath(f: Frame, xs: readonly number[], lo: readonly (number | null)[], hi: readonly (number | null)[]): string {
  let d = '';
  let start = -1;
  const ok = (i: number) => Number.isFinite(lo[i] ?? Number.NaN) && Number.isFinite(hi[i] ?? Number.NaN);
  for (let i = 0; i <= xs.length; i++) {
    if (i < xs.length && ok(i)) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0) {
      let seg = '';
      for (let k = start; k < i; k++) seg += `${k === start ? 'M' : 'L'}${sx(f, xs[k]!).toFixed(2)},${sy(f, hi[k]!).toFixed(2)}`;
      for (let k = i - 1; k >= start; k--) seg += `L${sx(f, xs[k]!).toFixed(2)},${sy(f, lo[k]!).toFixed(2)}`;
      d += `${seg}Z`;
      start = -1;
    }
  }
  return d;
}

function extent(values: Iterable<number | null>): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

function axes(f: Frame, xLabel: string, yLabel: string, xTicks: { v: number; label: string }[], yTicks: number[], width: number, height: number): string {
  const parts: string[] = [];
  parts.push(`<rect x="${f.left}" y="${f.top}" width="${f.right - f.left}" height="${f.bottom - f.top}" fill="none" stroke="#999"/>`);
  for (const t of yTicks) {
    const y = sy(f, t).toFixed(2);
    parts.push(`<line x1="${f.left}" x2="${f.right}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    parts.push(`<text x="${f.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${esc(fmt(t))}</text>`);
  }
  for (const t of xTicks) {
    const x = sx(f, t.v).toFixed(2);
    parts.push(`<line x1="${x}" x2="${x}" y1="${f.bottom}" y2="${f.bottom + 4}" stroke="#999"/>`);
    parts.push(`<text x="${x}" y="${f.bottom + 16}" text-anchor="middle">${esc(t.label)}</text>`);
  }
  parts.push(`<text x="${(f.left + f.right) / 2}" y="${height - 8}" text-anchor="middle">${esc(xLabel)}</text>`);
  parts.push(`<text transform="translate(14 ${(f.top + f.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`);
  void width;
  return parts.join('\n');
}

function legend(entries: { color: string; text: string }[], x: number, y: number): string {
  return entries
    .map((e, i) => `<rect x="${x}" y="${y + i * 16 - 9}" width="12" height="10" fill="${e.color}"/><text x="${x + 18}" y="${y + i * 16}">${esc(e.text)}</text>`)
    .join('\n');
}

/** The chart as a standalone SVG document (width x height user units). */
export function chartSvg(spec: CompareChartSpec, width = 800, height = 480): string {
  const legendRows = spec.kind === 'bands' ? spec.bands.length : spec.series.length;
  const top = 34 + legendRows * 16;
  const f0 = { left: 70, right: width - 20, top, bottom: height - 46 };
  const body: string[] = [];
  let xTicks: { v: number; label: string }[];
  let yTicks: number[];
  let f: Frame;
  if (spec.kind === 'bands') {
    const allX = [...spec.bands.flatMap((b) => b.x), ...spec.members.flatMap((m) => m.x)];
    const allY = [...spec.bands.flatMap((b) => [...b.lower, ...b.upper, ...b.center]), ...spec.members.flatMap((m) => m.y), ...(spec.refLines ?? []).map((r) => r.y)];
    const [xl, xh] = spec.xMin !== undefined && spec.xMax !== undefined ? [spec.xMin, spec.xMax] : extent(allX);
    const [yl, yh] = extent(allY);
    yTicks = niceTicks(yl, yh);
    const xt = niceTicks(xl, xh);
    if (spec.yMin !== undefined && spec.yMax !== undefined) yTicks = niceTicks(spec.yMin, spec.yMax);
    f = {
      ...f0,
      x0: xl,
      x1: xh > xl ? xh : xl + 1,
      y0: spec.yMin ?? Math.min(yl, yTicks[0] ?? yl),
      y1: spec.yMax ?? Math.max(yh, yTicks[yTicks.length - 1] ?? yh),
    };
    xTicks = xt.map((v) => ({ v, label: fmt(v) }));
    for (const m of spec.members) {
      body.push(`<path d="${path(f, m.x, m.y)}" fill="none" stroke="${m.color}" stroke-opacity="${m.kind === 'raw' ? 0.18 : 0.45}" stroke-width="1"/>`);
    }
    for (const r of spec.refLines ?? []) {
      const y = sy(f, r.y).toFixed(2);
      body.push(`<line x1="${f.left}" x2="${f.right}" y1="${y}" y2="${y}" stroke="${r.color}" stroke-dasharray="6 4"/><text x="${f.left + 4}" y="${Number(y) - 4}" fill="${r.color}">${esc(r.label)}</text>`);
    }
    for (const b of spec.bands) {
      body.push(`<path d="${bandPath(f, b.x, b.lower, b.upper)}" fill="${b.color}" fill-opacity="0.2" stroke="none"/>`);
      body.push(`<path d="${path(f, b.x, b.center)}" fill="none" stroke="${b.color}" stroke-width="2"/>`);
    }
    body.push(legend(spec.bands.map((b) => ({ color: b.color, text: `${b.label}: ${b.legend}` })), f.left, 30));
  } else {
    const [yl, yh] = extent(spec.points.flatMap((p) => [p.lower, p.upper, p.value]));
    yTicks = niceTicks(yl, yh);
    f = { ...f0, x0: -0.5, x1: spec.categories.length - 0.5, y0: Math.min(yl, yTicks[0] ?? yl), y1: Math.max(yh, yTicks[yTicks.length - 1] ?? yh) };
    xTicks = spec.categories.map((c, i) => ({ v: i, label: c }));
    const S = spec.series.length;
    for (const p of spec.points) {
      const si = spec.series.indexOf(p.series);
      const x = sx(f, spec.categories.indexOf(p.category) + (S === 1 ? 0 : -0.18 + (0.36 * si) / (S - 1)));
      if (p.lower !== null && p.upper !== null && Number.isFinite(p.lower) && Number.isFinite(p.upper)) {
        const y0 = sy(f, p.lower);
        const y1 = sy(f, p.upper);
        body.push(`<path d="M${x},${y0}L${x},${y1}M${x - 5},${y0}L${x + 5},${y0}M${x - 5},${y1}L${x + 5},${y1}" stroke="${p.color}" stroke-width="2" fill="none"/>`);
      }
      if (p.value !== null && Number.isFinite(p.value)) body.push(`<circle cx="${x}" cy="${sy(f, p.value)}" r="5" fill="${p.color}"/>`);
    }
    const colors = spec.series.map((s) => spec.points.find((p) => p.series === s)?.color ?? '#888');
    body.push(legend(spec.series.map((s, i) => ({ color: colors[i]!, text: `${s}: ${spec.statistic}` })), f.left, 30));
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11" fill="#222">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${width / 2}" y="16" text-anchor="middle" font-size="13" font-weight="bold">${esc(spec.title)}</text>`,
    axes(f, spec.kind === 'bands' ? spec.xLabel : 'group', spec.yLabel, xTicks, yTicks, width, height),
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
