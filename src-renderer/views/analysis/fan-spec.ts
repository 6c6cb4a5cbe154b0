// A rollout fan (analysis.fan) as a Compare chart spec, so the Compare charts draw and export it
// (CSV of exactly what is plotted, SVG, PNG): one state variable (or the return so far) against the
// episode step, each stochastic episode a thin line, their mean with a lowest-to-highest band, and
// the deterministic episode as a line of its own (the returns in numbers:
// src-core/analysis/fan-returns.ts). Or, as a phase plot, one variable against another (the
// vehicle's y against its x, the quadrotor's z against its x): each episode's path through the
// plane, the deterministic one drawn over the stochastic ones (no mean: paths are not averaged).
import type { FanEpisode, FanResult } from '../../../src-core/contract/methods/analysis.ts';
import type { BandChartSpec } from '../../charts/compare-spec.ts';

/** A state component by index, or the return accumulated up to each step. */
export type FanVariable = number | 'return';
/** What the horizontal axis shows: the episode step, or a second variable (a phase plot). */
export type FanAxis = 'step' | FanVariable;

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

export function fanSpec(r: FanResult, v: FanVariable, against: FanAxis = 'step'): BandChartSpec {
  if (against !== 'step') return phaseSpec(r, v, against);
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

/** Variable v against variable h along every episode: each path as a line in the (h, v) plane. */
function phaseSpec(r: FanResult, v: FanVariable, h: FanVariable): BandChartSpec {
  const K = r.stochastic.length;
  const dx = fanSeries(r.deterministic, r.stateDim, h);
  const dy = fanSeries(r.deterministic, r.stateDim, v);
  const seeds = r.stochastic.map((e) => e.samplingSeed);
  return {
    kind: 'bands',
    title: `Rollout fan: ${r.label}, ${fanVariableName(r, v)} against ${fanVariableName(r, h)}`,
    xLabel: fanVariableName(r, h),
    yLabel: fanVariableName(r, v),
    bands: [
      {
        label: 'deterministic',
        legend: `the policy's deterministic action from the same start (one episode); thin lines: the ${K} stochastic episodes (sampling seeds ${seeds[0]}-${seeds.at(-1)}), each its own path`,
        color: DETERMINISTIC,
        x: dx,
        center: dy,
        lower: dy,
        upper: dy,
        n: dx.map(() => 1),
      },
    ],
    members: r.stochastic.map((e) => ({ label: `sampling seed ${e.samplingSeed}`, runId: r.runId, group: `stochastic (K = ${K})`, color: STOCHASTIC, kind: 'raw' as const, x: fanSeries(e, r.stateDim, h), y: fanSeries(e, r.stateDim, v) })),
    meta: { run: String(r.runId), checkpoint_step: String(r.step), algo: r.algo, env: `${r.envId}/${r.variant}`, start: r.startLabel },
  };
}

/** The y (or x) range covering every plotted value of several fans (a loop: fans hold up to 64 x 5,000 points). */
export function fansExtent(specs: readonly BandChartSpec[], axis: 'x' | 'y' = 'y'): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  const take = (v: number | null) => {
    if (v !== null && Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  };
  for (const s of specs) {
    for (const b of s.bands) for (const arr of axis === 'y' ? [b.lower, b.upper] : [b.x]) arr.forEach(take);
    for (const m of s.members) (axis === 'y' ? m.y : m.x).forEach(take);
  }
  return [lo, hi];
}
