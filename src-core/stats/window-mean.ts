// The mean of a metric over a window of steps: what `lab compare --metric KEY --window FROM:TO`
// scores each run by, and what the campaign pieces' interim reports per evaluation interval
// (src-main/evidence/piece-interim.ts). Every logged point counts once (a series down-sampled to
// evenly spaced points, as in a compact bundle, gives the mean of those points).

/** Mean of the finite values of a series (steps and values side by side) at steps in (from, to]; null where there is none. */
export function seriesWindowMean(steps: ArrayLike<number>, values: ArrayLike<number>, from: number, to: number): number | null {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < steps.length; i++) {
    const v = values[i]!;
    if (steps[i]! > from && steps[i]! <= to && Number.isFinite(v)) {
      sum += v;
      count++;
    }
  }
  return count > 0 ? sum / count : null;
}
