// One landscape job, computed where it runs (the worker process, src-main/worker/main.ts; issue 15):
// load the run's checkpoint (and another run's, for its plain Q), then either evaluate every layer
// over an action grid at one observation, or score every step of an episode (plain-Q peakedness,
// AdaEnt's soft/plain cosine, critical steps). Grids, integrals and scores: src-core/analysis.
import { readFileSync } from 'node:fs';
import { normals } from '../../src-core/algos/common/squashed_act.ts';
import {
  actionGrid,
  boltzmannDensity,
  boxCover,
  isCritical,
  peakCover,
  peakedness,
  PEAKEDNESS_DEFINITION,
  policyDensity,
  softValue,
  type ActionBox,
} from '../../src-core/analysis/landscape.ts';
import type { CriticalResult, LandscapeLayer, LandscapeResult } from '../../src-core/contract/methods/analysis.ts';
import type { LandscapeJob } from '../../src-core/contract/worker-protocol.ts';
import { getEnvSpec } from '../../src-core/envs/registry.ts';
import type { Env } from '../../src-core/envs/types.ts';
import { Rng } from '../../src-core/rng.ts';
import { loadStoredAgent } from './engine-policy.ts';
import { adaEntSwitch, landscapeNetworks, type LandscapeNetworks, type PolicyHead, type QFn } from './landscape-networks.ts';

/** Monte Carlo samples for V_soft above two action dimensions. */
const VSOFT_SAMPLES = 4096;
/** Points per axis of the V_soft grid when the plot does not span the whole box (one or two dimensions). */
const VSOFT_GRID = { perAxis1d: 201, perAxis2d: 64 } as const;
/** The spec's threshold for every task but Vehicle (spec/algorithms.md, SAC-AdaEnt). */
const SPEC_THRESHOLD = (envId: string) => (envId === 'vehicle' ? 0.8 : 0.9);

interface Loaded {
  nets: LandscapeNetworks;
  env: Env;
  runId: number;
  step: number;
  label: string;
  dispose(): void;
}

async function load(n: LandscapeJob['primary'], backend: string | undefined): Promise<Loaded & { backend: string }> {
  const r = await loadStoredAgent(new Uint8Array(readFileSync(n.checkpointFile)), n.runConfig, 0, backend);
  const obsDim = r.env.observationSpace.dim;
  const actDim = r.env.actionSpace.dim;
  return {
    nets: landscapeNetworks(r.agent, obsDim, actDim),
    env: r.env,
    runId: n.runId,
    step: n.step,
    label: `run ${n.runId} (${r.config.algo}) at step ${n.step}`,
    backend: r.backend,
    dispose: () => r.agent.dispose(),
  };
}

/** The networks a job uses: the primary run's, and the plain Q of the comparison run where given. */
export interface Resolved {
  main: Loaded;
  box: ActionBox;
  squashed: boolean;
  softQ: QFn | null;
  plainQ: QFn | null;
  plainFrom: Loaded | null;
  plainName: string | null;
  threshold: { value: number; from: string } | null;
  numSamples: number;
  missing: { key: string; reason: string }[];
}

function resolve(main: Loaded, other: Loaded | null): Resolved {
  const n = main.nets;
  const env = main.env;
  if (other) {
    if (other.env.id !== env.id || other.env.variant !== env.variant) throw new Error(`the comparison run ${other.runId} is on ${other.env.id}/${other.env.variant}, run ${main.runId} on ${env.id}/${env.variant}`);
    if (!other.nets.plainQ) throw new Error(`run ${other.runId} (${other.nets.algo}) has no plain Q to compare against: pick a SAC-AdaEnt or TD3 run`);
  }
  const plainSrc = other ?? main;
  const squashed = n.algo !== 'ppo';
  const d = env.actionSpace.dim;
  const box: ActionBox = squashed ? { low: new Array<number>(d).fill(-1), high: new Array<number>(d).fill(1) } : { low: Array.from(env.actionSpace.low), high: Array.from(env.actionSpace.high) };
  const ada = n.adaent ?? other?.nets.adaent ?? null;
  const adaRun = n.adaent ? main : other?.nets.adaent ? other : null;
  const threshold = ada && adaRun
    ? { value: ada.threshold, from: `run ${adaRun.runId}'s SAC-AdaEnt config` }
    : { value: SPEC_THRESHOLD(env.id), from: `the spec's SAC-AdaEnt threshold for ${env.id} (no SAC-AdaEnt run involved)` };
  const missing = n.missing.filter((m) => !(other && m.key === 'q_plain'));
  return {
    main,
    box,
    squashed,
    softQ: n.softQ,
    plainQ: other ? other.nets.plainQ : n.plainQ,
    plainFrom: n.plainQ || other ? plainSrc : null,
    plainName: other ? other.nets.plainName : n.plainName,
    threshold: n.softQ ? threshold : null,
    numSamples: ada?.numSamples ?? 100,
    missing,
  };
}

function repeatObs(obs: Float32Array, n: number): Float32Array {
  const out = new Float32Array(obs.length * n);
  for (let i = 0; i < n; i++) out.set(obs, i * obs.length);
  return out;
}

/** The policy's mean action in the box's units (the squashed mean is tanh(mu)). */
function meanAction(head: PolicyHead, box: ActionBox): number[] {
  return Array.from(head.mean, (m, k) => (head.kind === 'squashed-gaussian' ? Math.tanh(m) : Math.min(box.high[k]!, Math.max(box.low[k]!, m))));
}

export function computeLandscape(job: LandscapeJob, r: Resolved): LandscapeResult {
  const { main, box } = r;
  const env = main.env;
  const d = env.actionSpace.dim;
  const obsDim = env.observationSpace.dim;
  const observation = job.observations[0]!;
  if (observation.length !== obsDim) throw new Error(`the observation has ${observation.length} values, ${env.id} observes ${obsDim}`);
  const obs = Float32Array.from(observation);
  const head = main.nets.policy ? main.nets.policy(obs, 1) : null;
  const held = job.held ?? (head ? meanAction(head, box) : box.low.map((l, k) => (l + box.high[k]!) / 2));
  const heldFrom = job.held ? 'given' : head ? (head.kind === 'deterministic' ? "the policy's action" : "the policy's mean action") : 'the middle of the box';
  const points = job.points ?? (job.axes.length === 1 ? 201 : 64);
  const grid = actionGrid(box, job.axes, held, points);
  const G = grid.weights.length;
  const obsRows = repeatObs(obs, G);
  const spansBox = job.axes.length === d;
  const layers: LandscapeLayer[] = [];
  const alpha = main.nets.alpha;
  let vSoft: LandscapeResult['vSoft'] = null;
  if (r.softQ) {
    const q = r.softQ(obsRows, grid.actions, G);
    layers.push({ key: 'q_soft', label: `Q_soft = min(Q1, Q2), ${main.label}`, runId: main.runId, values: Array.from(q) });
    if (alpha !== null) {
      const vSlice = softValue(q, grid.weights, alpha);
      const cond = spansBox ? '' : ', conditional on the held action values';
      layers.push({ key: 'boltzmann', label: `Boltzmann density exp((Q_soft - V_soft) / alpha), alpha = ${fmt(alpha)}${cond}, ${main.label}`, runId: main.runId, values: boltzmannDensity(q, vSlice, alpha) });
      if (spansBox) vSoft = { value: vSlice, method: `trapezoid rule on the plotted ${job.axes.length === 1 ? points : `${points} x ${points}`} grid` };
      else {
        const cover = boxCover(box, d === 1 ? VSOFT_GRID.perAxis1d : VSOFT_GRID.perAxis2d, VSOFT_SAMPLES, job.seed);
        const n = cover.weights.length;
        vSoft = { value: softValue(r.softQ(repeatObs(obs, n), cover.actions, n), cover.weights, alpha), method: cover.method };
      }
    }
  }
  if (r.plainQ && r.plainFrom) {
    layers.push({ key: 'q_plain', label: `${r.plainName}, ${r.plainFrom.label}`, runId: r.plainFrom.runId, values: Array.from(r.plainQ(obsRows, grid.actions, G)) });
  }
  if (head && head.logStd) {
    const what = head.kind === 'squashed-gaussian' ? 'tanh-squashed Gaussian' : 'Gaussian';
    layers.push({ key: 'policy_density', label: `policy density (${what}, marginal of the shown axes), ${main.label}`, runId: main.runId, values: policyDensity(grid, Array.from(head.mean), Array.from(head.logStd), head.kind === 'squashed-gaussian') });
  }
  let adaent: LandscapeResult['adaent'] = null;
  if (head && r.softQ && r.plainQ && r.threshold && head.kind === 'squashed-gaussian') {
    const N = r.numSamples;
    const s = adaEntSwitch(head, obs, 1, obsDim, d, normals(new Rng(job.seed, 4), N * d), N, r.softQ, r.plainQ);
    const cosine = s.cosine[0]!;
    adaent = {
      samples: Array.from(s.samples),
      soft: Array.from(s.u),
      plain: Array.from(s.v),
      cosine,
      threshold: r.threshold.value,
      thresholdFrom: r.threshold.from,
      followsPlain: cosine < r.threshold.value,
      sources: `${N} actions from ${main.label}'s policy (seed ${job.seed}); soft values from ${main.label}; plain values from ${r.plainFrom!.label}`,
    };
  }
  let peak: LandscapeResult['peak'] = null;
  if (r.plainQ && r.plainFrom) {
    const cover = peakCover(box, job.seed);
    const n = cover.weights.length;
    peak = { ...peakedness(r.plainQ(repeatObs(obs, n), cover.actions, n)), definition: PEAKEDNESS_DEFINITION, runId: r.plainFrom.runId };
  }
  const stateValue = main.nets.stateValue ? main.nets.stateValue(obs, 1)[0]! : null;
  return {
    title: job.context.title,
    envId: env.id,
    variant: env.variant,
    stateLabel: job.context.stateLabel,
    stateNames: [...env.stateNames],
    state: job.context.state,
    observation,
    actionNames: actionNames(env),
    box: { low: [...box.low], high: [...box.high] },
    units: r.squashed ? "the agent's units [-1, 1] (the environment's action = low + (a + 1) / 2 (high - low))" : "the environment's units (PPO's raw actions)",
    axes: grid.axes,
    held,
    heldFrom,
    x: grid.x,
    y: grid.y,
    alpha,
    layers,
    missing: r.missing,
    vSoft,
    stateValue,
    policy: head ? { kind: head.kind, mean: Array.from(head.mean), logStd: head.logStd ? Array.from(head.logStd) : null } : null,
    adaent,
    peak,
    sources: sourcesOf(r),
  };
}

export function computeCritical(job: LandscapeJob, r: Resolved): CriticalResult {
  const { main, box } = r;
  const env = main.env;
  const d = env.actionSpace.dim;
  const obsDim = env.observationSpace.dim;
  const T = job.observations.length;
  const obs = new Float32Array(T * obsDim);
  job.observations.forEach((o, t) => {
    if (o.length !== obsDim) throw new Error(`observation ${t} has ${o.length} values, ${env.id} observes ${obsDim}`);
    obs.set(o, t * obsDim);
  });
  const missing: string[] = [];
  let peaks: (number | null)[] = new Array<number | null>(T).fill(null);
  let cosines: (number | null)[] = new Array<number | null>(T).fill(null);
  if (r.plainQ) {
    const cover = peakCover(box, job.seed);
    const C = cover.weights.length;
    const rows = new Float32Array(T * C * obsDim);
    const acts = new Float32Array(T * C * d);
    for (let t = 0; t < T; t++) {
      for (let c = 0; c < C; c++) rows.set(obs.subarray(t * obsDim, (t + 1) * obsDim), (t * C + c) * obsDim);
      acts.set(cover.actions, t * C * d);
    }
    const q = r.plainQ(rows, acts, T * C);
    peaks = Array.from({ length: T }, (_, t) => peakedness(q.subarray(t * C, (t + 1) * C)).peakedness);
  } else missing.push(`peakedness: ${main.label} has no plain Q; compare against a SAC-AdaEnt or TD3 run of the same task`);
  const head = main.nets.policy ? main.nets.policy(obs, T) : null;
  if (r.softQ && r.plainQ && head?.kind === 'squashed-gaussian') {
    const N = r.numSamples;
    const s = adaEntSwitch(head, obs, T, obsDim, d, normals(new Rng(job.seed, 4), T * N * d), N, r.softQ, r.plainQ);
    cosines = Array.from(s.cosine);
  } else missing.push(`cosine: needs a stochastic (squashed-Gaussian) policy with a soft Q and a plain Q; ${main.label} (${main.nets.algo}) ${r.softQ ? 'has no plain Q here' : 'has no soft Q'}`);
  const threshold = r.threshold?.value ?? null;
  return {
    title: job.context.title,
    definition: PEAKEDNESS_DEFINITION + (r.threshold ? ` Threshold ${r.threshold.value} (${r.threshold.from}).` : ''),
    threshold,
    peakedness: peaks,
    cosine: cosines,
    critical: peaks.map((p, t) => p !== null && cosines[t] !== null && threshold !== null && isCritical(p, cosines[t]!, threshold)),
    missing,
    sources: sourcesOf(r),
  };
}

function sourcesOf(r: Resolved) {
  const list = [r.main, ...(r.plainFrom && r.plainFrom !== r.main ? [r.plainFrom] : [])];
  return list.map((l) => ({ runId: l.runId, step: l.step, algo: l.nets.algo, label: l.label }));
}

function actionNames(env: Env): string[] {
  const named = getEnvSpec(env.id).variants.find((v) => v.name === env.variant)?.actionNames ?? [];
  return Array.from({ length: env.actionSpace.dim }, (_, i) => named[i] ?? `a${i}`);
}

function fmt(v: number): string {
  return Number(v.toPrecision(4)).toString();
}

/** Load a job's networks (its run's checkpoint, and the comparison run's) ready for compute*. */
export async function loadJobNetworks(job: LandscapeJob, backend?: string): Promise<{ resolved: Resolved; backend: string; dispose(): void }> {
  const main = await load(job.primary, backend);
  let other: Loaded | null = null;
  try {
    other = job.plain ? await load(job.plain, backend) : null;
    return { resolved: resolve(main, other), backend: main.backend, dispose: () => (main.dispose(), other?.dispose()) };
  } catch (err) {
    main.dispose();
    other?.dispose();
    throw err;
  }
}

export async function runLandscapeJob(job: LandscapeJob, backend?: string): Promise<{ landscape?: LandscapeResult; critical?: CriticalResult; backend: string }> {
  const n = await loadJobNetworks(job, backend);
  try {
    const r = n.resolved;
    return job.kind === 'landscape' ? { landscape: computeLandscape(job, r), backend: n.backend } : { critical: computeCritical(job, r), backend: n.backend };
  } finally {
    n.dispose();
  }
}
