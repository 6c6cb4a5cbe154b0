// The final table as the contract carries it (JSON: a non-finite number becomes null) and back to
// the core's FinalTable (null becomes NaN), which the CSV / Markdown / LaTeX writers take. Main
// converts one way (the compare API), the renderer and `lab compare` the other.
import type { FinalTableJson } from '../contract/methods/compare.ts';
import type { FinalTable } from './final-table.ts';

type Interval<N> = { point: N; lower: N; upper: N };

/** The final table with its numbers of type N: FinalTable is TableOf<number>, FinalTableJson TableOf<number | null>. */
interface TableOf<N> {
  scoreLabel: string;
  envs: string[];
  groups: string[];
  rows: { env: string; group: string; n: number; iqm: N; iqmCI: Interval<N>; mean: N; median: N; std: N; stderr: N; min: N; max: N; stepMin: N; stepMax: N; runIds: string[]; scores: number[] }[];
  improvement: ({ x: string; y: string; envs: string[]; probability: Interval<N> } | null)[][];
  resamples: number;
  confidence: number;
  seed: number;
}

/** A finite number, else null (JSON has no NaN). */
export function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

const orNaN = (v: number | null): number => (v === null ? Number.NaN : v);

/** An interval for JSON: non-finite ends as null. */
export function intervalToJson(i: Interval<number>): Interval<number | null> {
  return { point: finiteOrNull(i.point), lower: finiteOrNull(i.lower), upper: finiteOrNull(i.upper) };
}

/** The same table with each statistic passed through f (counts, run ids and raw scores as they are). */
function mapStatistics<A, B>(t: TableOf<A>, f: (v: A) => B): TableOf<B> {
  const iv = (i: Interval<A>): Interval<B> => ({ point: f(i.point), lower: f(i.lower), upper: f(i.upper) });
  return {
    scoreLabel: t.scoreLabel,
    envs: t.envs,
    groups: t.groups,
    rows: t.rows.map((r) => ({
      env: r.env,
      group: r.group,
      n: r.n,
      iqm: f(r.iqm),
      iqmCI: iv(r.iqmCI),
      mean: f(r.mean),
      median: f(r.median),
      std: f(r.std),
      stderr: f(r.stderr),
      min: f(r.min),
      max: f(r.max),
      stepMin: f(r.stepMin),
      stepMax: f(r.stepMax),
      runIds: r.runIds,
      scores: r.scores,
    })),
    improvement: t.improvement.map((row) => row.map((c) => (c ? { x: c.x, y: c.y, envs: c.envs, probability: iv(c.probability) } : null))),
    resamples: t.resamples,
    confidence: t.confidence,
    seed: t.seed,
  };
}

export function finalTableToJson(t: FinalTable): FinalTableJson {
  return mapStatistics(t, finiteOrNull);
}

export function finalTableFromJson(t: FinalTableJson): FinalTable {
  return mapStatistics(t, orNaN);
}
