// Debiased exponential moving average, exactly TensorBoard's scalar smoothing
// (tensorboard/components/vz_line_chart2/line-chart.ts, resmoothDataset):
//   last = 0; k = 0
//   for each finite y: last = w * last + (1 - w) * y; k += 1; smoothed = last / (1 - w^k)
// Non-finite values pass through unsmoothed and do not count; a constant series is returned as is.
// Apply it to full-resolution data, then down-sample (product.md: smoothing that does not mislead).

/**
 * Below this, 1 - w^k rounds to exactly 1 in double precision (2^-54 is half an ulp of numbers just
 * under 1, and the tie rounds to 1), so the debiasing division is the identity from there on and
 * Math.pow need not be called again: the result is bit-identical to the formula, and a 100,000-point
 * series costs about a tenth of the time.
 */
const NEGLIGIBLE = 2 ** -54;

/** Smoothing weight w in [0, 1): 0 leaves the series unchanged. */
export function smoothEma(values: ArrayLike<number>, weight: number): Float64Array {
  if (!(weight >= 0 && weight < 1)) throw new Error(`smoothing weight must be in [0, 1), got ${weight}`);
  const n = values.length;
  const out = new Float64Array(n);
  let constant = true;
  for (let i = 1; i < n; i++) {
    if (values[i] !== values[0]) {
      constant = false;
      break;
    }
  }
  if (constant) {
    for (let i = 0; i < n; i++) out[i] = values[i]!;
    return out;
  }
  let last = 0;
  let k = 0;
  let debias = true; // w^k still matters
  for (let i = 0; i < n; i++) {
    const y = values[i]!;
    if (!Number.isFinite(y)) {
      out[i] = y;
      continue;
    }
    last = last * weight + (1 - weight) * y;
    k++;
    if (debias) {
      const wk = Math.pow(weight, k);
      if (wk > NEGLIGIBLE) {
        out[i] = last / (1 - wk);
        continue;
      }
      debias = false;
    }
    out[i] = last;
  }
  return out;
}
