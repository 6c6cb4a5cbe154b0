// The figures and files of a landscape (issue 15), built from the analysis.landscape result: SVG
// charts (1-D: Q values and densities as curves with AdaEnt's sampled actions marked; 2-D: one
// heatmap per layer), the same SVG drawn in the view and exported, and a CSV whose header lines say
// what every column is (network, run, alpha, state); and an episode's critical-state scores as a
// figure (their CSV: src-core/analysis/critical-table.ts, shared with `lab critical`). No DOM here:
// PNG export rasterises the SVG (./svg-png.ts).
import type { CriticalResult, LandscapeLayer, LandscapeResult } from '../../../src-core/contract/methods/analysis.ts';

const W = 560;
const H = 260;
const M = { l: 62, r: 12, t: 30, b: 42 };
const COLORS: Record<LandscapeLayer['key'], string> = { q_soft: '#e15759', q_plain: '#4e79a7', policy_density: '#59a14f', boltzmann: '#b07aa1' };

export interface Figure {
  /** What the figure shows, for its caption and file name. */
  title: string;
  svg: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const n4 = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : 'n/a');

function axisName(r: LandscapeResult, k: number): string {
  return `a${k}: ${r.actionNames[k] ?? `action ${k}`}`;
}

function range(values: number[][]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) for (const x of v) if (Number.isFinite(x)) (lo = Math.min(lo, x)), (hi = Math.max(hi, x));
  if (lo === Infinity) return [0, 1];
  if (lo === hi) return [lo - 0.5, hi + 0.5];
  return [lo, hi];
}

function frame(title: string, xLabel: string, yLabel: string, [x0, x1]: [number, number], [y0, y1]: [number, number], body: string, legend: string): string {
  const ticks = [0, 0.5, 1]
    .map((f) => {
      const x = M.l + f * (W - M.l - M.r);
      const y = H - M.b - f * (H - M.t - M.b);
      return `<text x="${x}" y="${H - M.b + 14}" text-anchor="middle">${n4(x0 + f * (x1 - x0))}</text><text x="${M.l - 4}" y="${y + 4}" text-anchor="end">${n4(y0 + f * (y1 - y0))}</text>`;
    })
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="10">` +
    `<rect width="${W}" height="${H}" fill="#fff"/>` +
    `<text x="${W / 2}" y="12" text-anchor="middle" font-size="11">${esc(title)}</text>` +
    body +
    `<rect x="${M.l}" y="${M.t}" width="${W - M.l - M.r}" height="${H - M.t - M.b}" fill="none" stroke="#444"/>` +
    ticks +
    `<text x="${(M.l + W - M.r) / 2}" y="${H - 6}" text-anchor="middle">${esc(xLabel)}</text>` +
    `<text transform="translate(12 ${(M.t + H - M.b) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>` +
    legend +
    `</svg>`
  );
}

function curves(r: LandscapeResult, layers: LandscapeLayer[], title: string, yLabel: string, marks: number[]): Figure {
  const xr: [number, number] = [r.x[0]!, r.x[r.x.length - 1]!];
  const yr = range(layers.map((l) => l.values));
  const px = (x: number) => M.l + ((x - xr[0]) / (xr[1] - xr[0])) * (W - M.l - M.r);
  const py = (y: number) => H - M.b - ((y - yr[0]) / (yr[1] - yr[0])) * (H - M.t - M.b);
  let body = '';
  for (const l of layers) {
    const d = l.values.map((v, i) => `${i ? 'L' : 'M'}${px(r.x[i]!).toFixed(1)},${py(v).toFixed(1)}`).join('');
    body += `<path d="${d}" fill="none" stroke="${COLORS[l.key]}" stroke-width="1.5"><title>${esc(l.label)}</title></path>`;
  }
  for (const a of marks) body += `<line x1="${px(a).toFixed(1)}" x2="${px(a).toFixed(1)}" y1="${H - M.b}" y2="${H - M.b - 6}" stroke="#000" stroke-opacity="0.5"/>`;
  const legend = layers.map((l, i) => `<text x="${M.l + 4}" y="${M.t + 12 + 12 * i}" fill="${COLORS[l.key]}">${esc(l.label)}</text>`).join('');
  return { title, svg: frame(title, axisName(r, r.axes[0]!), yLabel, xr, yr, body, legend) };
}

/** A viridis-like ramp from low (dark blue) to high (yellow). */
function ramp(f: number): string {
  const stops = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  const p = Math.min(0.9999, Math.max(0, f)) * (stops.length - 1);
  const i = Math.floor(p);
  const t = p - i;
  const c = stops[i]!.map((v, k) => Math.round(v + t * (stops[i + 1]![k]! - v)));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

function heatmap(r: LandscapeResult, l: LandscapeLayer, held: string): Figure {
  const y = r.y!;
  const nx = r.x.length;
  const [lo, hi] = range([l.values]);
  const cw = (W - M.l - M.r) / nx;
  const ch = (H - M.t - M.b) / y.length;
  let body = '';
  for (let iy = 0; iy < y.length; iy++) {
    for (let ix = 0; ix < nx; ix++) {
      const v = l.values[iy * nx + ix]!;
      body += `<rect x="${(M.l + ix * cw).toFixed(2)}" y="${(H - M.b - (iy + 1) * ch).toFixed(2)}" width="${(cw + 0.3).toFixed(2)}" height="${(ch + 0.3).toFixed(2)}" fill="${ramp((v - lo) / (hi - lo))}"/>`;
    }
  }
  const legend = `<text x="4" y="${H - 6}">colour: ${n4(lo)} (dark) to ${n4(hi)} (yellow)</text>`;
  const title = `${l.label}, ${r.stateLabel}${held ? `; ${held}` : ''}`;
  return { title, svg: frame(title, axisName(r, r.axes[0]!), axisName(r, r.axes[1]!), [r.x[0]!, r.x[nx - 1]!], [y[0]!, y[y.length - 1]!], body, legend) };
}

/** The held values of the action components not shown, as text. */
export function heldText(r: LandscapeResult): string {
  const others = r.held.map((v, k) => ({ v, k })).filter(({ k }) => !r.axes.includes(k));
  if (others.length === 0) return '';
  return `held: ${others.map(({ v, k }) => `a${k} = ${n4(v)}`).join(', ')} (${r.heldFrom})`;
}

/** Every figure of a landscape: two curve charts for one axis, one heatmap per layer for two. */
export function landscapeFigures(r: LandscapeResult): Figure[] {
  const held = heldText(r);
  if (r.y === null) {
    const marks = r.adaent ? r.adaent.samples.filter((_, i) => i % Math.max(1, r.actionNames.length) === r.axes[0]) : [];
    const q = r.layers.filter((l) => l.key === 'q_soft' || l.key === 'q_plain');
    const p = r.layers.filter((l) => l.key === 'policy_density' || l.key === 'boltzmann');
    const out: Figure[] = [];
    const suffix = `, ${r.stateLabel}${held ? `; ${held}` : ''}`;
    if (q.length) out.push(curves(r, q, `Q values${suffix}`, 'Q(s, a)', marks));
    if (p.length) out.push(curves(r, p, `densities over the shown axis${suffix}`, 'density', marks));
    return out;
  }
  return r.layers.map((l) => heatmap(r, l, held));
}

const q = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** The landscape as CSV: '#' lines saying what it is, a header, one row per grid point. */
export function landscapeCsv(r: LandscapeResult): string {
  const lines = [
    `# MaxEnt Lab landscape: ${r.title}`,
    `# state: ${r.stateLabel}; observation [${r.observation.join(', ')}]${r.state ? `; state [${r.state.join(', ')}]` : ''}`,
    `# environment: ${r.envId}/${r.variant}; action units: ${r.units}`,
    `# shown axes: ${r.axes.map((k) => axisName(r, k)).join(' x ')}${heldText(r) ? `; ${heldText(r)}` : ''}`,
    `# alpha: ${r.alpha === null ? 'none (no entropy term)' : r.alpha}`,
    `# V_soft: ${r.vSoft ? `${r.vSoft.value} (${r.vSoft.method})` : 'n/a'}`,
    ...(r.stateValue !== null ? [`# PPO V(s): ${r.stateValue}`] : []),
    ...(r.adaent ? [`# AdaEnt: min-shifted cosine ${r.adaent.cosine}, threshold ${r.adaent.threshold} (${r.adaent.thresholdFrom}), follows plain Q: ${r.adaent.followsPlain ? 'yes' : 'no'}; ${r.adaent.sources}`] : []),
    ...(r.peak ? [`# plain-Q peakedness: ${r.peak.peakedness} (share within 10% of the range from the best ${r.peak.share}); ${r.peak.definition}`] : []),
    ...r.missing.map((m) => `# missing layer ${m.key}: ${m.reason}`),
  ];
  const cols = [q(axisName(r, r.axes[0]!)), ...(r.y ? [q(axisName(r, r.axes[1]!))] : []), ...r.layers.map((l) => q(`${l.key}: ${l.label}`))];
  lines.push(cols.join(','));
  const ny = r.y ? r.y.length : 1;
  for (let iy = 0; iy < ny; iy++) {
    for (let ix = 0; ix < r.x.length; ix++) {
      const i = iy * r.x.length + ix;
      lines.push([r.x[ix]!, ...(r.y ? [r.y[iy]!] : []), ...r.layers.map((l) => l.values[i]!)].join(','));
    }
  }
  return lines.join('\n') + '\n';
}

/** An episode's critical-state scores as one chart: peakedness and cosine per step, critical steps shaded. */
export function criticalFigure(c: CriticalResult, episode: string): Figure {
  const T = c.peakedness.length;
  const xr: [number, number] = [0, Math.max(1, T - 1)];
  const finite = [...c.peakedness, ...c.cosine].filter((v): v is number => v !== null);
  const yr: [number, number] = [Math.min(0, ...finite), 1];
  const px = (x: number) => M.l + ((x - xr[0]) / (xr[1] - xr[0])) * (W - M.l - M.r);
  const py = (y: number) => H - M.b - ((y - yr[0]) / (yr[1] - yr[0])) * (H - M.t - M.b);
  let body = '';
  c.critical.forEach((crit, t) => {
    if (crit) body += `<rect x="${(px(t) - 3).toFixed(1)}" y="${M.t}" width="6" height="${H - M.t - M.b}" fill="#c62828" fill-opacity="0.25"/>`;
  });
  const series = [
    { name: 'plain-Q peakedness', values: c.peakedness, color: '#4e79a7' },
    { name: `soft/plain min-shifted cosine${c.threshold !== null ? ` (threshold ${c.threshold})` : ''}`, values: c.cosine, color: '#e15759' },
  ];
  for (const s of series) {
    let d = '';
    s.values.forEach((v, t) => {
      if (v !== null) d += `${d && s.values[t - 1] !== null ? 'L' : 'M'}${px(t).toFixed(1)},${py(v).toFixed(1)}`;
    });
    body += `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.5"/>`;
  }
  const legend = [...series.map((s, i) => `<text x="${M.l + 4}" y="${M.t + 12 + 12 * i}" fill="${s.color}">${esc(s.name)}</text>`), `<text x="${M.l + 4}" y="${M.t + 36}" fill="#c62828">shaded: critical steps</text>`].join('');
  const title = `critical states along ${episode}; ${c.title}`;
  return { title, svg: frame(title, 'episode step t (the state the t-th action was taken in)', 'score', xr, yr, body, legend) };
}
