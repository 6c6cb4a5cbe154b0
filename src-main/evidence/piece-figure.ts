// The figure of a campaign piece (interim, it decides nothing): each of its algorithms' deterministic
// evaluation return over learning steps, seed by seed, beside the completed runs the report pairs it
// with (same task, budget and seeds: src-main/evidence/piece-interim.ts), cut at the piece's latest
// evaluation so both sides cover the same stretch of training. The thick line is the mean over the
// seeds at each evaluation all of them have, the band their lowest to highest; the thin lines are the
// seeds. Drawn by the Compare chart's SVG writer, for docs/results.md and the Paper results view.
import type { PaperOverview } from '../../src-core/contract/methods/paper.ts';
import { envLabel } from '../../src-core/stats/grouping.ts';
import { warmupStepsOf } from '../../src-core/train/run_config.ts';
import { chartSvg } from '../../src-renderer/charts/compare-export.ts';
import { groupColor, type BandChartSpec, type BandSeries, type MemberLine } from '../../src-renderer/charts/compare-spec.ts';
import type { Store } from '../store/index.ts';
import { comparatorRuns, finiteMean } from './piece-interim.ts';
import type { ReadPiece } from './pieces.ts';
import { taskOf } from './report.ts';

/** One seed's curve: learning step -> mean deterministic return of that evaluation. */
interface SeedCurve {
  seed: number;
  points: Map<number, number>;
}

function curve(seed: number, warmup: number, evaluations: readonly { step: number; mode: string; returns: readonly (number | null)[] }[], upTo: number): SeedCurve {
  const points = new Map<number, number>();
  for (const e of evaluations) {
    const x = e.step - warmup;
    const y = finiteMean(e.returns);
    if (e.mode === 'deterministic' && x <= upTo && Number.isFinite(y)) points.set(x, y);
  }
  return { seed, points };
}

/** The mean over seeds at each learning step every seed has, with the lowest and highest seed as the band. */
function band(label: string, legendFor: string, color: string, curves: readonly SeedCurve[]): BandSeries {
  const xs = [...curves[0]!.points.keys()].filter((x) => curves.every((c) => c.points.has(x))).sort((a, b) => a - b);
  const at = (x: number) => curves.map((c) => c.points.get(x)!);
  return {
    label,
    legend: `mean over ${legendFor}, band: lowest to highest seed`,
    color,
    x: xs,
    center: xs.map((x) => at(x).reduce((a, b) => a + b, 0) / curves.length),
    lower: xs.map((x) => Math.min(...at(x))),
    upper: xs.map((x) => Math.max(...at(x))),
    n: xs.map(() => curves.length),
  };
}

function members(group: string, color: string, curves: readonly SeedCurve[]): MemberLine[] {
  return curves.map((c) => {
    const xs = [...c.points.keys()].sort((a, b) => a - b);
    return { label: `${group} seed ${c.seed}`, runId: c.seed, group, color, kind: 'smoothed', x: xs, y: xs.map((x) => c.points.get(x)!) };
  });
}

/** A piece's figure: the piece's file, the figure's file name and its SVG document. */
export type PieceFigure = PaperOverview['pieceFigures'][number];

/** How a piece's figure file ends: `<task>-in-progress.svg`. */
export const PIECE_FIGURE_SUFFIX = '-in-progress.svg';

const seedsText = (seeds: readonly number[]) => `seed${seeds.length > 1 ? 's' : ''} ${seeds.join(', ')}`;

/** The pieces' figures as SVG documents named `<task>-in-progress.svg`. */
export function pieceFigures(completed: Store, pieces: readonly ReadPiece[]): PieceFigure[] {
  return pieceFigureSpecs(completed, pieces).map((f) => ({ file: f.file, name: f.name, svg: chartSvg(f.spec) }));
}

/**
 * The chart of each task of each piece (readPieces) that has an interim evaluation (a piece holds one
 * task's experiment, so one per piece); a piece that does not read, or has no evaluation yet, gets none.
 */
export function pieceFigureSpecs(completed: Store, pieces: readonly ReadPiece[]): { file: string; name: string; spec: BandChartSpec }[] {
  const out: { file: string; name: string; spec: BandChartSpec }[] = [];
  for (const { summary: p, runs } of pieces) {
    if (p.error || p.interim.length === 0) continue;
    for (const task of new Set(p.interim.map((ev) => ev.task))) {
      const bands: BandSeries[] = [];
      const lines: MemberLine[] = [];
      let colorIndex = 0;
      let upTo = 0;
      for (const ev of p.interim.filter((e) => e.task === task)) {
        const own = runs.filter((r) => r.algo === ev.algo && taskOf(envLabel(r.envId, r.variant)) === task && ev.seeds.includes(r.seed)).sort((a, b) => a.seed - b.seed);
        const warmup = warmupStepsOf(own[0]!.config as { algoConfig: Record<string, unknown> });
        upTo = Math.max(upTo, ev.step - warmup);
        const ownCurves = own.map((r) => curve(r.seed, warmup, r.evaluations, Number.POSITIVE_INFINITY));
        const color = groupColor(colorIndex++);
        bands.push(band(`${ev.algo} (in progress)`, `${seedsText(ev.seeds)} of the piece`, color, ownCurves));
        lines.push(...members(ev.algo, color, ownCurves));
        for (const b of ev.beside) {
          const done = comparatorRuns(completed, { task, algo: b.algo, seeds: b.seeds }, own[0]!);
          const doneCurves = done.map((r) => curve(r.seed, warmupStepsOf(r.config), completed.evaluations.list(r.id, 'deterministic'), ev.step - warmup));
          const c = groupColor(colorIndex++);
          bands.push(band(`${b.algo} (completed)`, `${seedsText(b.seeds)}, up to the piece's step`, c, doneCurves));
          lines.push(...members(b.algo, c, doneCurves));
        }
      }
      const spec: BandChartSpec = {
        kind: 'bands',
        title: `${task}, in progress: interim, decides nothing (to learning step ${upTo.toLocaleString('en-US')})`,
        xLabel: "learning steps (after each run's off-policy warm-up)",
        yLabel: 'deterministic evaluation return',
        bands,
        members: lines,
        meta: { mode: 'deterministic', piece: p.file },
      };
      out.push({ file: p.file, name: `${task}${PIECE_FIGURE_SUFFIX}`, spec });
    }
  }
  return out;
}
