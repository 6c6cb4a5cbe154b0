// Presets: `paper` equals the spec tables (spec/algorithms.md) exactly; `quick` only reduces
// budgets/networks; the registry exposes them per task.
import { describe, expect, it } from 'vitest';
import { presetsForEnv, resolvePreset, PRESET_ENV_IDS } from '../../../src-core/presets/index.ts';

const SAC_TABLE: Record<string, [number, number, number, number, number, number[]]> = {
  // task: actor lr, critic lr, alpha, alpha lr, warm-up, hidden
  toy: [1e-3, 1e-3, 1.0, 1e-3, 0, [32, 32]],
  acrobot: [1e-3, 1e-3, 0.2, 1e-3, 25000, [256, 256]],
  vehicle: [1e-3, 1e-3, 0.2, 1e-3, 10000, [256, 256]],
  quadrotor: [3e-4, 3e-4, 0.2, 3e-4, 10000, [256, 256]],
  obstacle2d: [1e-3, 1e-3, 0.2, 1e-3, 25000, [256, 256]],
};

const PPO_TABLE: Record<string, [number, number, number, number | 'state']> = {
  // task: training envs, lr, vf_coef, init log sigma
  toy: [1, 1e-5, 0.25, 'state'],
  acrobot: [16, 3e-4, 0.25, -0.5],
  vehicle: [1, 3e-4, 0.25, -1],
  quadrotor: [16, 3e-4, 0.25, -1],
  obstacle2d: [16, 3e-4, 0.5, -0.5],
};

describe('paper presets equal the spec tables', () => {
  for (const [task, [alr, clr, alpha, alphaLr, warm, hidden]] of Object.entries(SAC_TABLE)) {
    it(`SAC family on ${task}`, () => {
      const sac = resolvePreset(task, 'sac', 'paper').algoConfig;
      expect(sac).toMatchObject({ actorLr: alr, criticLr: clr, alpha, alphaLr, warmupSteps: warm, hidden, gamma: 0.99, tau: 0.005, batchSize: 256, bufferSize: 1e6, updatesPerStep: 1, logStdMin: -20, logStdMax: 2, autoAlpha: false });
      expect(sac.sigmaHeadInitScale).toBe(task === 'toy' ? 0.01 : null);
      expect(resolvePreset(task, 'sac-auto', 'paper').algoConfig.autoAlpha).toBe(true);
      const ada = resolvePreset(task, 'sac-adaent', 'paper').algoConfig;
      expect(ada).toMatchObject({ numSamples: 100, threshold: task === 'vehicle' ? 0.8 : 0.9, alpha });
      const td3 = resolvePreset(task, 'td3', 'paper').algoConfig;
      expect(td3).toMatchObject({ policyNoise: 0.2, noiseClip: 0.5, policyDelay: 2, explorationNoise: 0.1, tau: 0.005, batchSize: 256, warmupSteps: warm });
    });
  }
  for (const [task, [envs, lr, vf, sigma]] of Object.entries(PPO_TABLE)) {
    it(`PPO on ${task}`, () => {
      const ppo = resolvePreset(task, 'ppo', 'paper').algoConfig;
      expect(ppo).toMatchObject({ numEnvs: envs, lr, vfCoef: vf, entCoef: 0, clipEps: 0.2, maxGradNorm: 0.5, gaeLambda: 0.95, gamma: 0.99, rolloutSteps: 2048, epochs: 10, minibatchSize: 64, normAdvantage: false });
      expect(ppo.hidden).toEqual(task === 'toy' ? [64, 64] : [256, 256]);
      if (sigma === 'state') expect(ppo.stateSigma).toBe(true);
      else expect(ppo).toMatchObject({ stateSigma: false, initLogStd: sigma });
      expect(ppo.recomputeAdvantage).toBe(task !== 'obstacle2d');
    });
  }
  it('reference budgets: learning steps after the warm-up, as the reference trainer counts them (issue 18)', () => {
    expect(resolvePreset('toy', 'ppo', 'paper').budget).toEqual({ totalSteps: 100_000, learningSteps: 100_000, warmupSteps: 0, evalInterval: 1_000 });
    expect(resolvePreset('vehicle', 'sac', 'paper').budget).toEqual({ totalSteps: 2_010_000, learningSteps: 2_000_000, warmupSteps: 10_000, evalInterval: 10_000 });
    // sac_obstacle2d.py: 25k random steps collected before the trainer, then 50 epochs x 1,000 steps
    for (const algo of ['sac', 'sac-auto', 'sac-adaent', 'td3'] as const) {
      expect(resolvePreset('obstacle2d', algo, 'paper').budget).toEqual({ totalSteps: 75_000, learningSteps: 50_000, warmupSteps: 25_000, evalInterval: 1_000 });
    }
    expect(resolvePreset('obstacle2d', 'ppo', 'paper').budget).toMatchObject({ totalSteps: 50_000, warmupSteps: 0 });
    expect(resolvePreset('acrobot', 'sac', 'paper').budget.totalSteps).toBe(1_025_000);
    // quick: 30k learning steps follow the 12.5k warm-up (they were 17.5k of 30k before)
    expect(resolvePreset('obstacle2d', 'sac', 'quick').budget).toMatchObject({ totalSteps: 42_500, learningSteps: 30_000 });
  });
});

describe('quick presets and the registry', () => {
  it('quick keeps the algorithm semantics and only shrinks budgets or networks (toy PPO: the documented exception)', () => {
    for (const task of PRESET_ENV_IDS) {
      const q = resolvePreset(task, 'sac', 'quick');
      const p = resolvePreset(task, 'sac', 'paper');
      expect(q.budget.learningSteps).toBeLessThanOrEqual(p.budget.learningSteps);
      expect(q.algoConfig.alpha).toBe(p.algoConfig.alpha);
      expect(q.algoConfig.gamma).toBe(p.algoConfig.gamma);
      expect(resolvePreset(task, 'ppo', 'quick').algoConfig.entCoef).toBe(0);
      expect(q.notes.length).toBeGreaterThan(0);
    }
    expect(resolvePreset('pendulum', 'sac-auto', 'quick').algoConfig.hidden).toEqual([64, 64]);
    for (const task of PRESET_ENV_IDS.filter((t) => t !== 'toy')) {
      expect(resolvePreset(task, 'ppo', 'quick').algoConfig.lr).toBe(resolvePreset(task, 'ppo', 'paper').algoConfig.lr);
    }
    // toy PPO: the reference script's state-independent sigma option (log sigma -2) and lr 1e-3 (quick.ts says why)
    expect(resolvePreset('toy', 'ppo', 'quick').algoConfig).toMatchObject({ stateSigma: false, initLogStd: -2, lr: 1e-3, entCoef: 0 });
    expect(resolvePreset('toy', 'ppo', 'paper').algoConfig).toMatchObject({ stateSigma: true, lr: 1e-5 });
  });

  it('every preset of a task, by name and algorithm (presetsForEnv, above the registry)', () => {
    const presets = presetsForEnv('vehicle');
    expect(presets.paper['sac-adaent']!.algoConfig.threshold).toBe(0.8);
    expect(presets.quick.ppo!.budget.totalSteps).toBeLessThan(presets.paper.ppo!.budget.totalSteps);
  });

  it('unknown task, algorithm or preset names are errors', () => {
    expect(() => resolvePreset('nowhere', 'sac', 'paper')).toThrow(/no presets for environment 'nowhere'/);
    expect(() => resolvePreset('toy', 'dqn' as never, 'paper')).toThrow(/unknown algorithm 'dqn'/);
    expect(() => resolvePreset('toy', 'sac', 'fast' as never)).toThrow(/unknown preset 'fast'/);
  });
});
