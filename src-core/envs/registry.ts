// The environment registry: id -> variants, parameters, spaces, episode limit, reference budget
// and a factory. The CLI, the training loop and the UI read environments only through here.
import type { Env, EnvSpec, ParamSpec, TrainingBudget, VariantSpec } from './types.ts';
import { ToyEnv, TOY_STATE_NAMES } from './toy/env.ts';
import { TOY_PARAMS } from './toy/params.ts';
import { PendulumEnv, PENDULUM_STATE_NAMES } from './pendulum/env.ts';
import { PENDULUM_PARAMS } from './pendulum/params.ts';

type Factory = (variant?: string, params?: Record<string, number>) => Env;

/** A variant entry whose spaces are read from a default instance, so they cannot drift from the env. */
function variant(name: string, description: string, make: Factory, actionNames: readonly string[]): VariantSpec {
  const env = make(name);
  return {
    name,
    description,
    observationDim: env.observationSpace.dim,
    actionLow: Array.from(env.actionSpace.low),
    actionHigh: Array.from(env.actionSpace.high),
    actionNames,
  };
}

const REFERENCE = 'spec/environments.md, "Training budgets" (reference experiments)';

function budget(totalSteps: number, evalInterval: number, source = REFERENCE): TrainingBudget {
  return { totalSteps, evalInterval, evalEpisodes: 10, source };
}

interface Entry {
  id: string;
  title: string;
  description: string;
  variants: readonly VariantSpec[];
  params: readonly ParamSpec[];
  stateNames: Record<string, readonly string[]>;
  make: Factory;
  maxEpisodeSteps: number;
  timeLimit: EnvSpec['timeLimit'];
  clipsActions: boolean;
  budget: TrainingBudget;
}

function entry(e: Entry): EnvSpec {
  return {
    id: e.id,
    title: e.title,
    description: e.description,
    variants: e.variants,
    defaultVariant: e.variants[0]!.name,
    params: e.params,
    stateNames: (v: string) => {
      const names = e.stateNames[v];
      if (!names) throw new Error(`${e.id}: unknown variant '${v}' (known: ${e.variants.map((x) => x.name).join(', ')})`);
      return names;
    },
    make: e.make,
    maxEpisodeSteps: e.maxEpisodeSteps,
    timeLimit: e.timeLimit,
    clipsActions: e.clipsActions,
    budget: e.budget,
  };
}

const makeToy: Factory = (v, p) => new ToyEnv(v, p);
const makePendulum: Factory = (v, p) => new PendulumEnv(v, p);

export const ENV_SPECS: readonly EnvSpec[] = [
  entry({
    id: 'toy',
    title: 'Toy two-step bifurcation',
    description: 'Precise +1 branch vs safe -1 branch; MaxEnt with alpha > 0.8686 prefers the safe branch',
    variants: [variant('default', 'the paper\'s toy (band |a| < 0.1, rewards +1 / -20 / -1)', makeToy, ['a'])],
    params: TOY_PARAMS,
    stateNames: { default: TOY_STATE_NAMES },
    make: makeToy,
    maxEpisodeSteps: 2,
    timeLimit: 'none',
    clipsActions: false,
    budget: budget(100_000, 1_000),
  }),
  entry({
    id: 'pendulum',
    title: 'Pendulum (Gymnasium Pendulum-v1)',
    description: 'Swing up and balance a torque-limited pendulum; a sanity task, not in the paper',
    variants: [variant('default', 'Gymnasium Pendulum-v1 dynamics', makePendulum, ['torque [N m]'])],
    params: PENDULUM_PARAMS,
    stateNames: { default: PENDULUM_STATE_NAMES },
    make: makePendulum,
    maxEpisodeSteps: 200,
    timeLimit: 'truncated',
    clipsActions: true,
    budget: budget(20_000, 1_000, 'this project (Pendulum is not in the paper; SAC solves it in ~10-20k steps)'),
  }),
];

/** The registry entry for `id`; an unknown id throws an Error listing the known ones. */
export function getEnvSpec(id: string): EnvSpec {
  const spec = ENV_SPECS.find((s) => s.id === id);
  if (!spec) throw new Error(`unknown environment '${id}' (known: ${ENV_SPECS.map((s) => s.id).join(', ')})`);
  return spec;
}

/** A new environment; unknown variant or parameter, or an out-of-range parameter, throws naming it. */
export function makeEnv(id: string, variantName?: string, params?: Record<string, number>): Env {
  return getEnvSpec(id).make(variantName, params);
}
