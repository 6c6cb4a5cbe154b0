// Per-task presets: `paper` (the spec tables exactly) and `quick` (documented reductions).
// resolvePreset gives the full algorithm config (defaults + task values) and the budget: the task's
// learning steps plus the algorithm's warm-up (off-policy uniform random steps; 0 for PPO) make
// totalSteps, the environment steps of the run in all, the x-axis of every curve (issue 18, point 1).
import { SAC_DEFAULTS } from '../algos/sac/config.ts';
import { SAC_ADAENT_DEFAULTS } from '../algos/sac_adaent/config.ts';
import { PPO_DEFAULTS } from '../algos/ppo/config.ts';
import { TD3_DEFAULTS } from '../algos/td3/config.ts';
import type { AlgoId } from '../train/types.ts';
import { PAPER, type TaskPreset } from './paper.ts';
import { quickPreset } from './quick.ts';

export type PresetName = 'paper' | 'quick';
export const PRESET_NAMES: readonly PresetName[] = ['paper', 'quick'];

export interface ResolvedPreset {
  algoConfig: Record<string, unknown>;
  /** totalSteps = warmupSteps + learningSteps: environment steps in all, warm-up included. */
  budget: { totalSteps: number; learningSteps: number; warmupSteps: number; evalInterval: number };
  notes: string;
}

/** Environment ids with presets. */
export const PRESET_ENV_IDS: readonly string[] = Object.keys(PAPER);

function taskPreset(envId: string, preset: PresetName): TaskPreset {
  if (!PAPER[envId]) throw new Error(`no presets for environment '${envId}' (known: ${PRESET_ENV_IDS.join(', ')})`);
  if (preset === 'paper') return PAPER[envId]!;
  if (preset === 'quick') return quickPreset(envId);
  throw new Error(`unknown preset '${String(preset)}' (choose paper or quick)`);
}

/** The algorithm config (every field, defaults overlaid with the task's values) and the budget. */
export function resolvePreset(envId: string, algo: AlgoId, preset: PresetName): ResolvedPreset {
  const t = taskPreset(envId, preset);
  let algoConfig: Record<string, unknown>;
  switch (algo) {
    case 'sac':
      algoConfig = { ...SAC_DEFAULTS, ...t.sac, autoAlpha: false };
      break;
    case 'sac-auto':
      algoConfig = { ...SAC_DEFAULTS, ...t.sac, autoAlpha: true };
      break;
    case 'sac-adaent':
      algoConfig = { ...SAC_ADAENT_DEFAULTS, ...t.sac, ...t.adaent, autoAlpha: false };
      break;
    case 'ppo':
      algoConfig = { ...PPO_DEFAULTS, ...t.ppo };
      break;
    case 'td3':
      algoConfig = { ...TD3_DEFAULTS, ...t.td3 };
      break;
    default:
      throw new Error(`unknown algorithm '${String(algo)}' (choose sac, sac-auto, sac-adaent, ppo, td3)`);
  }
  const warmupSteps = typeof algoConfig.warmupSteps === 'number' ? algoConfig.warmupSteps : 0;
  const budget = { totalSteps: warmupSteps + t.budget.learningSteps, learningSteps: t.budget.learningSteps, warmupSteps, evalInterval: t.budget.evalInterval };
  return { algoConfig: structuredCloneConfig(algoConfig), budget, notes: t.notes };
}

/** Every preset of one environment (what the registry exposes per task). */
export function presetsForEnv(envId: string): Record<PresetName, Record<AlgoId, ResolvedPreset>> {
  const algos: AlgoId[] = ['sac', 'sac-auto', 'sac-adaent', 'ppo', 'td3'];
  const out = {} as Record<PresetName, Record<AlgoId, ResolvedPreset>>;
  for (const p of PRESET_NAMES) {
    out[p] = {} as Record<AlgoId, ResolvedPreset>;
    for (const a of algos) out[p][a] = resolvePreset(envId, a, p);
  }
  return out;
}

function structuredCloneConfig(c: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(c)) as Record<string, unknown>;
}
