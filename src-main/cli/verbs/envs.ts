// `lab envs [--json]`: every environment with its variants, spaces, episode limit, parameters
// and reference training budget, read from the registry (src-core/envs/registry.ts).
import { ENV_SPECS } from '../../../src-core/envs/registry.ts';
import type { EnvSpec } from '../../../src-core/envs/types.ts';
import { flagBool, parseArgs } from '../args.ts';
import { UsageError } from '../errors.ts';

export const summary = 'list the environments: variants, spaces, episode limits, parameters';

const USAGE = 'usage: lab envs [--json]';

/** A plain, JSON-ready description of one registry entry. */
export function describeEnv(spec: EnvSpec): Record<string, unknown> {
  return {
    id: spec.id,
    title: spec.title,
    description: spec.description,
    defaultVariant: spec.defaultVariant,
    variants: spec.variants.map((v) => ({
      name: v.name,
      description: v.description,
      observationDim: v.observationDim,
      action: { names: v.actionNames, low: v.actionLow, high: v.actionHigh },
      stateNames: spec.stateNames(v.name),
    })),
    maxEpisodeSteps: spec.maxEpisodeSteps,
    timeLimit: spec.timeLimit,
    clipsActions: spec.clipsActions,
    budget: spec.budget,
    params: spec.params.map((p) => ({ ...p })),
  };
}

const LIMIT_TEXT: Record<EnvSpec['timeLimit'], string> = {
  terminated: 'reported as terminated (reference quirk)',
  truncated: 'reported as truncated',
  none: 'episodes end by termination',
};

function describeText(spec: EnvSpec): string {
  const lines = [`${spec.id}: ${spec.title}`, `  ${spec.description}`];
  for (const v of spec.variants) {
    const def = v.name === spec.defaultVariant ? ' (default)' : '';
    lines.push(`  variant ${v.name}${def}: ${v.description}`);
    const action = v.actionNames.map((n, i) => `${n} in [${v.actionLow[i]}, ${v.actionHigh[i]}]`).join(', ');
    lines.push(`    observation: ${v.observationDim} values; action: ${action}${spec.clipsActions ? ' (clipped)' : ' (not clipped)'}`);
    const names = spec.stateNames(v.name);
    // long states (opencat: 318 values) list their first names; --json has them all
    const shown = names.length > 40 ? `${names.slice(0, 30).join(', ')}, ... (${names.length} values in all; \`lab envs --json\` lists every name)` : names.join(', ');
    lines.push(`    state: [${shown}]`);
  }
  lines.push(`  episode limit: ${spec.maxEpisodeSteps} steps, ${LIMIT_TEXT[spec.timeLimit]}`);
  const b = spec.budget;
  lines.push(`  training budget: ${b.totalSteps} steps, evaluation every ${b.evalInterval} steps (${b.evalEpisodes} episodes); source: ${b.source}`);
  if (spec.params.length > 0) {
    lines.push('  parameters (name = default [min, max] unit: description):');
    const width = Math.max(...spec.params.map((p) => p.name.length));
    for (const p of spec.params) {
      const unit = p.unit ? ` ${p.unit}` : '';
      lines.push(`    ${p.name.padEnd(width)} = ${p.default} [${p.min}, ${p.max}]${unit}: ${p.description}`);
    }
  }
  return lines.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { json: { type: 'boolean' }, help: { type: 'boolean' } });
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}' (${USAGE})`);
  if (flagBool(args, 'help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (flagBool(args, 'json')) {
    process.stdout.write(`${JSON.stringify(ENV_SPECS.map(describeEnv), null, 2)}\n`);
  } else {
    process.stdout.write(`${ENV_SPECS.map(describeText).join('\n\n')}\n`);
  }
  return 0;
}
