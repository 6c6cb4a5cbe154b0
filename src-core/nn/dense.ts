// Dense layers with hand-written gradients: y = act(x W + b) as one fused kernel forward, and a
// backward that transposes explicitly (plain products are the fast path on tfjs-backend-wasm).
// `inputGrad: false` skips dL/dx when x needs no gradient (the first layer on observations);
// `paramGrad: false` skips dL/dW, dL/db when the layer is frozen (critics inside the actor loss).
import * as tf from '@tensorflow/tfjs';

export type Activation = 'relu' | 'tanh' | 'linear';

type DenseFn = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.Tensor;

function makeDense(activation: Activation, inputGrad: boolean, paramGrad: boolean): DenseFn {
  const f = tf.customGrad(((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
    let y: tf.Tensor;
    if (activation === 'relu') y = tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: b, activation: 'relu' });
    else if (activation === 'tanh') y = tf.tanh(tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: b }));
    else y = tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: b });
    save([x, w, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sw, sy] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
        let g: tf.Tensor2D = dy as tf.Tensor2D;
        if (activation === 'relu') g = tf.mul(g, tf.step(sy));
        else if (activation === 'tanh') g = tf.mul(g, tf.sub(1, tf.square(sy)));
        const dx = inputGrad ? tf.matMul(g, tf.transpose(sw)) : tf.zerosLike(sx);
        const dw = paramGrad ? tf.matMul(tf.transpose(sx), g) : tf.zerosLike(sw);
        const db = paramGrad ? tf.sum(g, 0) : tf.zeros([sw.shape[1]]);
        return [dx, dw, db];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f as unknown as DenseFn;
}

const table = new Map<string, DenseFn>();

/** act(x W + b); W is [in, out], b is [out]. */
export function dense(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, activation: Activation, inputGrad = true, paramGrad = true): tf.Tensor2D {
  const key = `${activation}:${inputGrad}:${paramGrad}`;
  let fn = table.get(key);
  if (!fn) {
    fn = makeDense(activation, inputGrad, paramGrad);
    table.set(key, fn);
  }
  return fn(x, w, b) as tf.Tensor2D;
}
