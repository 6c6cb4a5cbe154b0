// Preview rollouts for the Environments view: one episode of an environment under a simple policy
// (random, zero, constant) or a stored policy, recording the full state at every step.
// Seeded: the start state comes from Rng(seed, 0), random actions from Rng(seed, 1).
import { makeEnv, getEnvSpec } from '../../src-core/envs/registry.ts';
import type { Env } from '../../src-core/envs/types.ts';
import { Rng } from '../../src-core/rng.ts';
import type { PreviewResult } from '../../src-core/contract/methods/scenes.ts';

/** Maps an observation to an action in the environment's units (a stored policy answers asynchronously: its tensor reads are awaited). */
export type PolicyFn = (observation: Float64Array) => ArrayLike<number> | Promise<ArrayLike<number>>;

export type SimplePolicy = { kind: 'random' } | { kind: 'zero' } | { kind: 'constant'; action: number[] };

export interface RolloutRequest {
  envId: string;
  variant?: string | undefined;
  params?: Record<string, number> | undefined;
  seed: number;
  initialState?: number[] | undefined;
  steps?: number | undefined;
}

/** An error in the request, naming the offending field (dotted path). */
export class PreviewInputError extends Error {
  override name = 'PreviewInputError';
  readonly path: string;
  constructor(message: string, path: string) {
    super(message);
    this.path = path;
  }
}

/** A policy function and its description for a simple policy, checked against the action space. */
export function simplePolicy(policy: SimplePolicy, low: ArrayLike<number>, high: ArrayLike<number>, seed: number): { act: PolicyFn; label: string } {
  const dim = low.length;
  if (policy.kind === 'zero') {
    const zero = new Float64Array(dim);
    return { act: () => zero, label: 'zero action' };
  }
  if (policy.kind === 'constant') {
    if (policy.action.length !== dim) {
      throw new PreviewInputError(`constant action has ${policy.action.length} values, the environment expects ${dim}`, 'policy.action');
    }
    const a = Float64Array.from(policy.action);
    return { act: () => a, label: `constant [${policy.action.join(', ')}]` };
  }
  const rng = new Rng(seed, 1);
  const out = new Float64Array(dim);
  return {
    act: () => {
      for (let i = 0; i < dim; i++) out[i] = rng.uniformRange(low[i]!, high[i]!);
      return out;
    },
    label: `uniform random actions (seed ${seed})`,
  };
}

/** Roll out one episode; every value is copied out of the environment's reused buffers. */
export async function rollout(req: RolloutRequest, act: PolicyFn, label: string): Promise<PreviewResult> {
  let env;
  try {
    env = makeEnv(req.envId, req.variant, req.params);
  } catch (err) {
    const msg = (err as Error).message;
    const path = /unknown environment/.test(msg) ? 'envId' : /variant/.test(msg) ? 'variant' : 'params';
    throw new PreviewInputError(msg, path);
  }
  try {
    return await rolloutEpisode(env, req, act, label);
  } finally {
    env.close?.(); // frees MuJoCo's data (hopper, opencat)
  }
}

async function rolloutEpisode(env: Env, req: RolloutRequest, act: PolicyFn, label: string): Promise<PreviewResult> {
  const spec = getEnvSpec(req.envId);
  const variantSpec = spec.variants.find((v) => v.name === env.variant);
  const limit = env.maxEpisodeSteps;
  const steps = Math.min(req.steps ?? limit, limit);
  let reset;
  try {
    reset = env.reset(new Rng(req.seed, 0), req.initialState);
  } catch (err) {
    throw new PreviewInputError((err as Error).message, 'initialState');
  }
  const stateDim = env.stateNames.length;
  const actDim = env.actionSpace.dim;
  const states: number[] = Array.from(env.getState());
  const actions: number[] = [];
  const rewards: number[] = [];
  const components: Record<string, number[]> = {};
  let obs = reset.observation.slice();
  let terminated = false;
  let truncated = false;
  let total = 0;
  let nonFinite = false;
  for (let t = 0; t < steps && !terminated && !truncated; t++) {
    const a = Array.from(await act(obs));
    const r = env.step(a);
    const next = env.getState();
    if (!Number.isFinite(r.reward) || next.some((v) => !Number.isFinite(v)) || a.some((v) => !Number.isFinite(v))) {
      nonFinite = true; // JSON cannot carry it, and a scene cannot draw it: the episode ends before this step
      break;
    }
    actions.push(...a);
    rewards.push(r.reward);
    total += r.reward;
    for (const [name, value] of Object.entries(r.info.rewardComponents)) {
      (components[name] ??= new Array<number>(t).fill(0)).push(value);
    }
    for (const list of Object.values(components)) while (list.length < t + 1) list.push(0);
    states.push(...next);
    obs = r.observation.slice();
    terminated = r.terminated;
    truncated = r.truncated;
  }
  return {
    envId: env.id,
    variant: env.variant,
    params: { ...env.params },
    seed: req.seed,
    policy: label,
    stateNames: [...env.stateNames],
    actionNames: [...(variantSpec?.actionNames ?? Array.from({ length: actDim }, (_, i) => `a${i}`))],
    length: rewards.length,
    stateDim,
    actDim,
    states,
    actions,
    rewards,
    rewardComponents: components,
    terminated,
    truncated,
    nonFinite,
    return: total,
  };
}
