// A faster gradient for BatchMatMul on the wasm and cpu backends.
// tfjs' own gradient uses matMul(.., transposeA/B = true); on tfjs-backend-wasm only the plain
// (untransposed) product reaches XNNPACK, the transposed ones fall back to slow loops (measured
// 5-20x slower at 256x256). Here the operand is transposed explicitly, then multiplied plainly.
import * as tf from '@tensorflow/tfjs';

let installed = false;

function mm(a: tf.Tensor, b: tf.Tensor, ta: boolean, tb: boolean): tf.Tensor {
  const rank = a.rank;
  const perm = rank === 2 ? [1, 0] : [...Array(rank - 2).keys(), rank - 1, rank - 2];
  return tf.matMul(ta ? tf.transpose(a, perm) : a, tb ? tf.transpose(b, perm) : b);
}

export function installFastMatMulGradient(): void {
  if (installed) return;
  installed = true;
  // tfjs warns when a gradient is overridden; this override is deliberate, so silence that one warning
  const con = (globalThis as unknown as { console: { warn: (...a: unknown[]) => void } }).console;
  const warn = con.warn;
  con.warn = () => {};
  try {
    tf.registerGradient({
      kernelName: 'BatchMatMul',
      inputsToSave: ['a', 'b'],
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
        const g = dy as tf.Tensor;
        const [a, b] = saved as [tf.Tensor, tf.Tensor];
        const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
        if (!transposeA && !transposeB) return { a: () => mm(g, b, false, true), b: () => mm(a, g, true, false) };
        if (!transposeA && transposeB) return { a: () => mm(g, b, false, false), b: () => mm(g, a, true, false) };
        if (transposeA && !transposeB) return { a: () => mm(b, g, false, true), b: () => mm(a, g, false, false) };
        return { a: () => mm(b, g, true, true), b: () => mm(g, a, true, true) };
      },
    });
  } finally {
    con.warn = warn;
  }
}
