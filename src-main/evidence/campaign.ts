// The paper campaign of `lab reproduce`: which tasks, which algorithms, and the experiment spec of
// each task (validated by the same code as `lab experiment`). Budgets, networks and per-algorithm
// hyperparameters all come from the engine's presets (src-core/presets): nothing is set here per
// task, so the campaign measures the presets as they are. One experiment per task, named after the
// task, budget and seed count, so the same command finds it again and continues it. A longer (or
// shorter) budget for every algorithm alike is a campaign of its own: `learningSteps` gives each
// algorithm that many learning steps after its preset's warm-up, and names the experiment so.
import { parseExperimentText, type ExpandedRun, type ExperimentSpec } from '../../src-core/contract/experiment.ts';
import { ENV_SPECS } from '../../src-core/envs/registry.ts';
import { resolvePreset } from '../../src-core/presets/index.ts';
import type { AlgoId } from '../../src-core/train/types.ts';

export interface Task {
  task: string;
  env: string;
  variant?: string;
  what: string;
}

/** The paper's tasks in the order of its table; pendulum is the sanity row. */
export const TASKS: readonly Task[] = [
  { task: 'toy', env: 'toy', what: 'two-step bifurcation toy' },
  { task: 'vehicle-dynamic', env: 'vehicle', variant: 'dynamic', what: 'vehicle, dynamic bicycle (tyre) model' },
  { task: 'vehicle-kinematic', env: 'vehicle', variant: 'kinematic', what: 'vehicle, kinematic model' },
  { task: 'quadrotor-rotors', env: 'quadrotor', variant: 'rotors', what: 'quadrotor driven by rotor speeds' },
  { task: 'quadrotor-simplified', env: 'quadrotor', variant: 'simplified', what: 'quadrotor, simplified dynamics' },
  { task: 'acrobot', env: 'acrobot', what: 'continuous-torque acrobot' },
  { task: 'obstacle2d', env: 'obstacle2d', what: 'Obstacle2D (entropy helps)' },
  { task: 'hopper', env: 'hopper', what: 'Hopper (MuJoCo)' },
  { task: 'opencat', env: 'opencat', what: 'OpenCat quadruped (MuJoCo)' },
  { task: 'pendulum', env: 'pendulum', what: 'Pendulum (sanity row)' },
];

/** PPO, SAC with the spec's alpha, SAC with automatic alpha, SAC-AdaEnt, TD3. */
export const CAMPAIGN_ALGOS = [
  { algo: 'ppo', label: 'PPO' },
  { algo: 'sac', label: "SAC (spec's alpha)" },
  { algo: 'sac-auto', label: 'SAC (automatic alpha)' },
  { algo: 'sac-adaent', label: 'SAC-AdaEnt' },
  { algo: 'td3', label: 'TD3' },
] as const;

export const DEFAULT_SEEDS = 5;
export type Budget = 'quick' | 'paper';

/** Tasks whose environment this lab has (hopper and opencat arrive with MuJoCo). */
export function availableTasks(): Task[] {
  const envs = new Set(ENV_SPECS.map((e) => e.id));
  return TASKS.filter((t) => envs.has(t.env));
}

export type CampaignAlgo = (typeof CAMPAIGN_ALGOS)[number]['algo'];

/** The campaign's algorithms, or those of `algos` in the campaign's order (an unknown name throws). */
export function campaignAlgos(algos?: readonly string[]): (typeof CAMPAIGN_ALGOS)[number][] {
  if (!algos) return [...CAMPAIGN_ALGOS];
  for (const a of algos) if (!CAMPAIGN_ALGOS.some((c) => c.algo === a)) throw new Error(`'${a}' is not one of the campaign's algorithms (${CAMPAIGN_ALGOS.map((c) => c.algo).join(', ')})`);
  return CAMPAIGN_ALGOS.filter((c) => algos.includes(c.algo));
}

/** The algorithms part of a name: empty for all of them, else ', ppo+sac'. */
function algosPart(algos?: readonly string[]): string {
  const chosen = campaignAlgos(algos);
  return chosen.length === CAMPAIGN_ALGOS.length ? '' : `, ${chosen.map((c) => c.algo).join('+')}`;
}

/** What one `lab reproduce` makes of each task besides its budget preset and seeds. */
export interface CampaignOptions {
  /** Replaces the presets' budgets with this many environment steps: for smoke tests of the machinery only (named so). */
  steps?: number;
  /** A part of the campaign's algorithms (named so). */
  algos?: readonly string[];
  /** Learning steps of every algorithm, after its preset's warm-up, instead of the preset's (named so). */
  learningSteps?: number;
}

/** The tag of a campaign experiment at `learningSteps` instead of its presets' budget. */
export function learningStepsTag(learningSteps: number): string {
  return `learning-steps:${learningSteps}`;
}

/** The learning steps a campaign experiment set instead of its presets' budget (null: the presets'). */
export function learningStepsOfExperiment(tags: readonly string[]): number | null {
  const t = tags.find((x) => x.startsWith('learning-steps:'));
  return t ? Number(t.slice('learning-steps:'.length)) : null;
}

export function experimentName(task: string, budget: Budget, seeds: number, o: CampaignOptions = {}): string {
  const extra = o.learningSteps ? `, ${o.learningSteps} learning steps` : o.steps ? `, ${o.steps} steps: smoke test` : '';
  return `reproduce ${task} (${budget}, ${seeds} seeds${algosPart(o.algos)}${extra})`;
}

/**
 * The experiment of one task, validated; throws with the validator's message on a problem.
 * `algos`: a part of the campaign's algorithms, e.g. the cheap ones of every task first and
 * SAC-AdaEnt later, or with fewer seeds where its cost forbids 5. `learningSteps`: every algorithm
 * that many learning steps (its totalSteps the preset's warm-up plus them), e.g. five times the
 * quick budget where a method was still rising at its end; everything else stays the preset's.
 */
export function taskExperiment(t: Task, budget: Budget, seeds: number, o: CampaignOptions = {}): { spec: ExperimentSpec; runs: ExpandedRun[]; source: string } {
  const { steps, algos, learningSteps } = o;
  if (steps && learningSteps) throw new Error('steps and learningSteps both set: choose one');
  const chosen = campaignAlgos(algos);
  const warmup = (algo: AlgoId) => resolvePreset(t.env, algo, budget).budget.warmupSteps;
  const raw = {
    name: experimentName(t.task, budget, seeds, o),
    description: `lab reproduce: ${t.what}; ${chosen.map((a) => a.label).join(', ')}; ${seeds} seeds; the engine's ${budget} presets${learningSteps ? `, with ${learningSteps} learning steps for every algorithm after its warm-up` : ''}.`,
    tags: ['reproduce', t.task, budget, ...(learningSteps ? [learningStepsTag(learningSteps)] : [])],
    preset: budget,
    ...(steps ? { budget: steps } : {}),
    eval: { episodes: 10, modes: ['deterministic', 'stochastic'], record_episodes: 1, ...(steps ? { interval: Math.max(1, Math.floor(steps / 2)) } : {}) },
    seeds: { count: seeds, base: 0 },
    environments: [{ id: t.env, ...(t.variant ? { variant: t.variant } : {}) }],
    algorithms: chosen.map((a) => ({ algo: a.algo, label: a.label, ...(learningSteps ? { hyperparameters: { totalSteps: warmup(a.algo) + learningSteps } } : {}) })),
  };
  const source = JSON.stringify(raw, null, 2);
  const r = parseExperimentText(source);
  const issue = r.issues[0];
  if (!r.spec || !r.runs || issue) throw new Error(`${t.task}: ${issue ? `${issue.path}: ${issue.message}` : 'invalid experiment'}`);
  return { spec: r.spec, runs: r.runs, source };
}
