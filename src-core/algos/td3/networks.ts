// TD3 networks: a deterministic actor, MLP with ReLU and a tanh output in [-1, 1], with a Polyak
// target; twin critics as SAC's CriticPair. PyTorch default initialisation.
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../rng.ts';
import { Mlp } from '../../nn/mlp.ts';
import { FlatParams } from '../../nn/params.ts';

export class DeterministicActor {
  readonly params = new FlatParams();
  readonly net: Mlp;
  readonly target: FlatParams;

  constructor(rng: Rng, obsDim: number, actDim: number, hidden: number[]) {
    this.net = new Mlp(this.params, 'actor', rng, { sizes: [obsDim, ...hidden, actDim], activation: 'relu', init: { kind: 'torch' } });
    this.params.finalize();
    this.target = this.params.clone(false);
  }

  /** tanh(MLP(s)) with weights `w` (online or target). */
  forward(w: tf.Tensor[], obs: tf.Tensor2D): tf.Tensor2D {
    return tf.tanh(this.net.apply(w, obs)) as tf.Tensor2D;
  }

  dispose(): void {
    this.params.dispose();
    this.target.dispose();
  }
}
