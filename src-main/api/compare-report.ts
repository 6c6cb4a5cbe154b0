// The Compare computations over the run store, shared by the contract handlers (./compare.ts) and
// `lab compare`: load a selection of runs, put their series on a common grid and aggregate them
// per group (smoothing first, at full resolution), and build the final-performance report
// (src-core/stats: IQM with stratified-bootstrap CI, P(improvement) matrix, performance profiles).
// Numbers leave as JSON: NaN becomes null.
import { ApiFailure } from '../../src-core/contract/define.ts';
import type { Curve, CurveX, FinalReport, MemberSeries, Panel, PanelSource } from '../../src-core/contract/methods/compare.ts';
import { aggregateAligned, legendText, type BandMethod } from '../../src-core/stats/aggregate.ts';
import { acrossTasks } from '../../src-core/stats/across-tasks.ts';
import { downsampleMinMax } from '../../src-core/stats/downsample.ts';
import type { StatisticName } from '../../src-core/stats/estimators.ts';
import { finalEvalLabel, finalEvalScores, finalMetricLabel, metricWindowText, selectFinalScores, windowMetricLabel, type Excluded, type FinalCandidate, type MetricWindow } from '../../src-core/stats/final-scores.ts';
import { finalTable, hashString, type RunScore } from '../../src-core/stats/final-table.ts';
import { finalTableToJson, finiteOrNull, intervalToJson } from '../../src-core/stats/final-table-json.ts';
import { alignOnGrid, commonGrid, interpolateOnto, type Series } from '../../src-core/stats/grid.ts';
import { envLabel, groupOf } from '../../src-core/stats/grouping.ts';
import { normalizeScores, resolveRanges, type ScoreRange } from '../../src-core/stats/normalize.ts';
import { linspace, performanceProfile } from '../../src-core/stats/profiles.ts';
import { defaultScoreRange } from '../../src-core/stats/score-ranges.ts';
import { smoothEma } from '../../src-core/stats/smoothing.ts';
import { seriesWindowMean } from '../../src-core/stats/window-mean.ts';
import { warmupStepsOf } from '../../src-core/train/run_config.ts';
import type { Store } from '../store/index.ts';
import type { RunRecord } from '../store/repos/runs.ts';
import { GridRowCache, gridRowCache, seriesCache, seriesInfo, valuesAtGrid, type SeriesInfo } from './compare-series.ts';

export type EvalModeName = 'deterministic' | 'stochastic';

export interface SelectionArgs {
  experimentId?: number | undefined;
  runIds?: number[] | undefined;
}

/** A finite number, else null (JSON has no NaN). */
export const nn = finiteOrNull;

function nna(a: ArrayLike<number>): (number | null)[] {
  return Array.from(a as ArrayLike<number>, nn);
}

function finiteArray(a: ArrayLike<number>): number[] {
  return Array.from(a as ArrayLike<number>);
}

/** How far a run's steps move left on the x axis: its off-policy warm-up on the learning-step axis, else 0. */
function axisShift(run: RunRecord, x: CurveX): number {
  return x === 'learning' ? warmupStepsOf(run.config) : 0;
}

/** Steps moved left by `w` (a run's warm-up on the learning-step axis). */
function shifted(a: ArrayLike<number>, w: number): number[] {
  return Array.from(a as ArrayLike<number>, (x) => x - w);
}

/** The runs of a selection, in id order; unknown ids and empty experiments are errors naming them. */
export function loadRuns(store: Store, sel: SelectionArgs): RunRecord[] {
  if (sel.experimentId !== undefined) {
    if (!store.experiments.get(sel.experimentId)) throw new ApiFailure('not_found', `no experiment with id ${sel.experimentId}`, 'selection.experimentId');
    const ids = store.runs.idsOfExperiment(sel.experimentId);
    if (ids.length === 0) throw new ApiFailure('not_found', `experiment ${sel.experimentId} has no runs`, 'selection.experimentId');
    return ids.map((id) => store.runs.require(id));
  }
  const ids = [...new Set(sel.runIds ?? [])].sort((a, b) => a - b);
  return ids.map((id) => {
    const r = store.runs.get(id);
    if (!r) throw new ApiFailure('not_found', `no run with id ${id}`, `selection.runIds.${(sel.runIds ?? []).indexOf(id)}`);
    return r;
  });
}

/**
 * Group label of each run. For curves (`prefixEnv`), when several environments are mixed the
 * environment prefixes it (one curve per environment and group); final tables keep the bare group
 * (the environment is a column, and P(improvement) is stratified over environments).
 */
export function groupLabels(runs: readonly RunRecord[], groupBy: string, prefixEnv = false): Map<number, string> {
  const envs = new Set(runs.map((r) => envLabel(r.envId, r.variant)));
  const out = new Map<number, string>();
  for (const r of runs) {
    let g: string;
    try {
      g = groupOf({ id: r.id, envId: r.envId, variant: r.variant, algo: r.algo, seed: r.seed, label: r.label, config: r.config as unknown as Record<string, unknown> }, groupBy);
    } catch (err) {
      throw new ApiFailure('invalid_args', (err as Error).message, 'groupBy');
    }
    out.set(r.id, prefixEnv && envs.size > 1 && groupBy !== 'env' ? `${envLabel(r.envId, r.variant)} · ${g}` : g);
  }
  return out;
}

/** A run's evaluation returns for a panel (few points): x (step, learning step or wall time) and mean return. */
function evalSeries(store: Store, run: RunRecord, mode: EvalModeName, x: CurveX): Series | null {
  const evals = store.evaluations.list(run.id, mode).filter((e) => Number.isFinite(e.meanReturn));
  if (evals.length === 0) return null;
  const w = axisShift(run, x);
  return { steps: evals.map((e) => (x === 'wall' ? e.wallTime : e.step - w)), values: evals.map((e) => e.meanReturn) };
}

export function panelTitle(source: PanelSource): string {
  return source.kind === 'eval' ? `evaluation return (${source.mode})` : source.key;
}

export interface CurveOptions {
  groupBy: string;
  x: CurveX;
  smoothing: number;
  statistic: StatisticName;
  band: BandMethod;
  gridPoints: number;
  members: boolean;
  maxPoints: number;
  bootstrap: { resamples: number; confidence: number; seed: number };
  /** Read long series ahead into the full-resolution cache after answering (the app's server; not the CLI). */
  readAhead?: boolean;
}

/** Wall-time series must ascend for the grid; a resumed run's clock does, but guard anyway. */
function sortedByX(s: Series): Series {
  const n = s.steps.length;
  for (let i = 1; i < n; i++) {
    if (s.steps[i]! < s.steps[i - 1]!) {
      const idx = Array.from({ length: n }, (_, k) => k).sort((a, b) => s.steps[a]! - s.steps[b]!);
      return { steps: idx.map((k) => s.steps[k]!), values: idx.map((k) => s.values[k]!) };
    }
  }
  return s;
}

interface Loaded {
  run: RunRecord;
  raw: Series;
  smooth: Series;
}

function curvesFor(
  groups: Map<number, string>,
  groupNames: readonly string[],
  runIds: readonly number[],
  rows: readonly Float64Array[],
  grid: Float64Array,
  o: CurveOptions,
): Curve[] {
  const curves: Curve[] = [];
  for (const group of groupNames) {
    const idx = runIds.map((id, i) => (groups.get(id) === group ? i : -1)).filter((i) => i >= 0);
    if (idx.length === 0) continue;
    const c = aggregateAligned(
      idx.map((i) => rows[i]!),
      grid,
      { statistic: o.statistic, band: o.band, bootstrap: { ...o.bootstrap, seed: (o.bootstrap.seed ^ hashString(group)) | 0 } },
    );
    // keep only the grid steps where this group has at least one run
    let a = 0;
    let b = grid.length - 1;
    while (a <= b && c.n[a] === 0) a++;
    while (b >= a && c.n[b] === 0) b--;
    const sl = <T extends ArrayLike<number>>(v: T) => Array.prototype.slice.call(v, a, b + 1) as number[];
    curves.push({
      group,
      runIds: idx.map((i) => runIds[i]!),
      x: sl(grid),
      center: sl(c.center).map(nn),
      lower: sl(c.lower).map(nn),
      upper: sl(c.upper).map(nn),
      n: sl(c.n),
      legend: legendText(c),
    });
  }
  return curves;
}

/** Panels from full-resolution series (smoothing first), for evaluations, smoothing or wall time. */
function fullPanel(loaded: Loaded[], groups: Map<number, string>, groupNames: readonly string[], o: CurveOptions): { curves: Curve[]; members: MemberSeries[] } {
  // The union of the runs' steps (evaluation schedules) when it is small, else a uniform grid; a run
  // longer than the grid alone makes the union too long, so it is not built then.
  const longest = Math.max(0, ...loaded.map((l) => l.smooth.steps.length));
  const union = longest <= o.gridPoints ? commonGrid(loaded.map((l) => l.smooth), { kind: 'union' }) : null;
  const grid = union && union.length <= o.gridPoints ? union : commonGrid(loaded.map((l) => l.smooth), { kind: 'uniform', points: o.gridPoints });
  const rows = alignOnGrid(loaded.map((l) => l.smooth), grid);
  const curves = curvesFor(groups, groupNames, loaded.map((l) => l.run.id), rows, grid, o);
  const members: MemberSeries[] = [];
  if (o.members) {
    const buckets = Math.max(1, Math.floor(o.maxPoints / 4));
    for (const l of loaded) {
      const raw = downsampleMinMax(l.raw.steps, l.raw.values, buckets);
      const sm = o.smoothing > 0 ? downsampleMinMax(l.smooth.steps, l.smooth.values, buckets) : null;
      members.push({
        runId: l.run.id,
        group: groups.get(l.run.id)!,
        x: finiteArray(raw.x),
        raw: finiteArray(raw.y),
        smoothedX: sm ? finiteArray(sm.x) : [],
        smoothed: sm ? finiteArray(sm.y) : [],
      });
    }
  }
  return { curves, members };
}

function smoothed(raw: Series, o: CurveOptions): Series {
  // TensorBoard smoothing at full resolution, before any grid or down-sampling.
  return o.smoothing > 0 ? { steps: raw.steps, values: smoothEma(raw.values, o.smoothing) } : raw;
}

/** Series whose points are at most this many times the grid are read whole (cheap either way). */
const SMALL_SERIES_FACTOR = 4;

/** Buckets of the min-max down-sampling of member lines (about 4 points each). */
function memberBuckets(o: Pick<CurveOptions, 'maxPoints'>): number {
  return Math.max(1, Math.floor(o.maxPoints / 4));
}

/** A run's raw member line, down-sampled from full resolution (cached with the series). */
function rawMember(store: Store, runId: number, info: SeriesInfo, buckets: number) {
  return seriesCache.derived(store, runId, info, `raw|${buckets}`, (full) => downsampleMinMax(full.step, full.value, buckets));
}

interface WithInfo {
  run: RunRecord;
  info: SeriesInfo;
}

/**
 * A metric panel on the step or the learning-step axis whose longest series has more points than
 * the grid: the grid is uniform between the earliest first step and the latest last step (each run
 * shifted by its own warm-up on the learning-step axis), so it is known from the series' step
 * ranges alone and each run's row on it can be cached (a click that changes only the statistic or
 * the band reuses the rows). A row is the interpolation of the run's series at the grid's points
 * (moved back by the run's warm-up), smoothed at full resolution first when asked: by index seeks
 * when the series is neither in memory nor packed in blocks and no smoothing is asked for, else
 * from the full-resolution cache.
 */
function longStepPanel(store: Store, key: string, infos: readonly WithInfo[], groups: Map<number, string>, groupNames: readonly string[], o: CurveOptions): { curves: Curve[]; members: MemberSeries[] } {
  const shift = new Map(infos.map(({ run }) => [run.id, axisShift(run, o.x)]));
  const grid = commonGrid(
    infos.map(({ run, info }) => ({ steps: [info.firstStep - shift.get(run.id)!, info.lastStep - shift.get(run.id)!], values: [0, 0] })),
    { kind: 'uniform', points: o.gridPoints },
  );
  const maxCount = Math.max(0, ...infos.map((i) => i.info.count));
  const rows = infos.map(({ run, info }) => {
    const w = shift.get(run.id)!;
    const id = GridRowCache.key(store, run.id, info, `${o.x}${w}`, o.smoothing, grid);
    const hit = gridRowCache.get(id);
    if (hit) return hit;
    const at = w === 0 ? grid : grid.map((x) => x + w); // the grid in the run's own global steps
    let row: Float64Array;
    if (o.smoothing > 0) {
      const full = seriesCache.get(store, run.id, info);
      row = interpolateOnto({ steps: full.step, values: seriesCache.smoothedValues(store, run.id, info, o.smoothing, smoothEma) }, at);
    } else {
      // in memory, packed in blocks or short: every point; else index seeks at the grid steps
      const full = info.count <= o.gridPoints * SMALL_SERIES_FACTOR ? seriesCache.get(store, run.id, info) : seriesCache.getCheap(store, run.id, info);
      row = full ? interpolateOnto({ steps: full.step, values: full.value }, at) : valuesAtGrid(store, run.id, info, at);
    }
    gridRowCache.set(id, row);
    return row;
  });
  const curves = curvesFor(groups, groupNames, infos.map((i) => i.run.id), rows, grid, o);
  if (!o.members) return { curves, members: [] };
  if (o.smoothing > 0 || maxCount <= o.gridPoints * SMALL_SERIES_FACTOR) {
    // raw faint behind smoothed: both down-sampled from full resolution
    const buckets = memberBuckets(o);
    const members = infos.map(({ run, info }): MemberSeries => {
      const raw = rawMember(store, run.id, info, buckets);
      const sm =
        o.smoothing > 0
          ? seriesCache.derived(store, run.id, info, `smoothed|${o.smoothing}|${buckets}`, (full) =>
              downsampleMinMax(full.step, seriesCache.smoothedValues(store, run.id, info, o.smoothing, smoothEma), buckets),
            )
          : null;
      const w = shift.get(run.id)!;
      return { runId: run.id, group: groups.get(run.id)!, x: shifted(raw.x, w), raw: finiteArray(raw.y), smoothedX: sm ? shifted(sm.x, w) : [], smoothed: sm ? finiteArray(sm.y) : [] };
    });
    return { curves, members };
  }
  // members of long unsmoothed series: the store's min/max tiles
  const members = infos.map(({ run }) => {
    const s = store.metrics.series(run.id, key, o.maxPoints);
    const w = shift.get(run.id)!;
    const keep = Array.from(s.value, (v, i) => (Number.isFinite(v) ? i : -1)).filter((i) => i >= 0);
    return { runId: run.id, group: groups.get(run.id)!, x: keep.map((i) => s.step[i]! - w), raw: keep.map((i) => s.value[i]!), smoothedX: [], smoothed: [] };
  });
  return { curves, members };
}

export function buildPanels(store: Store, runs: readonly RunRecord[], sources: readonly PanelSource[], o: CurveOptions): Panel[] {
  const groups = groupLabels(runs, o.groupBy, true);
  const groupNames = [...new Set(groups.values())].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const readAhead: { runId: number; info: SeriesInfo }[] = [];
  const panels = sources.map((source) => {
    const missing: number[] = [];
    let result: { curves: Curve[]; members: MemberSeries[] } = { curves: [], members: [] };
    store.db.transaction(() => {
      if (source.kind === 'eval') {
        const loaded: Loaded[] = [];
        for (const run of runs) {
          const s = evalSeries(store, run, source.mode, o.x);
          if (!s) missing.push(run.id);
          else loaded.push({ run, raw: sortedByX(s), smooth: smoothed(sortedByX(s), o) });
        }
        result = fullPanel(loaded, groups, groupNames, o);
        return;
      }
      const infos: WithInfo[] = [];
      for (const run of runs) {
        const info = seriesInfo(store, run.id, source.key);
        if (!info) missing.push(run.id);
        else infos.push({ run, info });
      }
      const maxCount = Math.max(0, ...infos.map((i) => i.info.count));
      if (o.x !== 'wall' && maxCount > o.gridPoints) {
        result = longStepPanel(store, source.key, infos, groups, groupNames, o);
        // the smoothing slider or a wall-time axis will need these whole: read them ahead
        for (const { run, info } of infos) if (!seriesCache.has(store, run.id, info)) readAhead.push({ runId: run.id, info });
        return;
      }
      // short series (union grid of their steps) or the wall-time axis: every point
      const loaded = infos.map(({ run, info }) => {
        const full = seriesCache.get(store, run.id, info);
        const w = axisShift(run, o.x);
        const xs = o.x === 'wall' ? seriesCache.wallTime(store, run.id, info) : w > 0 ? Float64Array.from(full.step, (s) => s - w) : full.step;
        const raw = sortedByX({ steps: xs, values: full.value });
        // smoothing runs along the series' order, which a shift of the axis keeps
        const smooth = o.smoothing > 0 && o.x !== 'wall' ? { steps: raw.steps, values: seriesCache.smoothedValues(store, run.id, info, o.smoothing, smoothEma) } : smoothed(raw, o);
        return { run, raw, smooth };
      });
      result = fullPanel(loaded, groups, groupNames, o);
    })();
    return { source, title: panelTitle(source), curves: result.curves, members: result.members, missing };
  });
  if (o.readAhead && readAhead.length > 0) {
    // with each series read, its member line too (what "member runs" shows, whatever the smoothing)
    const buckets = memberBuckets(o);
    seriesCache.prefetch(store, readAhead, (runId, info) => rawMember(store, runId, info, buckets));
  }
  return panels;
}

export interface FinalOptions {
  groupBy: string;
  mode: EvalModeName;
  metric?: string | undefined;
  /** Score runs of any status at their own last record (default: completed runs at one final step). */
  includeUnfinished?: boolean | undefined;
  /** Evaluation return only: each run's score is the mean over its last K evaluations (default 1, the last). */
  lastEvals?: number | undefined;
  /** With `metric`: each run's score is the mean of the key's values logged in this step window, not its last value. */
  metricWindow?: MetricWindow | undefined;
  bootstrap: { resamples: number; confidence: number; seed: number };
  profilePoints: number;
  ranges: Record<string, ScoreRange>;
}

/**
 * Final scores of each run: the last evaluation's mean return in `mode` (or the mean of the last K),
 * or a metric's last value (or its mean over `metricWindow`; the run is selected by its last record's step either way).
 */
export function finalScores(store: Store, runs: readonly RunRecord[], o: Pick<FinalOptions, 'groupBy' | 'mode' | 'metric' | 'includeUnfinished' | 'lastEvals' | 'metricWindow'>): { scores: RunScore[]; excluded: Excluded[]; label: string } {
  const groups = groupLabels(runs, o.groupBy);
  const sel = { includeUnfinished: o.includeUnfinished ?? false };
  const lastEvals = o.lastEvals ?? 1;
  if (o.metric === undefined) {
    if (o.metricWindow !== undefined) throw new ApiFailure('invalid_args', 'a step window averages a metric; it needs a metric key (the evaluation return has lastEvals)', 'metricWindow');
    const input = runs.map((r) => ({ id: r.id, env: envLabel(r.envId, r.variant), group: groups.get(r.id)!, status: r.status, evaluations: store.evaluations.list(r.id, o.mode) }));
    const { scores, excluded } = finalEvalScores(input, o.mode, { ...sel, lastEvals });
    return { scores, excluded, label: finalEvalLabel(o.mode, lastEvals) };
  }
  if (lastEvals !== 1) throw new ApiFailure('invalid_args', 'lastEvals averages evaluations; it does not apply to a metric (each run is scored at its last record)', 'lastEvals');
  const candidates: FinalCandidate[] = [];
  const excluded: Excluded[] = [];
  const w = o.metricWindow;
  for (const r of runs) {
    const last = store.metrics.latest(r.id).find((m) => m.key === o.metric);
    const env = envLabel(r.envId, r.variant);
    if (!last) excluded.push({ runId: r.id, group: groups.get(r.id)!, env, reason: `no ${o.metric} recorded` });
    else if (w === undefined) candidates.push({ id: r.id, env, group: groups.get(r.id)!, status: r.status, step: last.step, score: last.value });
    else {
      const s = store.metrics.series(r.id, o.metric);
      const mean = seriesWindowMean(s.step, s.value, w.from, w.to);
      if (mean === null) excluded.push({ runId: r.id, group: groups.get(r.id)!, env, reason: `no finite ${o.metric} value logged in ${metricWindowText(w)}` });
      else candidates.push({ id: r.id, env, group: groups.get(r.id)!, status: r.status, step: last.step, score: mean });
    }
  }
  const { scores } = selectFinalScores(candidates, excluded, `${o.metric} record`, sel);
  return { scores, excluded, label: w === undefined ? finalMetricLabel(o.metric) : windowMetricLabel(o.metric, w) };
}

export function buildFinalReport(store: Store, runs: readonly RunRecord[], o: FinalOptions): FinalReport {
  const { scores, excluded, label } = finalScores(store, runs, o);
  const table = finalTable(scores, label, o.bootstrap);
  // Performance profiles: raw scores for one environment, min-max normalised when pooling several.
  const envs = table.envs;
  const observed: Record<string, number[]> = {};
  for (const s of scores) (observed[s.env] ??= []).push(s.score);
  const scale: 'raw' | 'normalised' = envs.length > 1 ? 'normalised' : 'raw';
  const defaults = Object.fromEntries(envs.flatMap((e) => (defaultScoreRange(e) ? [[e, defaultScoreRange(e)!]] : [])));
  const ranges = scale === 'normalised' ? resolveRanges(envs, observed, defaults, o.ranges) : {};
  const value = (env: string, xs: number[]) => (scale === 'raw' ? xs : Array.from(normalizeScores(xs, ranges[env]!)));
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const env of envs) for (const v of value(env, observed[env] ?? [])) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  const pad = hi > lo ? 0.05 * (hi - lo) : 0.5;
  const taus = linspace(lo - pad, hi + pad, o.profilePoints);
  const groupScores = (env: string, group: string) => value(env, scores.filter((s) => s.env === env && s.group === group).map((s) => s.score));
  const profileGroups = table.groups.map((group) => {
    const strata = envs.map((env) => groupScores(env, group)).filter((x) => x.length > 0);
    const p = performanceProfile(strata, taus, { ...o.bootstrap, seed: (o.bootstrap.seed ^ hashString(`profile|${group}`)) | 0 });
    return { group, n: p.n, fraction: nna(p.fraction), lower: nna(p.lower), upper: nna(p.upper) };
  });
  const across = scale === 'normalised' ? acrossTasks(envs, table.groups, groupScores, o.bootstrap) : null;
  return {
    mode: o.metric === undefined ? o.mode : null,
    metric: o.metric ?? 'evaluation return',
    table: finalTableToJson(table),
    excluded,
    profile: { scale, ranges, taus: Array.from(taus), groups: profileGroups },
    acrossTasks: across && { envs: across.envs, left: across.left, groups: across.groups.map((g) => ({ group: g.group, runs: g.runs, mean: intervalToJson(g.mean), median: intervalToJson(g.median), iqm: intervalToJson(g.iqm), optimalityGap: intervalToJson(g.optimalityGap) })) },
  };
}
