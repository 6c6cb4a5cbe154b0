// Experiment specs: YAML/JSON parsing with line numbers, range and key errors, SB3 key mapping,
// expansion into full RunConfigs, and every bundled paper experiment being valid.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { parseExperimentText, formatIssue } from '../../../src-core/contract/experiment.ts';
import { mapHyperparameters, parsePythonDict } from '../../../src-core/contract/sb3-keys.ts';
import { resolvePreset } from '../../../src-core/presets/index.ts';

const base = (algos: string) => `name: t
preset: quick
budget: 1000
eval:
  interval: 500
seeds: {count: 2, base: 3}
environments:
  - id: toy
algorithms:
${algos}`;

describe('experiment specs', () => {
  it('expands environments x algorithms x seeds into resolved RunConfigs with SB3 keys mapped', () => {
    const r = parseExperimentText(base(`  - algo: ppo
    hyperparameters: {learning_rate: 0.0003, n_steps: 128, n_envs: 2, gae_lambda: 0.9, policy_kwargs: "dict(net_arch=dict(pi=[16, 16], vf=[16, 16]), log_std_init=-1)"}
  - algo: sac
    hyperparameters: {ent_coef: auto, buffer_size: 5000, learning_starts: 10, gradient_steps: -1, train_freq: 1, gamma: 0.95}
`));
    expect(r.issues).toEqual([]);
    expect(r.runs!.length).toBe(4);
    const [ppo0, ppo1, sac0] = r.runs!.map((x) => x.config);
    expect(ppo0!.seed).toBe(3);
    expect(ppo1!.seed).toBe(4);
    expect(ppo0!.totalSteps).toBe(1000);
    expect(ppo0!.evalInterval).toBe(500);
    expect(ppo0!.algoConfig).toMatchObject({ lr: 0.0003, rolloutSteps: 256, numEnvs: 2, gaeLambda: 0.9, hidden: [16, 16], initLogStd: -1 });
    expect(sac0!.algo).toBe('sac-auto'); // ent_coef: auto
    expect(sac0!.algoConfig).toMatchObject({ autoAlpha: true, bufferSize: 5000, warmupSteps: 10, updatesPerStep: 1, gamma: 0.95 });
    expect(ppo0!.env).toMatchObject({ id: 'toy', variant: 'default' });
  });

  it('refuses an autoAlpha that contradicts sac or sac-auto at its field, so a stored config says what ran (issue 18)', () => {
    const r = parseExperimentText(base(`  - algo: sac
    hyperparameters: {autoAlpha: true}
  - algo: sac-auto
    hyperparameters: {autoAlpha: false}
  - algo: sac-adaent
    hyperparameters: {autoAlpha: true}
`));
    expect(r.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'algorithms[0].hyperparameters.autoAlpha: autoAlpha: sac keeps alpha fixed; choose the algorithm sac-auto to learn alpha',
      'algorithms[1].hyperparameters.autoAlpha: autoAlpha: sac-auto learns alpha; choose the algorithm sac for a fixed alpha',
    ]);
  });

  it('reports malformed YAML with its line', () => {
    const r = parseExperimentText('name: t\nenvironments:\n  - id: toy\n   bad: [1, 2\nalgorithms: []\n');
    expect(r.runs).toBeUndefined();
    expect(r.issues[0]!.message).toMatch(/malformed YAML/);
    expect(r.issues[0]!.line).toBeGreaterThanOrEqual(3);
  });

  it('names the key, the allowed range and the line of an out-of-range value', () => {
    const r = parseExperimentText(base(`  - algo: sac
    hyperparameters:
      gamma: 1.5
`));
    expect(r.issues.map((i) => formatIssue(i, 'f.yaml'))).toEqual(['f.yaml:12: algorithms[0].hyperparameters.gamma: 1.5 is out of range; allowed [0, 1]']);
    const p = parseExperimentText(base('  - algo: ppo\n').replace('  - id: toy', '  - id: toy\n    params: {rewardGood: 5000}'));
    expect(p.issues[0]!.path).toBe('environments[0].params.rewardGood');
    expect(p.issues[0]!.message).toMatch(/5000 is out of range; allowed \[-?\d+, \d+\]/);
    expect(p.issues[0]!.line).toBe(9);
    const b = parseExperimentText(base('  - algo: ppo\n').replace('budget: 1000', 'budget: 0'));
    expect(formatIssue(b.issues[0]!)).toBe('experiment:3: budget: 0 is out of range; allowed >= 1');
  });

  it('refuses unknown keys, hyperparameters of another algorithm and unsupported SB3 settings', () => {
    const r = parseExperimentText(base(`  - algo: ppo
    hyperparameters: {buffer_size: 10, learning_rat: 0.1}
  - algo: sac
    hyperparameters: {train_freq: 4, n_envs: 4}
`) + 'colour: blue\n');
    expect(r.issues.map((i) => [i.path, i.line])).toEqual([['colour', 14]]);
    const s = parseExperimentText(base(`  - algo: ppo
    hyperparameters: {buffer_size: 10, learning_rat: 0.1}
  - algo: sac
    hyperparameters: {train_freq: 4, n_envs: 4}
`));
    const msgs = s.issues.map((i) => `${i.path}: ${i.message}`);
    expect(msgs[0]).toMatch(/^algorithms\[0\]\.hyperparameters\.buffer_size: does not apply to ppo/);
    expect(msgs[1]).toMatch(/^algorithms\[0\]\.hyperparameters\.learning_rat: unknown hyperparameter for ppo/);
    expect(msgs[2]).toMatch(/train_freq: 4 is out of range; allowed an integer in \[1, 1\]/);
    expect(msgs[3]).toMatch(/n_envs: 4 is out of range for sac/);
  });

  it('maps SB3 keys per algorithm and parses RL Zoo policy_kwargs strings', () => {
    const keys = Object.keys(resolvePreset('toy', 'td3', 'paper').algoConfig);
    const m = mapHyperparameters('td3', { learning_rate: 0.001, batch_size: 100, policy_delay: 3, target_policy_noise: 0.3 }, keys);
    expect(m.issues).toEqual([]);
    expect(m.overrides).toEqual({ actorLr: 0.001, criticLr: 0.001, batchSize: 100, policyDelay: 3, policyNoise: 0.3 });
    expect(parsePythonDict('dict(net_arch=[400, 300], ortho_init=False)')).toEqual({ net_arch: [400, 300], ortho_init: false });
    expect(parsePythonDict('dict(net_arch=[1,')).toBeInstanceOf(Error);
  });

  it('accepts every bundled paper experiment (paper and quick)', () => {
    const dir = new URL('../../../resources/experiments/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBe(18); // 9 experiments (hopper and opencat: issue 16) x paper and quick
    for (const f of files) {
      const r = parseExperimentText(readFileSync(new URL(f, dir), 'utf8'));
      expect(r.issues, f).toEqual([]);
      expect(r.runs!.length, f).toBeGreaterThan(0);
      expect(r.runs!.every((x) => x.config.preset === (f.includes('.quick.') ? 'quick' : 'paper')), f).toBe(true);
    }
  });
});
