// SAC-AdaEnt's batched switch (N actions per state, rows b * N + j, each critic's state part computed
// once per state and broadcast, mu and sigma broadcast) against a state-by-state computation in JavaScript from the same noise:
// the logged cosine mean and surrogate rate of one update must match.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/engine/backend.ts';
import { Rng } from '../../../src-core/rng.ts';
import { SeedSacAdaEntAgent } from '../../../src-core/algos/sac_adaent/sac_adaent.ts';
import { SAC_ADAENT_DEFAULTS } from '../../../src-core/algos/sac_adaent/config.ts';
import { SquashedGaussianActor } from '../../../src-core/algos/sac/networks.ts';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('SAC-AdaEnt switch', () => {
  it('matches a per-state reference computed from the same noise', async () => {
    const O = 4;
    const D = 2;
    const B = 6;
    const N = 5;
    const cfg = { ...SAC_ADAENT_DEFAULTS, hidden: [8, 8], batchSize: B, numSamples: N, threshold: 0.9, logStdMin: -20, logStdMax: 2 };
    const agent = new SeedSacAdaEntAgent(cfg, O, D, [new Rng(3)]);
    const [soft, plain] = agent.pairs;
    const data = new Rng(4);
    const v = (n: number) => Float32Array.from({ length: n }, () => data.normal());
    const batch = { size: B, obs: v(B * O), actions: v(B * D).map(Math.tanh), rewards: v(B), nextObs: v(B * O), terminated: new Float32Array(B) };
    const actorBefore = agent.actorParams.read('actor', 0);
    const rng = new Rng(5);
    const state = rng.getState();
    const m = (await agent.update([batch], [rng], [true]))[0]!;
    // the same draws: a' noise, the actor's noise, then N x B x D for the switch
    const r = Rng.fromState(state);
    for (let i = 0; i < 2 * B * D; i++) r.normal();
    const eps = Array.from({ length: B * N * D }, () => r.normal());
    // the actor as it was during the update (the switch runs before the actor step)
    const actor = new SquashedGaussianActor(new Rng(0), O, D, cfg.hidden, [cfg.logStdMin, cfg.logStdMax], null);
    actor.params.write('actor', actorBefore);
    const { mu, logStd } = tf.tidy(() => {
      const h = actor.forward(tf.tensor2d(batch.obs, [B, O]));
      return { mu: h.mu.dataSync(), logStd: h.logStd.dataSync() };
    });
    const sa = new Float32Array(B * N * (O + D));
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < N; j++) {
        const row = (b * N + j) * (O + D);
        for (let k = 0; k < O; k++) sa[row + k] = batch.obs[b * O + k]!;
        for (let k = 0; k < D; k++) sa[row + O + k] = Math.tanh(mu[b * D + k]! + Math.exp(logStd[b * D + k]!) * eps[(b * N + j) * D + k]!);
      }
    }
    const [u, p] = tf.tidy(() => {
      const x = tf.tensor2d(sa, [B * N, O + D]);
      return [soft!.nets.minValue(soft!.params.values(0), x).dataSync(), plain!.nets.minValue(plain!.params.values(0), x).dataSync()];
    });
    let cosSum = 0;
    let switched = 0;
    for (let b = 0; b < B; b++) {
      const us = Array.from(u!.subarray(b * N, b * N + N));
      const ps = Array.from(p!.subarray(b * N, b * N + N));
      const umin = Math.min(...us);
      const pmin = Math.min(...ps);
      let dot = 0;
      let nu = 0;
      let np = 0;
      for (let j = 0; j < N; j++) {
        dot += (us[j]! - umin) * (ps[j]! - pmin);
        nu += (us[j]! - umin) ** 2;
        np += (ps[j]! - pmin) ** 2;
      }
      const c = dot / Math.max(Math.sqrt(nu) * Math.sqrt(np), 1e-8);
      cosSum += c;
      if (c < cfg.threshold) switched++;
    }
    expect(m['adaent/cosine_mean']).toBeCloseTo(cosSum / B, 4);
    expect(m['adaent/surrogate_rate']).toBeCloseTo(switched / B, 6);
    expect(switched).toBeGreaterThan(0);
    expect(switched).toBeLessThan(B);
    actor.params.dispose();
    agent.dispose();
  });
});
