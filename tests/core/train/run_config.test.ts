// resolveRunConfig: presets, overrides parsed by field type, unknown keys and bad values named.
import { describe, expect, it } from 'vitest';
import { resolveRunConfig, DEFAULT_EVAL_SEED } from '../../../src-core/train/index.ts';
import { createAgent } from '../../../src-core/algos/index.ts';
import { Rng } from '../../../src-core/rng.ts';

describe('resolveRunConfig', () => {
  it('fills a paper config from the spec tables', () => {
    const c = resolveRunConfig({ env: 'toy', algo: 'sac' });
    expect(c.preset).toBe('paper');
    expect(c.totalSteps).toBe(100_000);
    expect(c.evalInterval).toBe(1_000);
    expect(c.evalEpisodes).toBe(10);
    expect(c.evalModes).toEqual(['deterministic', 'stochastic']);
    expect(c.evalSeed).toBe(DEFAULT_EVAL_SEED);
    expect(c.algoConfig).toMatchObject({ alpha: 1, hidden: [32, 32], warmupSteps: 0, actorLr: 1e-3, autoAlpha: false, sigmaHeadInitScale: 0.01, gamma: 0.99, tau: 0.005, batchSize: 256 });
    expect(c.env).toEqual({ id: 'toy', variant: 'default', params: expect.any(Object) });
  });

  it('applies overrides by type and marks changed algorithm settings as custom', () => {
    const c = resolveRunConfig({ env: 'pendulum', algo: 'sac-auto', preset: 'quick', overrides: { hidden: '32,32', alphaLr: '3e-4', totalSteps: 500, targetEntropy: 'null' } });
    expect(c.algoConfig.hidden).toEqual([32, 32]);
    expect(c.algoConfig.alphaLr).toBe(3e-4);
    expect(c.algoConfig.autoAlpha).toBe(true);
    expect(c.totalSteps).toBe(500);
    expect(c.preset).toBe('custom');
    expect(resolveRunConfig({ env: 'pendulum', algo: 'sac', preset: 'quick', overrides: { totalSteps: 10 } }).preset).toBe('quick');
  });

  it('counts the warm-up in totalSteps: the preset learning steps follow it, an explicit total includes it (issue 18)', () => {
    const sac = resolveRunConfig({ env: 'obstacle2d', algo: 'sac' });
    expect(sac.totalSteps).toBe(75_000);
    expect(sac.algoConfig.warmupSteps).toBe(25_000);
    expect(resolveRunConfig({ env: 'obstacle2d', algo: 'ppo' }).totalSteps).toBe(50_000);
    // a changed warm-up keeps the preset's 50k learning steps
    expect(resolveRunConfig({ env: 'obstacle2d', algo: 'td3', overrides: { warmupSteps: 1000 } }).totalSteps).toBe(51_000);
    // an explicit total is the total
    expect(resolveRunConfig({ env: 'obstacle2d', algo: 'sac', overrides: { totalSteps: 30_000 } }).totalSteps).toBe(30_000);
  });

  it('refuses an autoAlpha that contradicts the algorithm instead of storing what did not run (issue 18)', () => {
    expect(() => resolveRunConfig({ env: 'toy', algo: 'sac', overrides: { autoAlpha: true } })).toThrow(/^autoAlpha: sac keeps alpha fixed/);
    expect(() => resolveRunConfig({ env: 'toy', algo: 'sac-auto', overrides: { autoAlpha: 'false' } })).toThrow(/^autoAlpha: sac-auto learns alpha/);
    expect(resolveRunConfig({ env: 'toy', algo: 'sac-adaent', overrides: { autoAlpha: true } }).algoConfig.autoAlpha).toBe(true);
    const c = resolveRunConfig({ env: 'toy', algo: 'sac' });
    expect(() => createAgent('sac', { ...c.algoConfig, autoAlpha: true }, 6, 1, new Rng(0))).toThrow(/^autoAlpha: sac keeps alpha fixed/);
  });

  it('names unknown keys, bad values, unknown algorithms and environments', () => {
    expect(() => resolveRunConfig({ env: 'toy', algo: 'sac', overrides: { bogus: 1 } })).toThrow(/unknown setting 'bogus'/);
    expect(() => resolveRunConfig({ env: 'toy', algo: 'sac', overrides: { batchSize: 'many' } })).toThrow(/batchSize: 'many' is not a number/);
    expect(() => resolveRunConfig({ env: 'toy', algo: 'sac', overrides: { batchSize: 0 } })).toThrow(/batchSize: must be an integer >= 1/);
    expect(() => resolveRunConfig({ env: 'toy', algo: 'sac', overrides: { gamma: 2 } })).toThrow(/gamma/);
    expect(() => resolveRunConfig({ env: 'toy', algo: 'dqn' })).toThrow(/unknown algorithm 'dqn'/);
    expect(() => resolveRunConfig({ env: 'nowhere', algo: 'sac' })).toThrow(/nowhere/);
    expect(() => resolveRunConfig({ env: 'toy', algo: 'sac', overrides: { evalModes: 'greedy' } })).toThrow(/evalModes/);
  });
});
