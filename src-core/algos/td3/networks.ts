// TD3 networks: a deterministic actor, MLP with ReLU and a tanh output in [-1, 1], with a Polyak
// target; twin critics as SAC's CriticPair. PyTorch default initialisation. Trained with
// hand-written backward passes (Mlp.forwardTrace / backward), like the SAC family.
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../rng.ts';
import { Mlp, type MlpTrace } from '../../nn/mlp.ts';
import { FlatParams } from '../../nn/params.ts';

export class DeterministicActor {
  readonly params = new FlatParams({ batchedMatrices: true });
  readonly net: Mlp;
  readonly target: FlatParams;

  constructor(rng: Rng, obsDim: number, actDim: number, hidden: number[]) {
    this.net = new Mlp(this.params, 'actor', rng, { sizes: [obsDim, ...hidden, actDim], activation: 'relu', init: { kind: 'torch' } });
    this.params.finalize();
    this.target = this.params.clone(false);
  }

  /** tanh(MLP(s)) with weights `w` (online or target; no gradient). */
  forward(w: tf.Tensor[], obs: tf.Tensor2D): tf.Tensor2D {
    return tf.tanh(this.net.forward(w, obs)) as tf.Tensor2D;
  }

  /** mu(s) = tanh(MLP(s)) keeping what `paramGrad` needs. */
  trace(w: tf.Tensor[], obs: tf.Tensor2D): { net: MlpTrace; action: tf.Tensor2D } {
    const net = this.net.forwardTrace(w, obs);
    return { net, action: tf.tanh(net.out) as tf.Tensor2D };
  }

  /** dL/d(actor parameters) as one flat vector from dL/dmu `dA` [B, actDim]; `obsT` is [obs 1]^T. */
  paramGrad(t: { net: MlpTrace; action: tf.Tensor2D }, dA: tf.Tensor2D, obsT: tf.Tensor3D): tf.Tensor1D {
    const dOut = tf.mul(dA, tf.sub(1, tf.square(t.action))) as tf.Tensor2D; // tanh' = 1 - mu^2
    return tf.concat(this.net.backward(t.net, dOut, { paramGrad: true, inputGrad: false, inputT: obsT }).params) as tf.Tensor1D;
  }

  dispose(): void {
    this.params.dispose();
    this.target.dispose();
  }
}
