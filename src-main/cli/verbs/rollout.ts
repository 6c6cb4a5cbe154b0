// `lab rollout`: step one environment with actions in its own units (a constant action or a JSON
// file of actions) and print per-step rewards, the final flags and observation, length and return.
// Every input problem is a UsageError (one line, exit 2, nothing on stdout): the whole rollout is
// computed before anything is printed.
import { readFileSync } from 'node:fs';
import { getEnvSpec } from '../../../src-core/envs/registry.ts';
import { ensurePhysicsFor } from '../../engine/mujoco.ts';
import type { Env, EnvSpec } from '../../../src-core/envs/types.ts';
import { Rng } from '../../../src-core/rng.ts';
import { flagBool, flagMulti, flagString, parseArgs, parseInteger, parseKeyValues, parseNumber } from '../args.ts';
import { UsageError } from '../errors.ts';

export const summary = 'step an environment with a constant action or a file of actions; print rewards and return';

const USAGE =
  'usage: lab rollout --env ID [--variant V] [--param key=value ...] [--seed N] [--init-state JSON] ' +
  '(--const a1,a2,... | --actions FILE) [--steps N] [--json]';

export interface RolloutResult {
  rewards: number[];
  terminated: boolean;
  truncated: boolean;
  final_observation: number[];
  length: number;
  return: number;
}

/** Runs an Error-throwing core call, turning its message into a UsageError (bad input). */
function asUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

function parseParams(items: readonly string[]): Record<string, number> {
  const params: Record<string, number> = {};
  for (const [key, value] of parseKeyValues(items, '--param')) {
    if (key in params) throw new UsageError(`--param: '${key}' given more than once`);
    params[key] = parseNumber(value, `--param ${key}`);
  }
  return params;
}

function parseInitState(text: string, names: readonly string[]): number[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`--init-state: '${text}' is not valid JSON (expected an array like [${names.map(() => '0').join(', ')}])`);
  }
  if (typeof value === 'number') value = [value];
  if (!Array.isArray(value)) throw new UsageError(`--init-state: expected a JSON array of ${names.length} numbers [${names.join(', ')}]`);
  value.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new UsageError(`--init-state: entry ${i} (${names[i] ?? 'extra'}) is not a finite number: ${JSON.stringify(v)}`);
  });
  if (value.length !== names.length) {
    throw new UsageError(`--init-state: ${value.length} values given, expected ${names.length} [${names.join(', ')}]`);
  }
  return value as number[];
}

function checkAction(action: unknown, dim: number, what: string): number[] {
  const list = typeof action === 'number' && dim === 1 ? [action] : action;
  if (!Array.isArray(list)) throw new UsageError(`${what}: expected a list of ${dim} numbers, got ${JSON.stringify(action)}`);
  if (list.length !== dim) throw new UsageError(`${what}: ${list.length} values given, the action has ${dim}`);
  list.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new UsageError(`${what}: entry ${i} is not a finite number: ${JSON.stringify(v)}`);
  });
  return list as number[];
}

function parseConst(text: string, dim: number): number[] {
  const parts = text.split(',').map((s) => s.trim());
  const values = parts.map((p, i) => parseNumber(p, `--const entry ${i}`));
  return checkAction(values, dim, '--const');
}

function readActions(path: string, dim: number): number[][] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`--actions: cannot read '${path}'${code === 'ENOENT' ? ': no such file' : code ? ` (${code})` : ''}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--actions: '${path}' is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!Array.isArray(value) || value.length === 0) throw new UsageError(`--actions: '${path}' must hold a non-empty JSON list of actions`);
  return value.map((a, i) => checkAction(a, dim, `--actions: action ${i} in '${path}'`));
}

/** Steps `env` from a seeded (or explicit) reset with `actionAt(i)` until `steps` steps or an episode end. */
export function rollout(env: Env, seed: number, initState: number[] | undefined, actionAt: (i: number) => number[], steps: number): RolloutResult {
  const rewards: number[] = [];
  let terminated = false;
  let truncated = false;
  let obs: Float64Array = env.reset(new Rng(seed), initState).observation;
  let total = 0;
  for (let i = 0; i < steps; i++) {
    const r = env.step(actionAt(i));
    rewards.push(r.reward);
    total += r.reward;
    obs = r.observation;
    terminated = r.terminated;
    truncated = r.truncated;
    if (terminated || truncated) break;
  }
  return { rewards, terminated, truncated, final_observation: Array.from(obs), length: rewards.length, return: total };
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    env: { type: 'string' },
    variant: { type: 'string' },
    param: { type: 'multi' },
    seed: { type: 'string' },
    'init-state': { type: 'string' },
    const: { type: 'string' },
    actions: { type: 'string' },
    steps: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean' },
  });
  if (flagBool(args, 'help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}' (${USAGE})`);
  const id = flagString(args, 'env');
  if (id === undefined) throw new UsageError(`--env is required (${USAGE})`);
  const spec: EnvSpec = asUsage(() => getEnvSpec(id));
  await ensurePhysicsFor(id); // hopper, opencat: MuJoCo
  const params = parseParams(flagMulti(args, 'param'));
  const variant = flagString(args, 'variant');
  const env = asUsage(() => spec.make(variant, params));
  const seedText = flagString(args, 'seed');
  const seed = seedText === undefined ? 0 : parseInteger(seedText, '--seed');
  const initText = flagString(args, 'init-state');
  const initState = initText === undefined ? undefined : parseInitState(initText, env.stateNames);
  if (initState) asUsage(() => env.reset(new Rng(seed), initState)); // env-specific checks (e.g. the toy's index range)
  const dim = env.actionSpace.dim;
  const constText = flagString(args, 'const');
  const file = flagString(args, 'actions');
  if ((constText === undefined) === (file === undefined)) throw new UsageError('give exactly one of --const a1,a2,... or --actions FILE');
  const stepsText = flagString(args, 'steps');
  let steps = stepsText === undefined ? env.maxEpisodeSteps : parseInteger(stepsText, '--steps', 1);
  let actionAt: (i: number) => number[];
  if (constText !== undefined) {
    const a = parseConst(constText, dim);
    actionAt = () => a;
  } else {
    const list = readActions(file!, dim);
    if (stepsText !== undefined && steps > list.length) {
      throw new UsageError(`--steps ${steps} is more than the ${list.length} actions in '${file}'`);
    }
    steps = Math.min(steps, list.length);
    actionAt = (i) => list[i]!;
  }
  const result = rollout(env, seed, initState, actionAt, steps);
  env.close?.();
  if (flagBool(args, 'json')) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    const overrides = Object.keys(params).length > 0 ? ` params=${JSON.stringify(params)}` : '';
    const init = initState ? ` init-state=${JSON.stringify(initState)}` : '';
    const lines = [`# ${spec.id} variant=${env.variant} seed=${seed}${overrides}${init}`, '# step reward'];
    result.rewards.forEach((r, i) => lines.push(`${i + 1} ${r}`));
    lines.push(`terminated: ${result.terminated}`);
    lines.push(`truncated: ${result.truncated}`);
    lines.push(`final observation: [${result.final_observation.join(', ')}]`);
    lines.push(`length: ${result.length}`);
    lines.push(`return: ${result.return}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return 0;
}
