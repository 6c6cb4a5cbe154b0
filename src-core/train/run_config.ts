// resolveRunConfig: a complete, validated RunConfig from an environment id, an algorithm, a preset
// and overrides. Override keys are run fields (totalSteps, evalInterval, ...) or fields of the
// algorithm's config; an unknown key or a badly typed value throws an Error naming it.
// totalSteps counts every environment step, the off-policy warm-up included; without a totalSteps
// override it is the preset's learning steps plus the resolved warmupSteps (issue 18, point 1).
import { getEnvSpec } from '../envs/registry.ts';
import { resolvePreset, type PresetName } from '../presets/index.ts';
import { checkAutoAlpha } from '../algos/sac/config.ts';
import { ALGO_IDS, EVAL_MODES, type AlgoId, type EvalMode, type RunConfig } from './types.ts';

/** The evaluation start-state seed every run uses unless told otherwise (same starts for all algorithms). */
export const DEFAULT_EVAL_SEED = 20250605;

export interface RunRequest {
  env: string;
  variant?: string;
  params?: Record<string, number>;
  algo: string;
  preset?: PresetName;
  seed?: number;
  /** Run fields or algorithm config fields; strings are parsed by the type of the field. */
  overrides?: Record<string, unknown>;
}

const RUN_KEYS = ['seed', 'totalSteps', 'evalInterval', 'evalEpisodes', 'evalModes', 'recordEpisodes', 'evalSeed'] as const;
type RunKey = (typeof RUN_KEYS)[number];

function coerce(key: string, value: unknown, current: unknown): unknown {
  const isNullable = current === null;
  if (typeof value === 'string') {
    const text = value.trim();
    if (isNullable || typeof current === 'number') {
      if (text === 'null' && isNullable) return null;
      const n = Number(text);
      if (text === '' || !Number.isFinite(n)) throw new Error(`${key}: '${value}' is not a number`);
      return n;
    }
    if (typeof current === 'boolean') {
      if (text === 'true') return true;
      if (text === 'false') return false;
      throw new Error(`${key}: '${value}' is not true or false`);
    }
    if (Array.isArray(current)) {
      const items = text.replace(/^\[|\]$/g, '').split(',').map((s) => s.trim()).filter((s) => s !== '');
      return items.map((s) => {
        if (typeof current[0] === 'string') return s;
        const n = Number(s);
        if (!Number.isFinite(n)) throw new Error(`${key}: '${s}' in '${value}' is not a number`);
        return n;
      });
    }
    return text;
  }
  if (isNullable && (value === null || typeof value === 'number')) return value;
  if (Array.isArray(current) && !Array.isArray(value)) throw new Error(`${key}: expected a list, got ${JSON.stringify(value)}`);
  if (!Array.isArray(current) && typeof value !== typeof current) {
    throw new Error(`${key}: expected a ${typeof current}, got ${JSON.stringify(value)}`);
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`${key}: ${value} is not finite`);
  return value;
}

const POSITIVE_INT = new Set(['totalSteps', 'evalInterval', 'evalEpisodes', 'batchSize', 'bufferSize', 'updatesPerStep', 'numEnvs', 'rolloutSteps', 'epochs', 'minibatchSize', 'numSamples', 'policyDelay']);
const NON_NEGATIVE_INT = new Set(['seed', 'evalSeed', 'recordEpisodes', 'warmupSteps']);

function checkRange(key: string, v: unknown): void {
  if (typeof v === 'number') {
    if (POSITIVE_INT.has(key) && !(Number.isInteger(v) && v >= 1)) throw new Error(`${key}: must be an integer >= 1, got ${v}`);
    if (NON_NEGATIVE_INT.has(key) && !(Number.isInteger(v) && v >= 0)) throw new Error(`${key}: must be an integer >= 0, got ${v}`);
    if (/lr$|Lr$/.test(key) && !(v > 0)) throw new Error(`${key}: learning rate must be > 0, got ${v}`);
    if ((key === 'gamma' || key === 'tau' || key === 'gaeLambda') && !(v >= 0 && v <= 1)) throw new Error(`${key}: must be in [0, 1], got ${v}`);
  }
  if (key === 'hidden') {
    const h = v as number[];
    if (h.length === 0 || h.some((x) => !Number.isInteger(x) || x < 1)) throw new Error(`hidden: must be a list of positive integers, got ${JSON.stringify(v)}`);
  }
}

export function resolveRunConfig(req: RunRequest): RunConfig {
  if (!ALGO_IDS.includes(req.algo as AlgoId)) throw new Error(`unknown algorithm '${req.algo}' (choose ${ALGO_IDS.join(', ')})`);
  const algo = req.algo as AlgoId;
  const spec = getEnvSpec(req.env);
  const variant = req.variant ?? spec.defaultVariant;
  const env = spec.resolve(variant, req.params); // validates variant and parameters, naming what is wrong
  const presetName: PresetName = req.preset ?? 'paper';
  const preset = resolvePreset(req.env, algo, presetName);
  const run: Record<RunKey, unknown> = {
    seed: req.seed ?? 0,
    totalSteps: preset.budget.totalSteps,
    evalInterval: preset.budget.evalInterval,
    evalEpisodes: 10,
    evalModes: [...EVAL_MODES],
    recordEpisodes: 2,
    evalSeed: DEFAULT_EVAL_SEED,
  };
  const algoConfig = { ...preset.algoConfig };
  let custom = false;
  const totalGiven = req.overrides !== undefined && 'totalSteps' in req.overrides;
  for (const [key, raw] of Object.entries(req.overrides ?? {})) {
    if ((RUN_KEYS as readonly string[]).includes(key)) {
      const v = coerce(key, raw, run[key as RunKey]);
      checkRange(key, v);
      run[key as RunKey] = v;
    } else if (key in algoConfig) {
      const v = coerce(key, raw, algoConfig[key]);
      checkRange(key, v);
      algoConfig[key] = v;
      custom = true;
    } else {
      throw new Error(`unknown setting '${key}' for ${algo} (run settings: ${RUN_KEYS.join(', ')}; ${algo} settings: ${Object.keys(algoConfig).join(', ')})`);
    }
  }
  if (!totalGiven) run.totalSteps = preset.budget.learningSteps + warmupStepsOf({ algoConfig });
  for (const [k, v] of Object.entries(run)) checkRange(k, v);
  checkAutoAlpha(algo, algoConfig.autoAlpha);
  const modes = run.evalModes as string[];
  if (modes.length === 0 || modes.some((m) => !EVAL_MODES.includes(m as EvalMode))) {
    throw new Error(`evalModes: must be a non-empty list of ${EVAL_MODES.join(', ')}, got ${JSON.stringify(modes)}`);
  }
  return {
    env: { id: spec.id, variant: env.variant, params: { ...env.params } },
    algo,
    preset: custom ? 'custom' : presetName,
    seed: run.seed as number,
    totalSteps: run.totalSteps as number,
    evalInterval: run.evalInterval as number,
    evalEpisodes: run.evalEpisodes as number,
    evalModes: modes as EvalMode[],
    recordEpisodes: run.recordEpisodes as number,
    evalSeed: run.evalSeed as number,
    algoConfig,
  };
}

/** A run's off-policy warm-up: uniform random steps before learning (0 for PPO, which has none). */
export function warmupStepsOf(config: { algoConfig: Record<string, unknown> }): number {
  const w = config.algoConfig.warmupSteps;
  return typeof w === 'number' ? w : 0;
}
