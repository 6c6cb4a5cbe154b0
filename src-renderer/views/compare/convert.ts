// Converts Compare answers from the contract into chart specs (src-renderer/charts/compare-spec.ts);
// the final table back to the core's FinalTable is src-core/stats/final-table-json.ts.
import type { FinalReport, Panel } from '../../../src-core/contract/methods/compare.ts';
import type { BandChartSpec, IntervalChartSpec } from '../../charts/compare-spec.ts';
import { niceTicks } from '../../charts/compare-export.ts';


export interface PanelView {
  xLabel: string;
  smoothing: number;
  /** Only these groups (paired panels split MaxEnt from non-MaxEnt). */
  groups?: readonly string[];
  titleSuffix?: string;
  yMin?: number;
  yMax?: number;
}

export function panelSpec(p: Panel, colors: ReadonlyMap<string, string>, v: PanelView): BandChartSpec {
  const keep = (g: string) => !v.groups || v.groups.includes(g);
  const isEval = p.source.kind === 'eval';
  const yLabel = isEval ? `evaluation return (${p.source.kind === 'eval' ? p.source.mode : ''}, mean over episodes)` : p.title;
  return {
    kind: 'bands',
    title: `${p.title}${v.titleSuffix ?? ''}`,
    xLabel: v.xLabel,
    yLabel,
    bands: p.curves.filter((c) => keep(c.group)).map((c) => ({
      label: c.group,
      legend: c.legend,
      color: colors.get(c.group) ?? '#888',
      x: c.x,
      center: c.center,
      lower: c.lower,
      upper: c.upper,
      n: c.n,
    })),
    members: p.members.filter((m) => keep(m.group)).flatMap((m) => {
      const color = colors.get(m.group) ?? '#888';
      const raw = { label: `run ${m.runId}`, runId: m.runId, group: m.group, color, kind: 'raw' as const, x: m.x, y: m.raw };
      return m.smoothed.length > 0 ? [raw, { ...raw, kind: 'smoothed' as const, x: m.smoothedX, y: m.smoothed }] : [raw];
    }),
    meta: {
      source: isEval ? `evaluation (${p.source.kind === 'eval' ? p.source.mode : ''})` : `metric ${p.title}`,
      smoothing: String(v.smoothing),
    },
    ...(v.yMin !== undefined ? { yMin: v.yMin } : {}),
    ...(v.yMax !== undefined ? { yMax: v.yMax } : {}),
  };
}

/** The shared y range of several panels (for pairs drawn side by side). */
export function sharedRange(panels: readonly Panel[], extra: readonly number[] = []): { yMin?: number; yMax?: number } {
  let lo = Math.min(Number.POSITIVE_INFINITY, ...extra);
  let hi = Math.max(Number.NEGATIVE_INFINITY, ...extra);
  for (const p of panels) {
    for (const c of p.curves) for (const arr of [c.lower, c.upper, c.center]) for (const v of arr) if (v !== null) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    for (const m of p.members) for (const v of m.raw) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  }
  return roundedRange(lo, hi);
}

/** [lo, hi] widened to round tick values, so panels drawn side by side read the same; {} when empty. */
export function roundedRange(lo: number, hi: number): { yMin?: number; yMax?: number } {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return {};
  const ticks = niceTicks(lo, hi);
  const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : 1;
  return { yMin: Math.floor(lo / step) * step, yMax: Math.ceil(hi / step) * step };
}

const MODE_COLOR = { deterministic: '#1f77b4', stochastic: '#ff7f0e' } as const;

/** Deterministic vs stochastic: IQM of the final evaluation return with its interval, per group (and env). */
export function modesSpec(reports: { deterministic: FinalReport | null; stochastic: FinalReport | null }): IntervalChartSpec {
  const modes = (['deterministic', 'stochastic'] as const).filter((m) => reports[m] !== null);
  const multiEnv = modes.some((m) => reports[m]!.table.envs.length > 1);
  const cat = (env: string, group: string) => (multiEnv ? `${env} · ${group}` : group);
  const categories = [...new Set(modes.flatMap((m) => reports[m]!.table.rows.map((r) => cat(r.env, r.group))))];
  const pct = Math.round((reports[modes[0] ?? 'deterministic']?.table.confidence ?? 0.95) * 100);
  return {
    kind: 'intervals',
    title: 'final evaluation return: deterministic vs stochastic policy',
    yLabel: 'final evaluation return',
    statistic: `IQM over runs, ${pct}% stratified bootstrap CI`,
    categories,
    series: [...modes],
    points: modes.flatMap((m) =>
      reports[m]!.table.rows.map((r) => ({
        category: cat(r.env, r.group),
        series: m,
        color: MODE_COLOR[m],
        value: r.iqm,
        lower: r.iqmCI.lower,
        upper: r.iqmCI.upper,
        n: r.n,
      })),
    ),
    meta: { score: 'final evaluation return: mean over the episodes of each run\'s last evaluation in that mode' },
  };
}

/** Performance profile of one report as a band chart (fraction of runs above each threshold). */
export function profileSpec(r: FinalReport, colors: ReadonlyMap<string, string>): BandChartSpec {
  const pct = Math.round(r.table.confidence * 100);
  return {
    kind: 'bands',
    title: `performance profile: ${r.table.scoreLabel.split(' (')[0]}`,
    xLabel: r.profile.scale === 'raw' ? 'score threshold tau (final evaluation return)' : 'normalised score threshold tau',
    yLabel: 'fraction of runs with score > tau',
    bands: r.profile.groups.map((g) => ({
      label: g.group,
      legend: `fraction of runs > tau, band: ${pct}% stratified bootstrap CI, N = ${g.n}`,
      color: colors.get(g.group) ?? '#888',
      x: r.profile.taus,
      center: g.fraction,
      lower: g.lower,
      upper: g.upper,
      n: r.profile.taus.map(() => g.n),
    })),
    members: [],
    meta: { scale: r.profile.scale, mode: r.mode ?? r.metric },
    yMin: 0,
    yMax: 1,
  };
}
