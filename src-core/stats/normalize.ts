// Min-max score normalisation per environment, for pooling scores over several environments:
// normalised = (score - min) / (max - min). The reference (min, max) of each environment comes
// from the presets (the registry's per-task score range) and can be edited by the user; the
// range in effect is reported with every normalised number.

export interface ScoreRange {
  min: number;
  max: number;
}

export function normalizeScore(score: number, range: ScoreRange): number {
  const span = range.max - range.min;
  if (!(span > 0) || !Number.isFinite(span)) throw new Error(`score range must have max > min, got [${range.min}, ${range.max}]`);
  return (score - range.min) / span;
}

export function normalizeScores(scores: ArrayLike<number>, range: ScoreRange): Float64Array {
  const out = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = normalizeScore(scores[i]!, range);
  return out;
}

/**
 * Ranges for each environment: the user's overrides first, then the preset defaults, else the
 * observed min and max over all runs of that environment (flagged as observed in `source`).
 */
export function resolveRanges(
  envs: readonly string[],
  observed: Record<string, ArrayLike<number>>,
  defaults: Record<string, ScoreRange> = {},
  overrides: Record<string, ScoreRange> = {},
): Record<string, ScoreRange & { source: 'override' | 'preset' | 'observed' }> {
  const out: Record<string, ScoreRange & { source: 'override' | 'preset' | 'observed' }> = {};
  for (const env of envs) {
    const o = overrides[env];
    const d = defaults[env];
    if (o) out[env] = { ...o, source: 'override' };
    else if (d) out[env] = { ...d, source: 'preset' };
    else {
      const xs = Array.from(observed[env] ?? []);
      let lo = Math.min(...xs);
      let hi = Math.max(...xs);
      if (!(hi > lo)) {
        lo = (Number.isFinite(lo) ? lo : 0) - 0.5;
        hi = lo + 1;
      }
      out[env] = { min: lo, max: hi, source: 'observed' };
    }
  }
  return out;
}

/** "acrobot [-1900.67, -673.241] (observed)": a range as reports print it (6 significant digits). */
export function rangeText(env: string, r: ScoreRange & { source: string }): string {
  const g = (v: number) => String(Number(v.toPrecision(6)));
  return `${env} [${g(r.min)}, ${g(r.max)}] (${r.source})`;
}
