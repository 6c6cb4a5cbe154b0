// What a stored agent's networks give the landscape analysis (issue 15), evaluated with tfjs in a
// worker process: the policy head at a state, Q_soft = min(Q1, Q2) of the soft pair (SAC family),
// Q_plain = min(P1, P2) of SAC-AdaEnt's plain pair or TD3's min(Q1, Q2) (entropy-free), PPO's V(s),
// and AdaEnt's switch at a batch of states through the training code's own minShiftedCosine.
// Each algorithm says what it lacks; nothing is filled in for a missing network.
import * as tf from '@tensorflow/tfjs';
import type { Agent } from '../../src-core/algos/common/types.ts';
import { PpoAgent } from '../../src-core/algos/ppo/ppo.ts';
import type { CriticPair } from '../../src-core/algos/sac/networks.ts';
import { SingleSeedSac } from '../../src-core/algos/sac/seed_sac.ts';
import { minShiftedCosine } from '../../src-core/algos/sac_adaent/losses.ts';
import { SeedSacAdaEntAgent } from '../../src-core/algos/sac_adaent/sac_adaent.ts';
import { SingleSeedTd3 } from '../../src-core/algos/td3/td3.ts';

/** Rows per critic pass: bounds the memory of a large grid or a long episode. */
const CHUNK_ROWS = 32_768;

export interface PolicyHead {
  kind: 'squashed-gaussian' | 'gaussian' | 'deterministic';
  /** Per state: mu (pre-tanh for the squashed Gaussian) or the deterministic action; B x actDim. */
  mean: Float32Array;
  logStd: Float32Array | null;
}

/** Evaluates Q(s_i, a_i) row by row: obs B x obsDim, actions B x actDim. */
export type QFn = (obs: Float32Array, actions: Float32Array, rows: number) => Float32Array;

export interface LandscapeNetworks {
  algo: string;
  obsDim: number;
  actDim: number;
  alpha: number | null;
  policy: ((obs: Float32Array, rows: number) => PolicyHead) | null;
  softQ: QFn | null;
  plainQ: QFn | null;
  /** What the plain Q is, e.g. 'min(P1, P2), plain pair' or "TD3's min(Q1, Q2)". */
  plainName: string | null;
  stateValue: ((obs: Float32Array, rows: number) => Float32Array) | null;
  /** AdaEnt's threshold and sample count (SAC-AdaEnt runs only). */
  adaent: { threshold: number; numSamples: number } | null;
  /** Why each missing layer is missing. */
  missing: { key: string; reason: string }[];
}

/** min(Q1, Q2) of a critic pair with its own (online) weights. */
function pairMin(pair: CriticPair, obsDim: number, actDim: number): QFn {
  return pairMinOf((sa) => pair.minValue(pair.params.unpackCached(), sa), obsDim, actDim);
}

/** Row-by-row Q from a function of concat(s, a) rows -> [rows, 1]. */
function pairMinOf(minValue: (sa: tf.Tensor2D) => tf.Tensor2D, obsDim: number, actDim: number): QFn {
  return (obs, actions, rows) => {
    const out = new Float32Array(rows);
    const w = obsDim + actDim;
    for (let start = 0; start < rows; start += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, rows - start);
      const sa = new Float32Array(n * w);
      for (let i = 0; i < n; i++) {
        sa.set(obs.subarray((start + i) * obsDim, (start + i + 1) * obsDim), i * w);
        sa.set(actions.subarray((start + i) * actDim, (start + i + 1) * actDim), i * w + obsDim);
      }
      const q = tf.tidy(() => minValue(tf.tensor2d(sa, [n, w])).dataSync() as Float32Array);
      out.set(q, start);
    }
    return out;
  };
}

export function landscapeNetworks(agent: Agent, obsDim: number, actDim: number): LandscapeNetworks {
  const base = { algo: agent.algo, obsDim, actDim };
  if (agent instanceof SingleSeedSac) {
    // the SAC family's agent of one run is its seed-batched implementation with one seed (index 0)
    const sac = agent.batched;
    const policy = (obs: Float32Array, rows: number): PolicyHead => {
      const h = sac.policyHead(0, obs, rows);
      return { kind: 'squashed-gaussian', mean: h.mu, logStd: h.logStd };
    };
    const alpha = sac.temperature.alpha(0);
    const softQ = pairMinOf((sa) => sac.pairMin(0, 0, sa), obsDim, actDim);
    if (sac instanceof SeedSacAdaEntAgent) {
      return {
        ...base,
        alpha,
        policy,
        softQ,
        plainQ: pairMinOf((sa) => sac.pairMin(1, 0, sa), obsDim, actDim),
        plainName: 'Q_plain = min(P1, P2), the plain pair',
        stateValue: null,
        adaent: { threshold: sac.cfg.threshold, numSamples: sac.cfg.numSamples },
        missing: [],
      };
    }
    return {
      ...base,
      alpha,
      policy,
      softQ,
      plainQ: null,
      plainName: null,
      stateValue: null,
      adaent: null,
      missing: [{ key: 'q_plain', reason: `${agent.algo} trains no plain Q (entropy-free critic): compare against a SAC-AdaEnt or TD3 run of the same task` }],
    };
  }
  if (agent instanceof SingleSeedTd3) {
    // the seed-batched TD3 agent (K = 1) keeps its weights on the host: seed 0's uploaded tensors
    const td3 = agent.batched;
    const actor = { forward: (w: tf.Tensor[], x: tf.Tensor2D) => tf.tanh(td3.actorNet.forward(w, x)) as tf.Tensor2D, params: { unpackCached: () => td3.actor.values(0) } };
    return {
      ...base,
      alpha: null,
      policy: (obs, rows) => ({ kind: 'deterministic', mean: tf.tidy(() => actor.forward(actor.params.unpackCached(), tf.tensor2d(obs, [rows, obsDim])).dataSync() as Float32Array), logStd: null }),
      softQ: null,
      plainQ: pairMinOf((sa) => td3.critics.minValue(td3.critic.values(0), sa), obsDim, actDim),
      plainName: "TD3's Q = min(Q1, Q2) (no entropy term: a plain Q)",
      stateValue: null,
      adaent: null,
      missing: [
        { key: 'q_soft', reason: 'TD3 has no soft Q (no entropy term)' },
        { key: 'policy_density', reason: 'TD3\'s policy is deterministic: it has no density (its action is marked instead)' },
        { key: 'boltzmann', reason: 'the Boltzmann density needs a soft Q and alpha, which TD3 does not have' },
      ],
    };
  }
  if (agent instanceof PpoAgent) {
    // with obsNorm the networks see observations normalised by the stored running statistics, as in act()
    const ppo = agent.batched;
    return {
      ...base,
      alpha: null,
      policy: (obs, rows) => {
        const { mu, logStd } = ppo.policyHead(0, obs, rows);
        return { kind: 'gaussian', mean: mu, logStd };
      },
      softQ: null,
      plainQ: null,
      plainName: null,
      stateValue: (obs, rows) => ppo.stateValue(0, obs, rows),
      adaent: null,
      missing: [
        { key: 'q_soft', reason: 'PPO learns V(s), not Q(s, a): no soft Q' },
        { key: 'q_plain', reason: 'PPO learns V(s), not Q(s, a): no plain Q (its V(s) is given as a number)' },
        { key: 'boltzmann', reason: 'the Boltzmann density needs a soft Q and alpha, which PPO does not have' },
      ],
    };
  }
  throw new Error(`landscape: no networks known for algorithm '${(agent as Agent).algo}'`);
}

/**
 * AdaEnt's switch at B states (spec/algorithms.md, SAC-AdaEnt step 4): N actions per state
 * a_j = tanh(mu + sigma z_j) from the given noise (B x N x actDim), u_j = Q_soft(s, a_j),
 * v_j = Q_plain(s, a_j), and c(s) by the training code's minShiftedCosine.
 */
export function adaEntSwitch(head: PolicyHead, obs: Float32Array, rows: number, obsDim: number, actDim: number, noise: Float32Array, n: number, softQ: QFn, plainQ: QFn) {
  if (head.kind !== 'squashed-gaussian' || !head.logStd) throw new Error('AdaEnt samples actions from a squashed-Gaussian policy');
  const samples = tf.tidy(() => {
    const mu = tf.reshape(tf.tensor2d(head.mean, [rows, actDim]), [rows, 1, actDim]);
    const std = tf.reshape(tf.exp(tf.tensor2d(head.logStd!, [rows, actDim])), [rows, 1, actDim]);
    return tf.tanh(tf.add(mu, tf.mul(std, tf.tensor3d(noise, [rows, n, actDim])))).dataSync() as Float32Array;
  });
  const obsTiled = new Float32Array(rows * n * obsDim);
  for (let b = 0; b < rows; b++) for (let j = 0; j < n; j++) obsTiled.set(obs.subarray(b * obsDim, (b + 1) * obsDim), (b * n + j) * obsDim);
  const u = softQ(obsTiled, samples, rows * n);
  const v = plainQ(obsTiled, samples, rows * n);
  const cosine = tf.tidy(() => minShiftedCosine(tf.tensor2d(u, [rows, n]), tf.tensor2d(v, [rows, n])).dataSync() as Float32Array);
  return { samples, u, v, cosine };
}
