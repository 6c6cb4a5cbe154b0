// RL Zoo / Stable-Baselines3 hyperparameter keys accepted in experiment files, and how each one
// maps onto the lab's algorithm config (src-core/algos/<algo>/config.ts) or run settings.
// The same table, as prose, is docs/hyperparameters.md. Ranges are checked here and name the key
// as it was written. Keys the lab cannot honour exactly (train_freq other than 1, n_envs for the
// off-policy algorithms) are refused with the reason rather than approximated.
import type { AlgoId } from '../train/types.ts';

/** An allowed numeric range; `integer` adds an integrality check. */
export interface Range {
  min: number;
  max: number;
  minOpen?: boolean;
  integer?: boolean;
}

export function describeRange(r: Range): string {
  const lo = r.minOpen ? `(${r.min}` : `[${r.min}`;
  return `${r.integer ? 'an integer in ' : ''}${lo}, ${r.max}]`;
}

export function inRange(v: number, r: Range): boolean {
  if (!Number.isFinite(v)) return false;
  if (r.integer && !Number.isInteger(v)) return false;
  return (r.minOpen ? v > r.min : v >= r.min) && v <= r.max;
}

/** Ranges of lab config keys (also applied to the lab keys SB3 keys map onto). */
export const LAB_RANGES: Record<string, Range> = {
  totalSteps: { min: 1, max: 1e9, integer: true },
  evalInterval: { min: 1, max: 1e9, integer: true },
  evalEpisodes: { min: 1, max: 1000, integer: true },
  recordEpisodes: { min: 0, max: 1000, integer: true },
  evalSeed: { min: 0, max: 2 ** 31 - 1, integer: true },
  actorLr: { min: 0, max: 1, minOpen: true },
  criticLr: { min: 0, max: 1, minOpen: true },
  alphaLr: { min: 0, max: 1, minOpen: true },
  lr: { min: 0, max: 1, minOpen: true },
  alpha: { min: 0, max: 1e3 },
  gamma: { min: 0, max: 1 },
  tau: { min: 0, max: 1 },
  batchSize: { min: 1, max: 1e6, integer: true },
  minibatchSize: { min: 1, max: 1e6, integer: true },
  bufferSize: { min: 1, max: 1e8, integer: true },
  warmupSteps: { min: 0, max: 1e9, integer: true },
  updatesPerStep: { min: 1, max: 1000, integer: true },
  numEnvs: { min: 1, max: 256, integer: true },
  rolloutSteps: { min: 1, max: 1e7, integer: true },
  epochs: { min: 1, max: 1000, integer: true },
  gaeLambda: { min: 0, max: 1 },
  clipEps: { min: 0, max: 10, minOpen: true },
  vfCoef: { min: 0, max: 1e3 },
  entCoef: { min: 0, max: 1e3 },
  maxGradNorm: { min: 0, max: 1e6, minOpen: true },
  threshold: { min: -1, max: 1 },
  numSamples: { min: 1, max: 10000, integer: true },
  explorationNoise: { min: 0, max: 10 },
  policyNoise: { min: 0, max: 10 },
  noiseClip: { min: 0, max: 10 },
  policyDelay: { min: 1, max: 1000, integer: true },
  initLogStd: { min: -20, max: 2 },
};

export interface Sb3Key {
  /** What the key means in SB3 / RL Zoo. */
  sb3: string;
  /** What it becomes in the lab (for docs and error messages). */
  lab: string;
  algos: readonly AlgoId[];
  range?: Range;
}

const OFF: readonly AlgoId[] = ['sac', 'sac-auto', 'sac-adaent', 'td3'];
const SACS: readonly AlgoId[] = ['sac', 'sac-auto', 'sac-adaent'];
const ALL: readonly AlgoId[] = ['sac', 'sac-auto', 'sac-adaent', 'ppo', 'td3'];
const PPO: readonly AlgoId[] = ['ppo'];

/** Every accepted SB3 / RL Zoo key. */
export const SB3_KEYS: Record<string, Sb3Key> = {
  n_timesteps: { sb3: 'total environment steps', lab: 'totalSteps', algos: ALL, range: LAB_RANGES.totalSteps },
  learning_rate: { sb3: 'learning rate of every optimiser (constant)', lab: 'actorLr, criticLr, alphaLr (SAC family, TD3); lr (PPO)', algos: ALL, range: { min: 0, max: 1, minOpen: true } },
  buffer_size: { sb3: 'replay buffer capacity', lab: 'bufferSize', algos: OFF, range: LAB_RANGES.bufferSize },
  batch_size: { sb3: 'minibatch size', lab: 'batchSize (off-policy); minibatchSize (PPO)', algos: ALL, range: LAB_RANGES.batchSize },
  ent_coef: { sb3: "entropy coefficient: a number, 'auto' (learned, initial 1.0)", lab: "alpha (number); 'auto' makes sac a sac-auto run (autoAlpha); entCoef (PPO)", algos: ['sac', 'sac-auto', 'sac-adaent', 'ppo'], range: { min: 0, max: 1e3 } },
  target_entropy: { sb3: "target entropy of automatic alpha ('auto' = -dim(A))", lab: 'targetEntropy (null for auto)', algos: SACS, range: { min: -1e3, max: 1e3 } },
  gamma: { sb3: 'discount factor', lab: 'gamma', algos: ALL, range: LAB_RANGES.gamma },
  tau: { sb3: 'Polyak coefficient', lab: 'tau', algos: OFF, range: LAB_RANGES.tau },
  learning_starts: { sb3: 'steps before learning starts', lab: 'warmupSteps (uniform random actions until then)', algos: OFF, range: LAB_RANGES.warmupSteps },
  train_freq: { sb3: 'environment steps between updates', lab: 'must be 1 (the lab updates after every step; use gradient_steps)', algos: OFF, range: { min: 1, max: 1, integer: true } },
  gradient_steps: { sb3: 'gradient steps per update (-1: as many as steps collected)', lab: 'updatesPerStep (-1 means 1, since train_freq is 1)', algos: OFF, range: { min: -1, max: 1000, integer: true } },
  policy_delay: { sb3: 'TD3 actor update delay', lab: 'policyDelay', algos: ['td3'], range: LAB_RANGES.policyDelay },
  target_policy_noise: { sb3: 'TD3 target smoothing noise', lab: 'policyNoise', algos: ['td3'], range: LAB_RANGES.policyNoise },
  target_noise_clip: { sb3: 'TD3 target noise clip', lab: 'noiseClip', algos: ['td3'], range: LAB_RANGES.noiseClip },
  policy_kwargs: { sb3: 'net_arch (list, or dict with equal pi/qf/vf lists) and log_std_init; RL Zoo string form dict(...) accepted', lab: 'hidden; initLogStd (PPO)', algos: ALL },
  n_steps: { sb3: 'steps per environment per rollout', lab: 'rolloutSteps = n_steps x n_envs', algos: PPO, range: { min: 1, max: 1e7, integer: true } },
  n_epochs: { sb3: 'passes over each rollout', lab: 'epochs', algos: PPO, range: LAB_RANGES.epochs },
  gae_lambda: { sb3: 'GAE lambda', lab: 'gaeLambda', algos: PPO, range: LAB_RANGES.gaeLambda },
  clip_range: { sb3: 'PPO clipping (constant)', lab: 'clipEps', algos: PPO, range: LAB_RANGES.clipEps },
  vf_coef: { sb3: 'value loss weight', lab: 'vfCoef', algos: PPO, range: LAB_RANGES.vfCoef },
  max_grad_norm: { sb3: 'gradient norm clip', lab: 'maxGradNorm', algos: PPO, range: LAB_RANGES.maxGradNorm },
  normalize_advantage: { sb3: 'normalise advantages per minibatch', lab: 'normAdvantage', algos: PPO },
  n_envs: { sb3: 'parallel training environments', lab: 'numEnvs (PPO); must be 1 for the off-policy algorithms', algos: ALL, range: { min: 1, max: 256, integer: true } },
};

/** The result of mapping one algorithm entry's hyperparameters: lab overrides and the problems found. */
export interface MappedHyper {
  /** Lab keys -> values (run settings and algorithm config fields). */
  overrides: Record<string, unknown>;
  /** The algorithm after ent_coef: 'auto' (sac -> sac-auto). */
  algo: AlgoId;
  /** Which written key produced each lab key (for error locations). */
  source: Record<string, string>;
  issues: { key: string; message: string }[];
}

/**
 * Map a hyperparameter block (lab keys and SB3 keys may be mixed) for `algo`. `labKeys` are the
 * algorithm's own config fields (from its preset) plus the run settings; `presetNumEnvs` is used for
 * n_steps when n_envs is not given.
 */
export function mapHyperparameters(
  algoIn: AlgoId,
  hyper: Record<string, unknown>,
  labKeys: readonly string[],
  presetNumEnvs = 1,
): MappedHyper {
  let algo = algoIn;
  const overrides: Record<string, unknown> = {};
  const source: Record<string, string> = {};
  const issues: { key: string; message: string }[] = [];
  const set = (lab: string, value: unknown, from: string) => {
    overrides[lab] = value;
    source[lab] = from;
  };
  const num = (key: string, v: unknown, range: Range | undefined): number | undefined => {
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n)) {
      issues.push({ key, message: `${JSON.stringify(v)} is not a number` });
      return undefined;
    }
    if (range && !inRange(n, range)) {
      issues.push({ key, message: `${n} is out of range; allowed ${describeRange(range)}` });
      return undefined;
    }
    return n;
  };
  const isPpo = algo === 'ppo';
  const isSac = SACS.includes(algo);
  let nSteps: number | undefined;
  let nEnvs: number | undefined;

  for (const [key, value] of Object.entries(hyper)) {
    const sb3 = SB3_KEYS[key];
    if (!sb3) {
      if (!labKeys.includes(key)) {
        issues.push({ key, message: `unknown hyperparameter for ${algo} (lab keys: ${labKeys.join(', ')}; SB3 keys: ${Object.keys(SB3_KEYS).join(', ')})` });
        continue;
      }
      const r = LAB_RANGES[key];
      if (r && typeof value === 'number' && !inRange(value, r)) {
        issues.push({ key, message: `${value} is out of range; allowed ${describeRange(r)}` });
        continue;
      }
      set(key, value, key);
      continue;
    }
    if (!sb3.algos.includes(algo)) {
      issues.push({ key, message: `does not apply to ${algo} (it is for ${sb3.algos.join(', ')})` });
      continue;
    }
    switch (key) {
      case 'ent_coef': {
        if (typeof value === 'string' && value.startsWith('auto')) {
          if (value !== 'auto') {
            issues.push({ key, message: `'${value}': an initial value for automatic alpha is not supported (the lab starts log alpha at 0); use 'auto'` });
          } else if (isPpo) issues.push({ key, message: "'auto' is not possible for PPO; give a number" });
          else if (algo === 'sac') algo = 'sac-auto';
          else set('autoAlpha', true, key); // sac-auto already; sac-adaent learns alpha too
          break;
        }
        const n = num(key, value, sb3.range);
        if (n === undefined) break;
        if (isPpo) set('entCoef', n, key);
        else if (algo === 'sac-auto') issues.push({ key, message: 'a fixed number contradicts sac-auto; use algo sac for a fixed alpha' });
        else set('alpha', n, key);
        break;
      }
      case 'target_entropy':
        if (value === 'auto') set('targetEntropy', null, key);
        else {
          const n = num(key, value, sb3.range);
          if (n !== undefined) set('targetEntropy', n, key);
        }
        break;
      case 'learning_rate': {
        const n = num(key, value, sb3.range);
        if (n === undefined) break;
        if (isPpo) set('lr', n, key);
        else {
          set('actorLr', n, key);
          set('criticLr', n, key);
          if (isSac) set('alphaLr', n, key);
        }
        break;
      }
      case 'batch_size': {
        const n = num(key, value, sb3.range);
        if (n !== undefined) set(isPpo ? 'minibatchSize' : 'batchSize', n, key);
        break;
      }
      case 'gradient_steps': {
        const n = num(key, value, sb3.range);
        if (n === undefined) break;
        if (n === 0) issues.push({ key, message: '0 is out of range; allowed -1 or an integer in [1, 1000]' });
        else set('updatesPerStep', n === -1 ? 1 : n, key);
        break;
      }
      case 'train_freq':
        if (num(key, Array.isArray(value) ? value[0] : value, sb3.range) !== undefined && Array.isArray(value) && value[1] !== 'step') {
          issues.push({ key, message: "only train_freq 1 (or [1, 'step']) is supported" });
        }
        break;
      case 'n_steps':
        nSteps = num(key, value, sb3.range);
        break;
      case 'n_envs': {
        const n = num(key, value, sb3.range);
        if (n === undefined) break;
        if (!isPpo && n !== 1) issues.push({ key, message: `${n} is out of range for ${algo}; allowed [1, 1] (the off-policy algorithms use one training environment)` });
        else if (isPpo) {
          nEnvs = n;
          set('numEnvs', n, key);
        }
        break;
      }
      case 'normalize_advantage':
        if (typeof value !== 'boolean') issues.push({ key, message: `${JSON.stringify(value)} is not true or false` });
        else set('normAdvantage', value, key);
        break;
      case 'policy_kwargs': {
        const kw = typeof value === 'string' ? parsePythonDict(value) : value;
        if (kw instanceof Error) {
          issues.push({ key, message: kw.message });
          break;
        }
        if (typeof kw !== 'object' || kw === null || Array.isArray(kw)) {
          issues.push({ key, message: 'expected a mapping such as {net_arch: [64, 64]} or "dict(net_arch=[64, 64])"' });
          break;
        }
        for (const [k, v] of Object.entries(kw as Record<string, unknown>)) {
          if (k === 'net_arch') {
            const h = netArch(v);
            if (typeof h === 'string') issues.push({ key: `${key}.net_arch`, message: h });
            else set('hidden', h, `${key}.net_arch`);
          } else if (k === 'log_std_init' && isPpo) {
            const n = num(`${key}.log_std_init`, v, LAB_RANGES.initLogStd);
            if (n !== undefined) set('initLogStd', n, `${key}.log_std_init`);
          } else issues.push({ key: `${key}.${k}`, message: `unsupported policy_kwargs entry for ${algo} (supported: net_arch${isPpo ? ', log_std_init' : ''})` });
        }
        break;
      }
      default: {
        const labKey = sb3.lab.split(' ')[0]!;
        const n = num(key, value, sb3.range);
        if (n !== undefined) set(labKey, n, key);
      }
    }
  }
  if (nSteps !== undefined) set('rolloutSteps', nSteps * (nEnvs ?? presetNumEnvs), 'n_steps');
  return { overrides, algo, source, issues };
}

/** net_arch: [64, 64], or {pi: [...], qf|vf: [...]} with equal lists (the lab shares one shape). */
function netArch(v: unknown): number[] | string {
  const ok = (a: unknown): a is number[] => Array.isArray(a) && a.length > 0 && a.every((x) => Number.isInteger(x) && x >= 1 && x <= 4096);
  if (ok(v)) return v;
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const lists = Object.values(v as Record<string, unknown>);
    if (lists.length > 0 && lists.every(ok) && lists.every((l) => JSON.stringify(l) === JSON.stringify(lists[0]))) return lists[0] as number[];
    return 'actor and critic networks must have the same layers in the lab (one "hidden" list); give a list like [256, 256]';
  }
  return 'expected a list of layer sizes (integers in [1, 4096]) such as [256, 256]';
}

/** The subset of Python literal syntax RL Zoo uses in policy_kwargs strings: dict(k=v), [..], numbers, True/False. */
export function parsePythonDict(text: string): unknown {
  let i = 0;
  const s = text;
  const ws = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  const fail = (what: string) => new Error(`cannot read policy_kwargs "${text}": ${what} at character ${i + 1}`);
  const value = (): unknown => {
    ws();
    if (s.startsWith('dict(', i)) {
      i += 5;
      const out: Record<string, unknown> = {};
      ws();
      while (s[i] !== ')') {
        const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i));
        if (!m) throw fail('expected a name');
        i += m[0].length;
        ws();
        if (s[i] !== '=') throw fail("expected '='");
        i++;
        out[m[0]] = value();
        ws();
        if (s[i] === ',') i++;
        ws();
        if (i >= s.length) throw fail("missing ')'");
      }
      i++;
      return out;
    }
    if (s[i] === '[') {
      i++;
      const out: unknown[] = [];
      ws();
      while (s[i] !== ']') {
        out.push(value());
        ws();
        if (s[i] === ',') i++;
        ws();
        if (i >= s.length) throw fail("missing ']'");
      }
      i++;
      return out;
    }
    const m = /^(True|False|None|-?\d+(\.\d*)?(e-?\d+)?)/.exec(s.slice(i));
    if (!m) throw fail('unsupported value');
    i += m[0].length;
    return m[0] === 'True' ? true : m[0] === 'False' ? false : m[0] === 'None' ? null : Number(m[0]);
  };
  try {
    const v = value();
    ws();
    if (i !== s.length) throw fail('unexpected text');
    return v;
  } catch (err) {
    return err as Error;
  }
}
