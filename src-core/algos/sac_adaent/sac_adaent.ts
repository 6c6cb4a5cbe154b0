// SAC-AdaEnt (the paper's mitigation; spec/algorithms.md "SAC-AdaEnt"), for K seeds at once
// (seed_sac.ts says how the work is split; K = 1 is a run alone): SAC's actor, a soft critic
// pair Q (entropy in the target) and a plain pair P (no entropy), each with its own Adam and
// Polyak target. The actor follows plain Q on the states where the min-shifted cosine of the two
// landscapes over N sampled actions (numSamples; the paper's 100) falls below the threshold.
// The switch never repeats states: each critic's first layer computes the state part once per
// state and broadcasts it over the N actions (Mlp.forwardRepeated), equal up to float rounding.
// Gradients are written by hand, as in SAC (sac/sac.ts).
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../rng.ts';
import type { MlpTrace } from '../../nn/mlp.ts';
import { readAndDispose, tidyOrNull, tidyRead } from '../../nn/read.ts';
import { squashedBackward, squashedForward, type SquashedTrace } from '../../nn/squashed_grad.ts';
import type { Batch } from '../common/types.ts';
import { joinArrays, noiseTensors, seedHostBatch, seedMeans, stack, unstack, withAction, type SeedHostBatch } from '../sac/batch.ts';
import { minGrad, plainTargetColumn, softTargetColumn } from '../sac/losses.ts';
import { SeedSacBase, type SeedCritics } from '../sac/seed_sac.ts';
import { normals } from '../common/squashed_act.ts';
import type { SacAdaEntConfig } from './config.ts';
import { minShiftedCosine, switchedQ } from './losses.ts';

export class SeedSacAdaEntAgent extends SeedSacBase {
  readonly algo = 'sac-adaent';
  declare readonly cfg: SacAdaEntConfig;
  protected readonly pairKeys: [string, string, string][] = [
    ['critic', 'critic_target', 'critic_optim'],
    ['plain_critic', 'plain_critic_target', 'plain_critic_optim'],
  ];

  constructor(cfg: SacAdaEntConfig, obsDim: number, actDim: number, initRngs: Rng[]) {
    super(cfg, obsDim, actDim, initRngs, ['qf', 'pf']);
  }

  /** One critic pair's regression step for the participating seeds; returns the stacked errors e1, e2 [mB, 1]. */
  private criticStep(pair: SeedCritics, seeds: number[], t: SeedHostBatch, y: tf.Tensor2D, B: number): [tf.Tensor2D, tf.Tensor2D] {
    const m = seeds.length;
    const ct = seeds.map((k, j) => pair.nets.trace(pair.params.values(k), t.sa[j]!));
    const e1 = tf.sub(stack(ct.map((c) => c[0].out)), y) as tf.Tensor2D;
    const e2 = tf.sub(stack(ct.map((c) => c[1].out)), y) as tf.Tensor2D;
    const d1 = unstack(tf.mul(e1, 2 / B), m);
    const d2 = unstack(tf.mul(e2, 2 / B), m);
    pair.adam.applySeeds(seeds, tf.concat(seeds.map((_, j) => pair.nets.paramGrad(ct[j]!, d1[j]!, d2[j]!, t.saT[j]!))));
    return [e1, e2];
  }

  /**
   * Per-state switch mask [mB, 1] (1 = use plain Q) and cosine [mB], from N actions per state drawn
   * from the policy head `head` (mu, sigma at s, seeds stacked), with the updated critics (no gradient).
   * Rows (j B + b) N + i: seed j, state b, sample i; mu and sigma broadcast over the samples.
   */
  private switchMask(head: SquashedTrace, seeds: number[], obs: tf.Tensor2D[], noise: tf.Tensor3D): { mask: tf.Tensor2D; cosine: tf.Tensor1D } {
    const [mB, d] = head.mu.shape;
    const N = noise.shape[1];
    const m = seeds.length;
    const u3 = tf.add(tf.reshape(head.mu, [mB, 1, d]), tf.mul(tf.reshape(head.std, [mB, 1, d]), noise));
    const a = unstack(tf.reshape(tf.tanh(u3), [mB * N, d]) as tf.Tensor2D, m);
    const [soft, plain] = this.pairs as [SeedCritics, SeedCritics];
    const u = tf.reshape(stack(seeds.map((k, j) => soft.nets.minValueRepeated(soft.params.values(k), obs[j]!, a[j]!, N))), [mB, N]) as tf.Tensor2D;
    const v = tf.reshape(stack(seeds.map((k, j) => plain.nets.minValueRepeated(plain.params.values(k), obs[j]!, a[j]!, N))), [mB, N]) as tf.Tensor2D;
    const cosine = minShiftedCosine(u, v);
    const mask = tf.reshape(tf.cast(tf.less(cosine, this.cfg.threshold), 'float32'), [mB, 1]) as tf.Tensor2D;
    return { mask, cosine };
  }

  /**
   * Seed k's switch cosines at n states `obs` (n x obsDim) with N actions per state drawn from its
   * current policy (noise from `rng`) and its current critics: the switch's decision is cosine < threshold.
   * For measuring how the decision depends on N (bench/adaent_n.ts); training uses cfg.numSamples.
   */
  async switchCosines(k: number, obs: Float32Array, n: number, N: number, rng: Rng): Promise<Float32Array> {
    const d = this.actDim;
    const noise = normals(rng, n * N * d);
    const [lo, hi] = this.actor.logStdRange;
    const [cosine] = await tidyRead(() => {
      const x = tf.tensor2d(obs, [n, this.obsDim]);
      const zeros = tf.zeros([n, d]) as tf.Tensor2D;
      const head = squashedForward(this.actor.net.forward(this.actorParams.values(k), x), zeros, tf.zeros([n, 1]) as tf.Tensor2D, lo, hi);
      return [this.switchMask(head, [k], [x], tf.tensor3d(noise, [n, N, d])).cosine];
    });
    return cosine!;
  }

  async update(batches: readonly (Batch | null)[], rngs: readonly (Rng | null)[], withMetrics: readonly boolean[]): Promise<(Record<string, number> | null)[]> {
    const B = batches.find((b) => b)?.size ?? 0;
    const d = this.actDim;
    const N = this.cfg.numSamples;
    // per seed, in the single-seed order: a' noise, the actor's noise, N x B x d for the switch
    const { seeds, noise } = this.participants(batches, rngs, [B * d, B * d, B * N * d]);
    const m = seeds.length;
    if (m === 0) return new Array(this.numSeeds).fill(null);
    const want = seeds.some((k) => withMetrics[k]);
    const [soft, plain] = this.pairs as [SeedCritics, SeedCritics];
    const actorNet = this.actor.net;
    const [lo, hi] = this.actor.logStdRange;
    const metrics = tidyOrNull(() => {
      const t = seedHostBatch(seeds.map((k) => batches[k]!), this.obsDim, d, this.cfg.gamma);
      const alpha = this.temperature.column(seeds, B);
      // 1-2. one a' ~ pi(.|s') for both targets
      const nn = noiseTensors(joinArrays(noise.map((x) => x[0]!)), m * B, d);
      const next = squashedForward(stack(seeds.map((k, j) => actorNet.forward(this.actorParams.values(k), t.nextObs[j]!))), nn.noise, nn.logNoise, lo, hi);
      const saNext = unstack(withAction(t.nextObsPad, next.action), m);
      const ySoft = softTargetColumn(t.rewards, t.discount, stack(seeds.map((k, j) => soft.nets.minValue(soft.target.values(k), saNext[j]!))), alpha, next.logProb);
      const yPlain = plainTargetColumn(t.rewards, t.discount, stack(seeds.map((k, j) => plain.nets.minValue(plain.target.values(k), saNext[j]!))));
      // 3. Q_i -> y_soft, P_i -> y_plain
      const [se1, se2] = this.criticStep(soft, seeds, t, ySoft, B);
      const [pe1, pe2] = this.criticStep(plain, seeds, t, yPlain, B);
      // 4. the actor's head at s (shared by the switch and the actor step), the switch, the actor on q_hat
      const nc = noiseTensors(joinArrays(noise.map((x) => x[1]!)), m * B, d);
      const at = seeds.map((k, j) => actorNet.forwardTrace(this.actorParams.values(k), t.obs[j]!));
      const cur = squashedForward(stack(at.map((a) => a.out)), nc.noise, nc.logNoise, lo, hi);
      const { mask, cosine } = this.switchMask(cur, seeds, t.obs, tf.tensor3d(joinArrays(noise.map((x) => x[2]!)), [m * B, N, d]));
      const saCur = unstack(withAction(t.obsPad, cur.action), m);
      const qs = seeds.map((k, j) => soft.nets.trace(soft.params.values(k), saCur[j]!));
      const qp = seeds.map((k, j) => plain.nets.trace(plain.params.values(k), saCur[j]!));
      const col = (tr: [MlpTrace, MlpTrace][], i: 0 | 1) => stack(tr.map((q) => q[i].out));
      // L = mean(alpha log pi - q_hat), q_hat = mask min(P1, P2) + (1 - mask) min(Q1, Q2)
      const gs = minGrad(col(qs, 0), col(qs, 1), tf.mul(tf.sub(1, mask), -1 / B));
      const gp = minGrad(col(qp, 0), col(qp, 1), tf.mul(mask, -1 / B));
      const [gs1, gs2, gp1, gp2] = [gs.dq1, gs.dq2, gp.dq1, gp.dq2].map((x) => unstack(x, m)) as [tf.Tensor2D[], tf.Tensor2D[], tf.Tensor2D[], tf.Tensor2D[]];
      const dA = stack(seeds.map((_, j) => tf.add(soft.nets.actionGrad(qs[j]!, gs1[j]!, gs2[j]!, this.obsDim, d), plain.nets.actionGrad(qp[j]!, gp1[j]!, gp2[j]!, this.obsDim, d)) as tf.Tensor2D));
      const dOut = unstack(squashedBackward(cur, dA, tf.mul(alpha, 1 / B)), m);
      const ag = seeds.map((_, j) => actorNet.backward(at[j]!, dOut[j]!, { paramGrad: true, inputGrad: false, inputT: t.obsT[j]! }).params).flat();
      this.actorAdam.applySeeds(seeds, tf.concat(ag));
      // 5. temperature (optional), 6. Polyak on all four targets
      const tail = this.finishUpdate(seeds, seedMeans(cur.logProb, m), want);
      if (!tail) return null;
      const qHat = switchedQ(mask, tf.minimum(col(qs, 0), col(qs, 1)), tf.minimum(col(qp, 0), col(qp, 1)));
      const actorLoss = seedMeans(tf.sub(tf.mul(alpha, cur.logProb), qHat), m);
      const sq = (e: tf.Tensor2D) => seedMeans(tf.square(e), m);
      return tf.stack([sq(se1), sq(se2), sq(pe1), sq(pe2), actorLoss, tail.alpha, tail.entropy, seedMeans(cur.logStd.mean(1, true), m), seedMeans(mask, m), seedMeans(cosine, m), tail.alphaLoss], 1);
    });
    if (!metrics) return new Array(this.numSeeds).fill(null);
    const v = (await readAndDispose(metrics))!;
    const names = ['losses/qf1_loss', 'losses/qf2_loss', 'losses/plain_qf1_loss', 'losses/plain_qf2_loss', 'losses/actor_loss', 'losses/alpha', 'policy/entropy', 'policy/log_std_mean', 'adaent/surrogate_rate', 'adaent/cosine_mean', 'losses/alpha_loss'];
    return this.metricRows(seeds, withMetrics, names, v);
  }
}
