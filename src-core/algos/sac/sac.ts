// Soft Actor-Critic (Haarnoja et al. 2018), as Tianshou 0.5.0 runs it (spec/algorithms.md, "SAC"),
// for K seeds at once (seed_sac.ts says how the work is split; K = 1 is a run alone).
// One update: critics regress to the soft target, then the actor minimises
// mean(alpha log pi - min Q), then (sac-auto) log alpha steps, then Polyak on both target critics.
// Gradients are written by hand (checked against tfjs autodiff in tests/core/nn/manual_grads.test.ts).
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../rng.ts';
import { readAndDispose, tidyOrNull } from '../../nn/read.ts';
import { squashedBackward, squashedForward } from '../../nn/squashed_grad.ts';
import type { AlgoId } from '../../train/types.ts';
import type { Batch } from '../common/types.ts';
import type { SacConfig } from './config.ts';
import { joinArrays, noiseTensors, seedHostBatch, seedMeans, stack, unstack, withAction } from './batch.ts';
import { minGrad, softTargetColumn } from './losses.ts';
import { SeedSacBase } from './seed_sac.ts';

export class SeedSacAgent extends SeedSacBase {
  readonly algo: AlgoId;
  protected readonly pairKeys: [string, string, string][] = [['critic', 'critic_target', 'critic_optim']];

  constructor(algo: AlgoId, cfg: SacConfig, obsDim: number, actDim: number, initRngs: Rng[]) {
    super(cfg, obsDim, actDim, initRngs, ['qf']);
    this.algo = algo;
  }

  async update(batches: readonly (Batch | null)[], rngs: readonly (Rng | null)[], withMetrics: readonly boolean[]): Promise<(Record<string, number> | null)[]> {
    const B = batches.find((b) => b)?.size ?? 0;
    const d = this.actDim;
    // per seed, in the single-seed order: a' noise, then the actor's noise
    const { seeds, noise } = this.participants(batches, rngs, [B * d, B * d]);
    const m = seeds.length;
    if (m === 0) return new Array(this.numSeeds).fill(null);
    const want = seeds.some((k) => withMetrics[k]);
    const { nets, params, target, adam } = this.pairs[0]!;
    const actorNet = this.actor.net;
    const [lo, hi] = this.actor.logStdRange;
    const metrics = tidyOrNull(() => {
      const t = seedHostBatch(seeds.map((k) => batches[k]!), this.obsDim, d, this.cfg.gamma);
      const alpha = this.temperature.column(seeds, B);
      // 1. soft target with a' ~ pi(.|s')
      const nn = noiseTensors(joinArrays(noise.map((x) => x[0]!)), m * B, d);
      const next = squashedForward(stack(seeds.map((k, j) => actorNet.forward(this.actorParams.values(k), t.nextObs[j]!))), nn.noise, nn.logNoise, lo, hi);
      const saNext = unstack(withAction(t.nextObsPad, next.action), m);
      const qNext = stack(seeds.map((k, j) => nets.minValue(target.values(k), saNext[j]!)));
      const y = softTargetColumn(t.rewards, t.discount, qNext, alpha, next.logProb);
      // 2. critics: L = mean((Q1 - y)^2) + mean((Q2 - y)^2), dL/dQi = 2 (Qi - y) / B
      const ct = seeds.map((k, j) => nets.trace(params.values(k), t.sa[j]!));
      const e1 = tf.sub(stack(ct.map((c) => c[0].out)), y) as tf.Tensor2D;
      const e2 = tf.sub(stack(ct.map((c) => c[1].out)), y) as tf.Tensor2D;
      const d1 = unstack(tf.mul(e1, 2 / B), m);
      const d2 = unstack(tf.mul(e2, 2 / B), m);
      adam.applySeeds(seeds, tf.concat(seeds.map((_, j) => nets.paramGrad(ct[j]!, d1[j]!, d2[j]!, t.saT[j]!))));
      // 3. actor: mean(alpha log pi(a|s) - min Q(s, a)), a reparameterised, critics (updated) frozen
      const nc = noiseTensors(joinArrays(noise.map((x) => x[1]!)), m * B, d);
      const at = seeds.map((k, j) => actorNet.forwardTrace(this.actorParams.values(k), t.obs[j]!));
      const cur = squashedForward(stack(at.map((a) => a.out)), nc.noise, nc.logNoise, lo, hi);
      const saCur = unstack(withAction(t.obsPad, cur.action), m);
      const qt = seeds.map((k, j) => nets.trace(params.values(k), saCur[j]!));
      const q1 = stack(qt.map((q) => q[0].out));
      const q2 = stack(qt.map((q) => q[1].out));
      const { dq1, dq2 } = minGrad(q1, q2, tf.scalar(-1 / B));
      const dq1s = unstack(dq1, m);
      const dq2s = unstack(dq2, m);
      const dA = stack(seeds.map((_, j) => nets.actionGrad(qt[j]!, dq1s[j]!, dq2s[j]!, this.obsDim, d)));
      const dOut = unstack(squashedBackward(cur, dA, tf.mul(alpha, 1 / B)), m);
      const ag = seeds.map((_, j) => actorNet.backward(at[j]!, dOut[j]!, { paramGrad: true, inputGrad: false, inputT: t.obsT[j]! }).params).flat();
      this.actorAdam.applySeeds(seeds, tf.concat(ag));
      // 4. temperature (sac-auto), 5. Polyak
      const tail = this.finishUpdate(seeds, seedMeans(cur.logProb, m), want);
      if (!tail) return null;
      const actorLoss = seedMeans(tf.sub(tf.mul(alpha, cur.logProb), tf.minimum(q1, q2)), m);
      return tf.stack([seedMeans(tf.square(e1), m), seedMeans(tf.square(e2), m), actorLoss, tail.alpha, tail.entropy, seedMeans(cur.logStd.mean(1, true), m), tail.alphaLoss], 1);
    });
    if (!metrics) return new Array(this.numSeeds).fill(null);
    const v = (await readAndDispose(metrics))!;
    return this.metricRows(seeds, withMetrics, ['losses/qf1_loss', 'losses/qf2_loss', 'losses/actor_loss', 'losses/alpha', 'policy/entropy', 'policy/log_std_mean', 'losses/alpha_loss'], v);
  }
}
