// How far the campaign's pieces (experiments still training, the repository's campaign/) have got,
// in words, for `lab report --pieces`, docs/results.md and the app's Paper results.
import type { PieceSummary } from '../contract/methods/paper.ts';
import { perRunText } from './table-export.ts';

const n = (x: number) => x.toLocaleString('en-US');

/** "3 runs at 35,615 of 202,000 steps (17%), written 2026-12-06 23:40 UTC". */
export function pieceProgress(p: PieceSummary): string {
  const steps = p.minStep === p.maxStep ? n(p.minStep) : `${n(p.minStep)}-${n(p.maxStep)}`;
  const done = p.completed > 0 ? `, ${p.completed} completed` : '';
  return `${p.runs} runs at ${steps} of ${n(p.totalSteps)} steps (${piecePercent(p)}%${done}), written ${p.written.slice(0, 16).replace('T', ' ')} UTC`;
}

/** A training metric's mean for a table or a line: three significant digits, 'n/a' where a run logged none. */
export function mechanismText(v: number | null): string {
  return v === null ? 'n/a' : String(Number(v.toPrecision(3)));
}

/**
 * "sac-adaent at step 30,000 (deterministic evaluation, interim, decides nothing): -2482 (seed 0),
 * -2932 (seed 1); in training over steps 20,001-30,000 (mean per run): adaent/surrogate_rate 0.452
 * (seed 0), ...; completed sac runs at the same learning step: -2101 (seed 0), -3010 (seed 1); in
 * training over the same learning steps (mean per run): policy/entropy ...",
 * each of the piece's algorithms in turn, or ''.
 */
export function pieceEvalText(p: PieceSummary): string {
  const bySeed = (seeds: readonly number[], values: readonly string[]) => values.map((v, i) => `${v} (seed ${seeds[i]})`).join(', ');
  return p.interim
    .map((ev) => {
      const mechanism = (r: PieceSummary['interim'][number]['beside'][number], window: string) =>
        r.mechanism.length > 0 ? `; ${window} (mean per run): ${r.mechanism.map((k) => `${k.key} ${bySeed(r.seeds, k.values.map(mechanismText))}`).join('; ')}` : '';
      const own = `${bySeed(ev.seeds, ev.returns.map(perRunText))}${mechanism(ev, `in training over steps ${n(ev.since + 1)}-${n(ev.step)}`)}`;
      const beside = ev.beside.map((b) => `; completed ${b.algo} runs at the same learning step: ${bySeed(b.seeds, b.returns.map(perRunText))}${mechanism(b, 'in training over the same learning steps')}`).join('');
      return `${ev.algo} at step ${n(ev.step)} (deterministic evaluation, interim, decides nothing): ${own}${beside}`;
    })
    .join('; ');
}

function piecePercent(p: PieceSummary): number {
  return p.totalSteps > 0 ? Math.floor((100 * p.minStep) / p.totalSteps) : 0;
}

/** How far the pieces have trained a not-measured cell's algorithms ("sac-adaent at 17%"), or ''. */
export function cellProgress(pieces: readonly PieceSummary[], cell: { task: string; algos: readonly string[] }): string {
  const parts: string[] = [];
  for (const p of pieces) {
    const algos = p.error || !p.tasks.includes(cell.task) ? [] : p.algos.filter((a) => cell.algos.includes(a));
    if (algos.length > 0) parts.push(`${algos.join(', ')} at ${piecePercent(p)}%`);
  }
  return parts.join(', ');
}

/** '; in progress: sac-adaent at 17% (below)' after a not-measured cell that a piece is training, else ''. */
export function cellProgressNote(pieces: readonly PieceSummary[], cell: { task: string; algos: readonly string[] }): string {
  const progress = cellProgress(pieces, cell);
  return progress ? `; in progress: ${progress} (below)` : '';
}
