// The paper campaign of `lab reproduce`: which tasks, which algorithms, and the experiment spec of
// each task (validated by the same code as `lab experiment`). Budgets, networks and per-algorithm
// hyperparameters all come from the engine's presets (src-core/presets): nothing is set here per
// task, so the campaign measures the presets as they are. One experiment per task, named after the
// task, budget and seed count, so the same command finds it again and continues it.
import { parseExperimentText, type ExpandedRun, type ExperimentSpec } from '../../src-core/contract/experiment.ts';
import { ENV_SPECS } from '../../src-core/envs/registry.ts';

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

export function experimentName(task: string, budget: Budget, seeds: number, steps?: number, algos?: readonly string[]): string {
  return `reproduce ${task} (${budget}, ${seeds} seeds${algosPart(algos)}${steps ? `, ${steps} steps: smoke test` : ''})`;
}

/**
 * The experiment of one task, validated; throws with the validator's message on a problem.
 * `steps` replaces the presets' budgets: for smoke tests of the machinery only (named so).
 * `algos`: a part of the campaign's algorithms (named so), e.g. the cheap ones of every task
 * first and SAC-AdaEnt later, or with fewer seeds where its cost forbids 5.
 */
export function taskExperiment(t: Task, budget: Budget, seeds: number, steps?: number, algos?: readonly string[]): { spec: ExperimentSpec; runs: ExpandedRun[]; source: string } {
  const chosen = campaignAlgos(algos);
  const raw = {
    name: experimentName(t.task, budget, seeds, steps, algos),
    description: `lab reproduce: ${t.what}; ${chosen.map((a) => a.label).join(', ')}; ${seeds} seeds; the engine's ${budget} presets.`,
    tags: ['reproduce', t.task, budget],
    preset: budget,
    ...(steps ? { budget: steps } : {}),
    eval: { episodes: 10, modes: ['deterministic', 'stochastic'], record_episodes: 1, ...(steps ? { interval: Math.max(1, Math.floor(steps / 2)) } : {}) },
    seeds: { count: seeds, base: 0 },
    environments: [{ id: t.env, ...(t.variant ? { variant: t.variant } : {}) }],
    algorithms: chosen.map((a) => ({ algo: a.algo, label: a.label })),
  };
  const source = JSON.stringify(raw, null, 2);
  const r = parseExperimentText(source);
  if (!r.spec || !r.runs || r.issues.length > 0) throw new Error(`${t.task}: ${r.issues[0]?.message ?? 'invalid experiment'}`);
  return { spec: r.spec, runs: r.runs, source };
}
