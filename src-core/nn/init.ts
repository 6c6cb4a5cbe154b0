// Weight initialisers drawn from the seeded generator (never tfjs' own RNG), so a run's initial
// networks depend only on its seed and are identical on every backend.
import type { Rng } from '../rng.ts';

/** PyTorch nn.Linear default: W and b ~ U(-1/sqrt(fanIn), 1/sqrt(fanIn)). W is fanIn x fanOut, row-major. */
export function torchLinearInit(rng: Rng, fanIn: number, fanOut: number): { w: Float32Array; b: Float32Array } {
  const bound = 1 / Math.sqrt(fanIn);
  const w = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < w.length; i++) w[i] = rng.uniformRange(-bound, bound);
  const b = new Float32Array(fanOut);
  for (let i = 0; i < fanOut; i++) b[i] = rng.uniformRange(-bound, bound);
  return { w, b };
}

/**
 * Orthogonal init (as torch.nn.init.orthogonal_): a Gaussian matrix orthonormalised (QR with
 * sign correction), times `gain`. Returns fanIn x fanOut row-major (the transpose of torch's
 * out x in weight, which is equally orthogonal). Bias zero.
 */
export function orthogonalInit(rng: Rng, fanIn: number, fanOut: number, gain: number): { w: Float32Array; b: Float32Array } {
  // Orthonormalise the columns of the taller orientation with modified Gram-Schmidt.
  const rows = Math.max(fanIn, fanOut);
  const cols = Math.min(fanIn, fanOut);
  const q: Float64Array[] = [];
  for (let c = 0; c < cols; c++) {
    const v = new Float64Array(rows);
    for (let r = 0; r < rows; r++) v[r] = rng.normal();
    for (const u of q) {
      let d = 0;
      for (let r = 0; r < rows; r++) d += u[r]! * v[r]!;
      for (let r = 0; r < rows; r++) v[r]! -= d * u[r]!;
    }
    let n = 0;
    for (let r = 0; r < rows; r++) n += v[r]! * v[r]!;
    n = Math.sqrt(n) || 1;
    for (let r = 0; r < rows; r++) v[r]! /= n;
    q.push(v);
  }
  const w = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < fanIn; i++) {
    for (let o = 0; o < fanOut; o++) {
      // rows = the longer side; q[c][r]
      w[i * fanOut + o] = gain * (fanIn >= fanOut ? q[o]![i]! : q[i]![o]!);
    }
  }
  return { w, b: new Float32Array(fanOut) };
}
