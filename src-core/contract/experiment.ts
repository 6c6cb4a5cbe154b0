// Experiments: a grid of environments (variant, parameters) x algorithms (hyperparameter
// overrides, lab or RL Zoo / SB3 keys, see ./sb3-keys.ts) x seeds, with a budget and an evaluation
// schedule. Files are YAML or JSON (JSON is YAML); every problem is reported with its field path
// and, for text, its line. Expansion resolves each cell into a full RunConfig through the engine's
// presets (src-core/train resolveRunConfig), so a stored run carries every setting it used.
//
// Example (resources/experiments/toy.quick.yaml):
//   name: toy-quick
//   preset: quick            # base hyperparameters and budget of each task: paper | quick
//   budget: 3000             # environment steps per run, warm-up included (default: the preset's learning steps + each algorithm's warm-up)
//   eval: {interval: 500, episodes: 10, modes: [deterministic, stochastic]}
//   seeds: [0, 1]            # or {count: 5, base: 0}
//   seed_batch: auto         # seeds per worker, one batched computation: auto | off | K
//   environments: [{id: toy}]
//   algorithms:
//     - {algo: ppo}
//     - {algo: sac, label: "SAC (alpha = 1)", hyperparameters: {ent_coef: 1.0}}
import { z } from 'zod';
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node as YamlNode } from 'yaml';
import { getEnvSpec, ENV_SPECS } from '../envs/registry.ts';
import { resolveRunConfig } from '../train/run_config.ts';
import { resolvePreset } from '../presets/index.ts';
import { ALGO_IDS, type AlgoId, type RunConfig } from '../train/types.ts';
import { LAB_RANGES, describeRange, mapHyperparameters } from './sb3-keys.ts';

const int = (min: number, max: number) => z.number().int().min(min).max(max);

export const EvalSchedule = z.strictObject({
  /** Evaluate every this many environment steps (default: the preset's). */
  interval: int(1, 1e9).optional(),
  episodes: int(1, 1000).default(10),
  modes: z.array(z.enum(['deterministic', 'stochastic'])).min(1).default(['deterministic', 'stochastic']),
  /** Episodes recorded as trajectories at each evaluation (all of them at the final one). */
  record_episodes: int(0, 1000).default(2),
  /** Seed of the evaluation start states (default: the engine's, the same for every algorithm). */
  seed: int(0, 2 ** 31 - 1).optional(),
});

export const EnvironmentEntry = z.strictObject({
  id: z.string().min(1),
  variant: z.string().optional(),
  params: z.record(z.string(), z.number()).default({}),
});

export const AlgorithmEntry = z.strictObject({
  algo: z.enum(ALGO_IDS as unknown as ['sac', 'sac-auto', 'sac-adaent', 'ppo', 'td3']),
  /** Shown in tables and legends (default: the algorithm id). */
  label: z.string().min(1).max(80).optional(),
  /** Lab config keys or RL Zoo / SB3 keys (docs/hyperparameters.md). */
  hyperparameters: z.record(z.string(), z.unknown()).default({}),
});

export const Seeds = z.union([
  z.array(int(0, 2 ** 31 - 1)).min(1).max(1000),
  z.strictObject({ count: int(1, 1000), base: int(0, 2 ** 31 - 1).default(0) }),
]);

export const ExperimentSpec = z.strictObject({
  name: z.string().min(1).max(200),
  description: z.string().max(10000).default(''),
  tags: z.array(z.string().min(1).max(64)).max(32).default([]),
  preset: z.enum(['paper', 'quick']).default('paper'),
  /** Environment steps per run, the off-policy warm-up included (default: the preset's learning steps plus each algorithm's warm-up). */
  budget: int(1, 1e9).optional(),
  eval: EvalSchedule.default({ episodes: 10, modes: ['deterministic', 'stochastic'], record_episodes: 2 }),
  seeds: Seeds.default([0]),
  environments: z.array(EnvironmentEntry).min(1).max(50),
  algorithms: z.array(AlgorithmEntry).min(1).max(50),
  /**
   * Tensor backend each run asks for (auto: tensorflow -> wasm -> cpu). A named backend that cannot
   * start here falls back to auto; the run records both (README.md, "Tensor backend of a run").
   */
  backend: z.enum(['auto', 'webgpu', 'tensorflow', 'wasm', 'cpu']).optional(),
  /**
   * Seed groups (issue 12): runs identical but for seed train up to this many per worker as one
   * batched computation; auto (default) picks K from measured speed and memory; off: one run per
   * worker. Each seed stays its own run. `lab experiment run --seed-batch` overrides it.
   */
  seed_batch: z.union([z.enum(['auto', 'off']), int(1, 64)]).optional(),
});
export type ExperimentSpec = z.infer<typeof ExperimentSpec>;
export type ExperimentSpecInput = z.input<typeof ExperimentSpec>;

/** A problem with a spec: the field path (`algorithms[1].hyperparameters.learning_rate`) and, for text, the line. */
export interface SpecIssue {
  path: string;
  message: string;
  line?: number;
}

/** One run of an expanded experiment. */
export interface ExpandedRun {
  label: string;
  config: RunConfig;
}

export type Path = (string | number)[];

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out || '(top level)';
}

/** `file:line: path: message` (line omitted when unknown). */
export function formatIssue(issue: SpecIssue, file = 'experiment'): string {
  return `${file}${issue.line ? `:${issue.line}` : ''}: ${issue.path}: ${issue.message}`;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v = raw;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

function zodMessage(issue: z.core.$ZodIssue, raw: unknown): string {
  const value = valueAt(raw, issue.path);
  const shown = typeof value === 'number' ? `${value} is ` : '';
  const i = issue as z.core.$ZodIssue & { minimum?: number | bigint; maximum?: number | bigint; keys?: string[]; inclusive?: boolean; origin?: string };
  switch (issue.code) {
    case 'too_small':
      if (i.origin === 'number') return `${shown}out of range; allowed ${i.inclusive === false ? '>' : '>='} ${i.minimum}`;
      return issue.message;
    case 'too_big':
      if (i.origin === 'number') return `${shown}out of range; allowed ${i.inclusive === false ? '<' : '<='} ${i.maximum}`;
      return issue.message;
    case 'unrecognized_keys':
      return `unknown key${i.keys!.length > 1 ? 's' : ''} ${i.keys!.map((k) => `'${k}'`).join(', ')}`;
    default:
      return issue.message;
  }
}

/** Checks a spec's shape and every value that can be checked without the engine; then resolves each cell. */
export function validateExperiment(raw: unknown, locate: (path: Path) => number | undefined = () => undefined): { spec?: ExperimentSpec; runs?: ExpandedRun[]; issues: SpecIssue[] } {
  const issues: SpecIssue[] = [];
  const add = (path: Path, message: string) => issues.push({ path: formatPath(path), message, line: locate(path) });
  const parsed = ExperimentSpec.safeParse(raw);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const path = i.path as Path;
      const keys = (i as { keys?: string[] }).keys;
      // point at the unknown key itself when there is exactly one
      add(i.code === 'unrecognized_keys' && keys?.length === 1 ? [...path, keys[0]!] : path, zodMessage(i, raw));
    }
    return { issues };
  }
  const spec = parsed.data;

  // environments: known ids, variants and parameters within the registry's ranges
  const envOk: boolean[] = spec.environments.map((e, i) => {
    let envSpec;
    try {
      envSpec = getEnvSpec(e.id);
    } catch {
      add(['environments', i, 'id'], `unknown environment '${e.id}' (known: ${ENV_SPECS.map((s) => s.id).join(', ')})`);
      return false;
    }
    let ok = true;
    if (e.variant !== undefined && !envSpec.variants.some((v) => v.name === e.variant)) {
      add(['environments', i, 'variant'], `unknown variant '${e.variant}' of ${e.id} (known: ${envSpec.variants.map((v) => v.name).join(', ')})`);
      ok = false;
    }
    for (const [k, v] of Object.entries(e.params)) {
      const p = envSpec.params.find((q) => q.name === k);
      if (!p) {
        add(['environments', i, 'params', k], `unknown parameter of ${e.id} (known: ${envSpec.params.map((q) => q.name).join(', ') || 'none'})`);
        ok = false;
      } else if (!(v >= p.min && v <= p.max) || (p.integer && !Number.isInteger(v))) {
        add(['environments', i, 'params', k], `${v} is out of range; allowed ${p.integer ? 'an integer in ' : ''}[${p.min}, ${p.max}]${p.unit ? ` ${p.unit}` : ''}`);
        ok = false;
      }
    }
    return ok;
  });
  if (issues.length > 0) return { issues };

  const sd = spec.seeds;
  const seeds = Array.isArray(sd) ? sd : Array.from({ length: sd.count }, (_, k) => sd.base + k);
  if (new Set(seeds).size !== seeds.length) add(['seeds'], 'seeds repeat');

  const runs: ExpandedRun[] = [];
  spec.algorithms.forEach((a, ai) => {
    spec.environments.forEach((e, ei) => {
      if (!envOk[ei]) return;
      const base = ['environments', ei] as Path;
      let preset;
      try {
        preset = resolvePreset(e.id, a.algo, spec.preset);
      } catch (err) {
        add([...base, 'id'], (err as Error).message);
        return;
      }
      const runKeys = ['totalSteps', 'evalInterval', 'evalEpisodes', 'evalModes', 'recordEpisodes', 'evalSeed'];
      const mapped = mapHyperparameters(a.algo, a.hyperparameters, [...Object.keys(preset.algoConfig), ...runKeys], (preset.algoConfig.numEnvs as number | undefined) ?? 1);
      const hp = ['algorithms', ai, 'hyperparameters'] as Path;
      if (ei === 0) for (const is of mapped.issues) add([...hp, ...is.key.split('.')], is.message);
      if (mapped.issues.length > 0) return;
      const overrides: Record<string, unknown> = {
        evalEpisodes: spec.eval.episodes,
        evalModes: spec.eval.modes,
        recordEpisodes: spec.eval.record_episodes,
        ...(spec.budget !== undefined ? { totalSteps: spec.budget } : {}),
        ...(spec.eval.interval !== undefined ? { evalInterval: spec.eval.interval } : {}),
        ...(spec.eval.seed !== undefined ? { evalSeed: spec.eval.seed } : {}),
        ...mapped.overrides,
      };
      for (const seed of seeds) {
        let config: RunConfig;
        try {
          config = resolveRunConfig({ env: e.id, variant: e.variant, params: e.params, algo: mapped.algo, preset: spec.preset, seed, overrides });
        } catch (err) {
          const msg = (err as Error).message;
          const key = /^([A-Za-z_][A-Za-z0-9_]*):/.exec(msg)?.[1];
          const written = key ? mapped.source[key] : undefined;
          if (seed === seeds[0]) add(written ? [...hp, ...written.split('.')] : ['algorithms', ai], msg);
          return;
        }
        if (config.evalInterval > config.totalSteps) {
          if (seed === seeds[0]) add(['eval', 'interval'], `${config.evalInterval} is larger than the budget of ${config.totalSteps} steps (${e.id}, ${a.algo})`);
          return;
        }
        if (spec.backend !== undefined) config.backend = spec.backend; // each run records what it asks for
        if (spec.seed_batch !== undefined) config.seedBatch = spec.seed_batch;
        const label = `${a.label ?? mapped.algo} | ${e.id}${e.variant ? `/${e.variant}` : ''} | seed ${seed}`;
        runs.push({ label, config });
      }
    });
  });
  if (issues.length > 0) return { issues };
  return { spec, runs, issues };
}

/** Parse YAML or JSON text and validate it; issues carry line numbers. */
export function parseExperimentText(text: string): { spec?: ExperimentSpec; runs?: ExpandedRun[]; issues: SpecIssue[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      issues: doc.errors.map((e) => ({
        path: '(syntax)',
        message: `malformed YAML: ${e.message.split('\n')[0]}`,
        line: e.linePos?.[0].line ?? lineCounter.linePos(e.pos[0]).line,
      })),
    };
  }
  const locate = (path: Path): number | undefined => {
    // the deepest node that exists on the path
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      const keyNode = n > 0 ? findKeyNode(doc.contents as YamlNode, path.slice(0, n)) : undefined;
      const target = (keyNode ?? node) as YamlNode | undefined;
      if (target && (isMap(target) || isSeq(target) || isScalar(target)) && target.range) return lineCounter.linePos(target.range[0]).line;
    }
    return undefined;
  };
  return validateExperiment(doc.toJS(), locate);
}

/** The key node of a map entry (so the line is the key's, even when the value is on the next line). */
function findKeyNode(root: YamlNode, path: Path): YamlNode | undefined {
  let node: unknown = root;
  for (let k = 0; k < path.length; k++) {
    const p = path[k]!;
    if (isMap(node)) {
      const pair = node.items.find((it) => isScalar(it.key) && String(it.key.value) === String(p));
      if (!pair) return undefined;
      if (k === path.length - 1) return pair.key as YamlNode;
      node = pair.value;
    } else if (isSeq(node) && typeof p === 'number') {
      node = node.items[p];
      if (k === path.length - 1) return node as YamlNode;
    } else return undefined;
  }
  return undefined;
}

/** Total environment steps of an expansion. */
export function totalSteps(runs: readonly ExpandedRun[]): number {
  return runs.reduce((a, r) => a + r.config.totalSteps, 0);
}

export { LAB_RANGES, describeRange };
export type { AlgoId };
