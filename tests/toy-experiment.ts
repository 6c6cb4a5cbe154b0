// The paper's toy experiment (PPO, SAC with alpha = 1, SAC-AdaEnt; quick preset) as an experiment
// file, shared by the Chromium Compare test (2 seeds, a short budget) and the learning test that
// checks the whole claim (5 seeds, the preset's budget).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writeToyExperiment(dir: string, o: { name: string; seeds: number; budget?: number; evalInterval?: number }): string {
  const file = join(dir, `${o.name}.yaml`);
  const evalInterval = o.evalInterval ? `interval: ${o.evalInterval}, ` : '';
  writeFileSync(
    file,
    [
      `name: ${o.name}`,
      'preset: quick',
      ...(o.budget ? [`budget: ${o.budget}`] : []),
      `eval: {${evalInterval}episodes: 10, modes: [deterministic, stochastic], record_episodes: 1}`,
      `seeds: {count: ${o.seeds}, base: 0}`,
      'environments: [{id: toy}]',
      'algorithms:',
      '  - {algo: ppo, label: PPO}',
      '  - {algo: sac, label: "SAC (alpha = 1)"}',
      '  - {algo: sac-adaent, label: SAC-AdaEnt}',
      '',
    ].join('\n'),
  );
  return file;
}
