// A synthetic experiment written straight into a store (no training): runs of several algorithms
// and seeds with metrics, evaluations in both modes, training episodes, a trajectory and a
// checkpoint file. Shared by the bundle and `lab compare` tests.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../../src-core/rng.ts';
import type { AlgoId, RunConfig } from '../../../src-core/train/types.ts';
import type { Store } from '../../../src-main/store/index.ts';
import { checkpointDir } from '../../../src-main/store/location.ts';

export function tempDir(prefix = 'lab-bundle-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface FixtureAlgo {
  algo: AlgoId;
  /** Final deterministic / stochastic evaluation returns, one per seed. */
  det: number[];
  sto: number[];
}

export function config(algo: AlgoId, seed: number, totalSteps = 3000, envId = 'toy'): RunConfig {
  return {
    env: { id: envId, variant: 'default', params: {} },
    algo,
    preset: 'quick',
    seed,
    totalSteps,
    evalInterval: 1000,
    evalEpisodes: 2,
    evalModes: ['deterministic', 'stochastic'],
    recordEpisodes: 1,
    evalSeed: 7,
    algoConfig: algo === 'ppo' ? { entCoef: 0, lr: 1e-5 } : { alpha: 1, lr: 1e-3 },
  };
}

/** Fill `store` with one experiment; returns its id and run ids. */
export function writeFixture(store: Store, algos: FixtureAlgo[], opts: { checkpoint?: boolean; totalSteps?: number; envId?: string } = {}): { experimentId: number; runIds: number[] } {
  const rng = new Rng(99);
  const runIds: number[] = [];
  const experimentId = store.experiments.insert({ name: 'toy fixture', description: 'synthetic', spec: { name: 'toy fixture', seeds: 3 }, tags: ['fixture'] });
  store.tx(() => {
    for (const a of algos) {
      a.det.forEach((final, seed) => {
        const id = store.runs.insert(config(a.algo, seed, opts.totalSteps, opts.envId), { experimentId, label: `${a.algo} s${seed}`, tags: ['t'] });
        runIds.push(id);
        store.runs.setReady(id, 'wasm', { app: '0.1.0', tfjs: '4.22.0', node: 'v22' });
        const points = [];
        for (let step = 3; step <= 3000; step += 3) {
          points.push({ key: 'policy/entropy', step, wallTime: step / 100, value: 1 - step / 3000 + 0.1 * rng.normal() });
          if (step % 30 === 0) points.push({ key: 'losses/qf1_loss', step, wallTime: step / 100, value: rng.uniform() });
        }
        points.sort((p, q) => (p.key < q.key ? -1 : p.key > q.key ? 1 : p.step - q.step));
        store.metrics.append(id, points);
        for (const step of [1000, 2000, 3000]) {
          const frac = step / 3000;
          const det = final * frac;
          const sto = a.sto[seed]! * frac;
          store.evaluations.insert(id, { step, mode: 'deterministic', returns: [det, det], lengths: [2, 2], startSeeds: [11, 12], wallTime: step / 100 });
          store.evaluations.insert(id, { step, mode: 'stochastic', returns: [sto - 0.01, sto + 0.01], lengths: [2, 2], startSeeds: [11, 12], wallTime: step / 100 });
          store.episodes.insert(id, { step, return: det, length: 2, wallTime: step / 100 });
        }
        store.trajectories.insert(id, {
          step: 3000, mode: 'deterministic', episode: 0, startSeed: 11, length: 2, obsDim: 6, actDim: 1, stateDim: 1,
          observations: Float32Array.from({ length: 18 }, (_, i) => (i % 7 === 0 ? 1 : 0)),
          actions: Float32Array.of(-0.5, 0.05), rewards: Float32Array.of(0, final),
          rewardComponents: { branch: Float32Array.of(0, final) },
          logProbs: Float32Array.of(-1.2, Number.NaN), entropies: Float32Array.of(0.3, 0.2), states: Float64Array.of(0, 1, 3),
        });
        if (opts.checkpoint !== false) {
          const dir = checkpointDir(store.path, id);
          mkdirSync(dir, { recursive: true });
          const file = join(dir, 'step-0000003000.ckpt');
          writeFileSync(file, Buffer.from(`weights of run ${id} ${a.algo} seed ${seed}`));
          store.checkpoints.insert(id, 3000, file, 30);
        }
        store.runs.setGlobalStep(id, 3000);
        store.runs.setLastEval(id, 'deterministic', final);
        store.runs.markEnded(id, 'completed');
      });
    }
  });
  return { experimentId, runIds };
}

/** PPO and SAC-AdaEnt reach +1, SAC (alpha = 1) the -1 branch; stochastic returns a little lower. */
export const TOY_LIKE: FixtureAlgo[] = [
  { algo: 'ppo', det: [1, 1, 0.98], sto: [0.9, 0.95, 0.8] },
  { algo: 'sac', det: [-1, -1, -1.02], sto: [-1.1, -1, -1.05] },
  { algo: 'sac-adaent', det: [1, 0.96, 1], sto: [0.7, 0.9, 0.85] },
];
