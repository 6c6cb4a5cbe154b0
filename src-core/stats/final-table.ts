// The final-performance table and the probability-of-improvement matrix, from one score per run
// (for example each run's final deterministic evaluation return; the caller says which and the
// table carries that description). Per environment and group: IQM with its 95% stratified-bootstrap
// interval, mean, median, std, standard error, min, max and N. Bootstrap seeds are derived from the
// base seed and the cell's name, so a cell's interval does not depend on which other cells exist.
import { resolveBootstrap, stratifiedBootstrapCI, type BootstrapOptions, type Interval } from './bootstrap.ts';
import { iqmInPlace, summarize, type Summary } from './estimators.ts';
import { probabilityOfImprovementCI } from './improvement.ts';

export interface RunScore {
  runId: string;
  group: string;
  env: string;
  score: number;
  /** The global_step of the record scored (evaluation or metric), when known. */
  step?: number;
}

export interface FinalRow extends Summary {
  env: string;
  group: string;
  iqmCI: Interval;
  runIds: string[];
  /** Each run's score, in runIds order. */
  scores: number[];
  /** Range of the scored records' steps (equal unless unfinished runs were included; NaN: unknown). */
  stepMin: number;
  stepMax: number;
}

export interface ImprovementCell {
  x: string;
  y: string;
  /** Environments where both groups have runs (the strata). */
  envs: string[];
  probability: Interval;
}

export interface FinalTable {
  /** What each score is, e.g. "final evaluation return (deterministic), last evaluation per run". */
  scoreLabel: string;
  envs: string[];
  groups: string[];
  rows: FinalRow[];
  /** matrix[i][j]: P(groups[i] > groups[j]); null on the diagonal or without a shared environment. */
  improvement: (ImprovementCell | null)[][];
  resamples: number;
  confidence: number;
  seed: number;
}

/** 32-bit FNV-1a of a string, to derive per-cell bootstrap seeds. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h | 0;
}

function cellSeed(base: number, label: string): number {
  return (base ^ hashString(label)) | 0;
}

const naturalSort = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

export function finalTable(scores: readonly RunScore[], scoreLabel: string, options: BootstrapOptions = {}): FinalTable {
  const boot = resolveBootstrap(options);
  const finite = scores.filter((s) => Number.isFinite(s.score));
  const envs = [...new Set(finite.map((s) => s.env))].sort(naturalSort);
  const groups = [...new Set(finite.map((s) => s.group))].sort(naturalSort);
  const cell = new Map<string, RunScore[]>();
  for (const s of finite) {
    const key = `${s.env}\u0000${s.group}`;
    (cell.get(key) ?? cell.set(key, []).get(key)!).push(s);
  }
  const rows: FinalRow[] = [];
  for (const env of envs) {
    for (const group of groups) {
      const members = cell.get(`${env}\u0000${group}`);
      if (!members) continue;
      const values = members.map((m) => m.score);
      const iqmCI = stratifiedBootstrapCI([values], iqmInPlace, { ...boot, seed: cellSeed(boot.seed, `iqm|${env}|${group}`) });
      const steps = members.flatMap((m) => (m.step === undefined ? [] : [m.step]));
      const [stepMin, stepMax] = steps.length === members.length ? [Math.min(...steps), Math.max(...steps)] : [Number.NaN, Number.NaN];
      rows.push({ env, group, ...summarize(values), iqmCI, runIds: members.map((m) => m.runId), scores: values, stepMin, stepMax });
    }
  }
  const improvement = groups.map((x) =>
    groups.map((y): ImprovementCell | null => {
      if (x === y) return null;
      const shared = envs.filter((e) => cell.has(`${e}\u0000${x}`) && cell.has(`${e}\u0000${y}`));
      if (shared.length === 0) return null;
      const xs = shared.map((e) => cell.get(`${e}\u0000${x}`)!.map((m) => m.score));
      const ys = shared.map((e) => cell.get(`${e}\u0000${y}`)!.map((m) => m.score));
      const probability = probabilityOfImprovementCI(xs, ys, { ...boot, seed: cellSeed(boot.seed, `poi|${x}|${y}`) });
      return { x, y, envs: shared, probability };
    }),
  );
  return { scoreLabel, envs, groups, rows, improvement, ...boot };
}
