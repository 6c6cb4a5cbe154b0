// A rollout fan (analysis.fan) as a Compare chart spec, so the Compare charts draw and export it
// (CSV of exactly what is plotted, SVG, PNG): one state variable (or the return so far) against the
// episode step, each stochastic episode a thin line, their mean with a lowest-to-highest band, and
// the deterministic episode as a line of its own. Also the returns in numbers.
import type { FanEpisode, FanResult } from '../../../src-core/contract/methods/analysis.ts';
import type { BandChartSpec } from '../../charts/compare-spec.ts';

/** A state component by index, or the return accumulated up to each step. */
export type FanVariable = number | 'return';

const STOCHASTIC = '#e15759';
const DETERMINISTIC = '#222222';

export function fanVariableName(r: FanResult, v: FanVariable): string {
  return v === 'return' ? 'return so far (sum of rewards up to the step)' : `state ${r.stateNames[v] ?? `s${v}`}`;
}

/** The variable along one episode, at steps 0..length. */
export function fanSeries(e: FanEpisode, stateDim: number, v: FanVariable): number[] {
  if (v === 'return') {
    const out = [0];
    for (const r of e.rewards) out.push(out.at(-1)! + r);
    return out;
  }
  return Array.from({ length: e.length + 1 }, (_, t) => e.states[t * stateDim + v]!);
}

export function fanSpec(r: FanResult, v: FanVariable): BandChartSpec {
  const K = r.stochastic.length;
  const series = r.stochastic.map((e) => fanSeries(e, r.stateDim, v));
  const det = fanSeries(r.deterministic, r.stateDim, v);
  const T = Math.max(det.length, ...series.map((s) => s.length));
  const x = Array.from({ length: T }, (_, t) => t);
  // per step, over the stochastic episodes still running: mean, lowest, highest, how many
  const column = x.map((t) => {
    let sum = 0;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    let n = 0;
    for (const s of series) {
      if (t >= s.length) continue;
      const v = s[t]!;
      [sum, lo, hi, n] = [sum + v, Math.min(lo, v), Math.max(hi, v), n + 1];
    }
    return n > 0 ? { mean: sum / n, lo, hi, n } : null;
  });
  const seeds = r.stochastic.map((e) => e.samplingSeed);
  return {
    kind: 'bands',
    title: `Rollout fan: ${r.label}, ${fanVariableName(r, v)}`,
    xLabel: 'episode step',
    yLabel: fanVariableName(r, v),
    bands: [
      {
        label: `stochastic (K = ${K})`,
        legend: `mean over the ${K} stochastic episodes (sampling seeds ${seeds[0]}-${seeds.at(-1)}) still running at each step, band: lowest to highest; thin lines: each episode; N: episodes running`,
        color: STOCHASTIC,
        x,
        center: column.map((c) => c?.mean ?? null),
        lower: column.map((c) => c?.lo ?? null),
        upper: column.map((c) => c?.hi ?? null),
        n: column.map((c) => c?.n ?? 0),
      },
      {
        label: 'deterministic',
        legend: "the policy's deterministic action from the same start (one episode)",
        color: DETERMINISTIC,
        x,
        center: x.map((t) => det[t] ?? null),
        lower: x.map((t) => det[t] ?? null),
        upper: x.map((t) => det[t] ?? null),
        n: x.map((t) => (t < det.length ? 1 : 0)),
      },
    ],
    members: r.stochastic.map((e, k) => ({ label: `sampling seed ${e.samplingSeed}`, runId: r.runId, group: `stochastic (K = ${K})`, color: STOCHASTIC, kind: 'raw' as const, x: series[k]!.map((_, t) => t), y: series[k]! })),
    meta: { run: String(r.runId), checkpoint_step: String(r.step), algo: r.algo, env: `${r.envId}/${r.variant}`, start: r.startLabel },
  };
}

/** The y range covering every plotted value of several fans (a loop: fans hold up to 64 x 5,000 points). */
export function fansExtent(specs: readonly BandChartSpec[]): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  const take = (v: number | null) => {
    if (v !== null && Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  };
  for (const s of specs) {
    for (const b of s.bands) for (const arr of [b.lower, b.upper]) arr.forEach(take);
    for (const m of s.members) m.y.forEach(take);
  }
  return [lo, hi];
}

/** The returns of a fan: the deterministic episode's, the stochastic ones' mean, lowest and highest, and their lengths. */
export function fanReturns(r: FanResult): { deterministic: number; mean: number; lowest: number; highest: number; shortest: number; longest: number; nonFinite: number; count: number } {
  const rs = r.stochastic.map((e) => e.return);
  return {
    deterministic: r.deterministic.return,
    mean: rs.reduce((a, b) => a + b, 0) / rs.length,
    lowest: Math.min(...rs),
    highest: Math.max(...rs),
    shortest: Math.min(...r.stochastic.map((e) => e.length)),
    longest: Math.max(...r.stochastic.map((e) => e.length)),
    nonFinite: r.stochastic.filter((e) => e.nonFinite).length,
    count: rs.length,
  };
}
