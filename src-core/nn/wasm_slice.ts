// Faster Slice and SplitV kernels for tfjs-backend-wasm (same results, registered over its own).
// tfjs-backend-wasm 4.22's Slice reads its WHOLE input out of the wasm heap (a copy) before
// copying the slice, and SplitV slices once per part: splitting a flat parameter vector into k
// tensors copies the vector k times, every update (FlatParams.unpack under autodiff: PPO, TD3).
// These versions copy only the sliced values, straight from heap to heap.
import * as tf from '@tensorflow/tfjs';

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

type KernelArgs = { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown };

let installed = false;

/** Copy x[begin : begin + size] (any rank) into a new output. */
function sliceInto(x: tf.TensorInfo, begin: number[], size: number[], backend: WasmBackendLike): tf.TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  const total = size.reduce((a, b) => a * b, 1);
  if (total === 0) return out;
  // views are taken after makeOutput: an allocation may grow (and detach) the wasm heap
  const xv = backend.typedArrayFromHeap(x);
  const ov = backend.typedArrayFromHeap(out);
  const rank = x.shape.length;
  if (rank === 0) {
    ov[0] = xv[0]!;
    return out;
  }
  const strides = new Array<number>(rank);
  strides[rank - 1] = 1;
  for (let d = rank - 2; d >= 0; d--) strides[d] = strides[d + 1]! * x.shape[d + 1]!;
  const run = size[rank - 1]!;
  const idx = new Array<number>(rank).fill(0); // index over the outer dims of the output
  for (let o = 0; o < total; o += run) {
    let src = begin[rank - 1]!;
    for (let d = 0; d < rank - 1; d++) src += (begin[d]! + idx[d]!) * strides[d]!;
    ov.set(xv.subarray(src, src + run), o);
    for (let d = rank - 2; d >= 0; d--) {
      if (++idx[d]! < size[d]!) break;
      idx[d] = 0;
    }
  }
  return out;
}

/** Register the faster Slice and SplitV for 'wasm' (idempotent; only after the wasm backend exists). */
export function installFastWasmSlice(): void {
  if (installed) return;
  installed = true;
  const slow = tf.getKernel('Slice', 'wasm');
  if (!slow) return;
  const fastSlice = ({ inputs, attrs, backend }: KernelArgs): tf.TensorInfo => {
    const x = inputs.x as tf.TensorInfo;
    if (x.dtype !== 'float32' && x.dtype !== 'int32' && x.dtype !== 'bool') return slow.kernelFunc({ inputs, attrs: attrs!, backend: backend as tf.KernelBackend }) as tf.TensorInfo;
    const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, attrs!.begin as number[], attrs!.size as number[]);
    return sliceInto(x, begin, size, backend as WasmBackendLike);
  };
  const slowSplit = tf.getKernel('SplitV', 'wasm');
  const fastSplit = ({ inputs, attrs, backend }: KernelArgs): tf.TensorInfo[] => {
    const x = inputs.x as tf.TensorInfo;
    if (x.dtype !== 'float32' && x.dtype !== 'int32' && x.dtype !== 'bool') return slowSplit!.kernelFunc({ inputs, attrs: attrs!, backend: backend as tf.KernelBackend }) as tf.TensorInfo[];
    const axis = tf.util.parseAxisParam(attrs!.axis as number, x.shape)[0]!;
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, attrs!.numOrSizeSplits as number[] | number, axis);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((s) => {
      const size = x.shape.slice();
      size[axis] = s;
      const part = sliceInto(x, begin.slice(), size, backend as WasmBackendLike);
      begin[axis]! += s;
      return part;
    });
  };
  tf.unregisterKernel('Slice', 'wasm');
  tf.registerKernel({ kernelName: 'Slice', backendName: 'wasm', kernelFunc: fastSlice as unknown as tf.KernelFunc });
  if (slowSplit) {
    tf.unregisterKernel('SplitV', 'wasm');
    tf.registerKernel({ kernelName: 'SplitV', backendName: 'wasm', kernelFunc: fastSplit as unknown as tf.KernelFunc });
  }
}
