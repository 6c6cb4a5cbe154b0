// Shared helpers of the store tests: a temp folder per test and a minimal RunConfig.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunConfig } from '../../../src-core/train/types.ts';

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'lab-store-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function runConfig(over: Partial<RunConfig> = {}): RunConfig {
  return {
    env: { id: 'toy', variant: 'default', params: {} },
    algo: 'ppo',
    preset: 'quick',
    seed: 0,
    totalSteps: 1000,
    evalInterval: 100,
    evalEpisodes: 2,
    evalModes: ['deterministic'],
    recordEpisodes: 0,
    evalSeed: 7,
    algoConfig: { gamma: 0.99, learning_rate: 0.001 },
    ...over,
  };
}
