// The environment registry: id -> variants, parameters, spaces, episode limit, reference budget
// and a factory. The CLI, the training loop and the UI read environments only through here.
// Environments on a physics engine (hopper, opencat: MuJoCo) get the engine from here: the host
// process loads it once and calls providePhysics; src-core never imports it.
import type { Env, EnvSpec, ParamSpec, TrainingBudget, VariantSpec } from './types.ts';
import { ToyEnv, TOY_STATE_NAMES } from './toy/env.ts';
import { TOY_PARAMS } from './toy/params.ts';
import { PendulumEnv, PENDULUM_STATE_NAMES } from './pendulum/env.ts';
import { PENDULUM_PARAMS } from './pendulum/params.ts';
import { VehicleEnv, VEHICLE_STATE_NAMES } from './vehicle/env.ts';
import { VEHICLE_PARAMS } from './vehicle/params.ts';
import { QuadrotorEnv, QUAD_STATE_NAMES } from './quadrotor/env.ts';
import { QUAD_PARAMS } from './quadrotor/params.ts';
import { AcrobotEnv, ACROBOT_STATE_NAMES } from './acrobot/env.ts';
import { ACROBOT_PARAMS } from './acrobot/params.ts';
import { Obstacle2dEnv, OBSTACLE_STATE_NAMES } from './obstacle2d/env.ts';
import { OBSTACLE_PARAMS } from './obstacle2d/params.ts';
import { HopperEnv, HOPPER_ACT_DIM, HOPPER_OBS_DIM, HOPPER_STATE_NAMES } from './hopper/env.ts';
import { HOPPER_PARAMS } from './hopper/params.ts';
import { OpenCatEnv, OPENCAT_ACT_DIM, OPENCAT_OBS_DIM, OPENCAT_STATE_NAMES } from './opencat/env.ts';
import { OPENCAT_PARAMS } from './opencat/params.ts';
import type { Physics } from './mujoco/physics.ts';
import { resolveParams, resolveVariant } from './common.ts';

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

/** A variant entry from known sizes, for environments that need an engine to be instantiated. */
function fixedVariant(name: string, description: string, obsDim: number, low: number[], high: number[], actionNames: readonly string[]): VariantSpec {
  return { name, description, observationDim: obsDim, actionLow: low, actionHigh: high, actionNames };
}

let physics: Physics | null = null;

/**
 * Hands the physics engine to the environments that need one. Called once per process by the host
 * (training worker, CLI, preview, tests) after loading it (src-main/engine/mujoco.ts).
 */
export function providePhysics(p: Physics): void {
  physics = p;
}

/** The engine handed in, or an error naming the environment that needs it and how to provide it. */
function requirePhysics(envId: string): Physics {
  if (!physics) {
    throw new Error(`${envId} runs on MuJoCo, which this process has not loaded: load it (src-main/engine/mujoco.ts loadPhysics) and hand it to the registry with providePhysics`);
  }
  return physics;
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
  physics?: EnvSpec['physics'];
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
    resolve: (v, p) => {
      if (e.physics) return { variant: resolveVariant(e.id, e.variants.map((x) => x.name), v), params: resolveParams(e.id, e.params, p) };
      const env = e.make(v, p); // pure-TS environments are cheap: their own checks stay authoritative
      return { variant: env.variant, params: { ...env.params } };
    },
    maxEpisodeSteps: e.maxEpisodeSteps,
    timeLimit: e.timeLimit,
    clipsActions: e.clipsActions,
    budget: e.budget,
    ...(e.physics ? { physics: e.physics } : {}),
  };
}

const makeToy: Factory = (v, p) => new ToyEnv(v, p);
const makePendulum: Factory = (v, p) => new PendulumEnv(v, p);
const makeVehicle: Factory = (v, p) => new VehicleEnv(v, p);
const makeQuadrotor: Factory = (v, p) => new QuadrotorEnv(v, p);
const makeAcrobot: Factory = (v, p) => new AcrobotEnv(v, p);
const makeObstacle2d: Factory = (v, p) => new Obstacle2dEnv(v, p);
const makeHopper: Factory = (v, p) => new HopperEnv(requirePhysics('hopper'), v, p);
const makeOpenCat: Factory = (v, p) => new OpenCatEnv(requirePhysics('opencat'), v, p);

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
    id: 'vehicle',
    title: 'Vehicle path tracking',
    description: 'Bicycle model chasing a moving target around a radius-10 circle; realistic tyres vs kinematic model',
    variants: [
      variant('dynamic', 'dynamic bicycle with arctan tyre model (the paper\'s realistic dynamics)', makeVehicle, ['throttle [m/s^2]', 'steer [rad]']),
      variant('kinematic', 'kinematic bicycle (the paper\'s simplified dynamics)', makeVehicle, ['acceleration [m/s^2]', 'steer [rad]']),
    ],
    params: VEHICLE_PARAMS,
    stateNames: VEHICLE_STATE_NAMES,
    make: makeVehicle,
    maxEpisodeSteps: 200,
    timeLimit: 'terminated',
    clipsActions: true,
    budget: budget(2_000_000, 10_000),
  }),
  entry({
    id: 'quadrotor',
    title: 'Quadrotor trajectory tracking',
    description: 'Follow x = 1.5 t at zero height; rotor-speed actions (realistic) vs thrust/moment actions (simplified)',
    variants: [
      variant('rotors', 'rotor speeds w in [0, 10]^4 (the reference model; hover w = 2.256779)', makeQuadrotor, ['w1', 'w2', 'w3', 'w4']),
      variant('simplified', 'thrust and moments, a in [-1, 1]^4 mapped to u1 in [0, 2mg], u2, u3 in +-0.5, u4 in +-0.01 (this project\'s definition)', makeQuadrotor, ['thrust', 'roll moment', 'pitch moment', 'yaw moment']),
    ],
    params: QUAD_PARAMS,
    stateNames: { rotors: QUAD_STATE_NAMES, simplified: QUAD_STATE_NAMES },
    make: makeQuadrotor,
    maxEpisodeSteps: 40,
    timeLimit: 'terminated',
    clipsActions: true,
    budget: budget(2_000_000, 10_000),
  }),
  entry({
    id: 'acrobot',
    title: 'Acrobot (continuous torque, balance upright)',
    description: 'Two-link arm with elbow torque, RK4; keep it upright and at rest',
    variants: [variant('default', 'RK4, dt = 0.2 s, torque in [-20, 20]', makeAcrobot, ['elbow torque [N m]'])],
    params: ACROBOT_PARAMS,
    stateNames: { default: ACROBOT_STATE_NAMES },
    make: makeAcrobot,
    maxEpisodeSteps: 400,
    timeLimit: 'truncated',
    clipsActions: true,
    budget: budget(1_000_000, 10_000),
  }),
  entry({
    id: 'obstacle2d',
    title: 'Obstacle2D',
    description: 'Point agent must go over a thin wall to reach the goal; greedy progress parks in front of it',
    variants: [variant('default', 'wall x in [2, 2.05], y in [-2, 2]; goal (3, 0)', makeObstacle2d, ['vx', 'vy'])],
    params: OBSTACLE_PARAMS,
    stateNames: { default: OBSTACLE_STATE_NAMES },
    make: makeObstacle2d,
    maxEpisodeSteps: 51,
    timeLimit: 'truncated',
    clipsActions: true,
    budget: budget(50_000, 1_000),
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
  entry({
    id: 'hopper',
    title: 'Hopper (Gymnasium Hopper-v4, MuJoCo)',
    description: 'One-legged planar hopper; hop forward without falling. The paper\'s control case: entropy helps',
    variants: [fixedVariant('default', 'Gymnasium Hopper-v4 semantics on MuJoCo WebAssembly', HOPPER_OBS_DIM, [-1, -1, -1], [1, 1, 1], ['thigh torque [x200 N m]', 'leg torque [x200 N m]', 'foot torque [x200 N m]'])],
    params: HOPPER_PARAMS,
    stateNames: { default: HOPPER_STATE_NAMES },
    make: makeHopper,
    maxEpisodeSteps: 1000,
    timeLimit: 'truncated',
    clipsActions: true,
    budget: budget(2_000_000, 10_000),
    physics: 'mujoco',
  }),
  entry({
    id: 'opencat',
    title: 'OpenCat quadruped (Petoi Bittle, MuJoCo)',
    description: 'Eight servo joints; walk forward along x. SAC tends to fall or crawl where PPO walks',
    variants: [fixedVariant('default', 'Bittle from the spec\'s numbers; servo-like position control, 3 x 1/240 s per step', OPENCAT_OBS_DIM, new Array<number>(OPENCAT_ACT_DIM).fill(-1), new Array<number>(OPENCAT_ACT_DIM).fill(1), ['shoulder_L', 'elbow_L', 'shoulder_R', 'elbow_R', 'hip_R', 'knee_R', 'hip_L', 'knee_L'].map((n) => `${n} [x11 deg]`))],
    params: OPENCAT_PARAMS,
    stateNames: { default: OPENCAT_STATE_NAMES },
    make: makeOpenCat,
    maxEpisodeSteps: 250,
    timeLimit: 'truncated',
    clipsActions: false,
    budget: budget(2_000_000, 10_000),
    physics: 'mujoco',
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
