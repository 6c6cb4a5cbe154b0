// `lab experiment run FILE|PRESET [--concurrency N] [--backend B] [--seed-batch K|auto|off] [--db PATH]`:
// validate an experiment (YAML or JSON; PRESET names a file of resources/experiments, e.g. toy or
// toy.quick), store it with its runs, run them (one process per run or per seed group of up to K
// runs identical but for seed, N processes at a time) with one progress line per active run and a
// total with ETA. Ctrl-C pauses every run cleanly and prints how to resume.
// With `--on slurm --workdir DIR` the runs go to a Slurm cluster as one job array instead, one
// array task per run or seed group (src-main/cluster, docs/cluster.md).
// `lab experiment validate FILE|PRESET` checks and expands without storing anything.
// `lab experiment list [--json] [--db PATH]` lists stored experiments with run counts.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { formatIssue, parseExperimentText, totalSteps } from '../../../src-core/contract/experiment.ts';
import { flagBool, flagString, parseArgs, parseBackendFlag, parseInteger, parseSeedBatchFlag } from '../args.ts';
import { UsageError } from '../errors.ts';
import { driveRuns, openStoreForCli } from '../../runs/cli-support.ts';
import { defaultConcurrency } from '../../runs/manager.ts';
import type { SeedBatch } from '../../runs/grouping.ts';
import { describeSubmission, refuseStraySlurmFlags, SLURM_FLAGS, slurmRequest, storeAndSubmit, watchSlurmRuns } from '../../cluster/cli.ts';

export const summary = 'run, validate or list experiments (grids of environments x algorithms x seeds)';

const PRESET_DIR = new URL('../../../resources/experiments/', import.meta.url);

export function presetNames(): string[] {
  return readdirSync(PRESET_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -5))
    .sort();
}

/** The text of FILE, or of the bundled preset of that name. */
export function readSpecSource(arg: string): { name: string; text: string } {
  if (existsSync(arg)) {
    if (statSync(arg).isDirectory()) throw new UsageError(`${arg} is a directory, not an experiment file`);
    return { name: arg, text: readFileSync(arg, 'utf8') };
  }
  const preset = new URL(`${arg}.yaml`, PRESET_DIR);
  if (/^[a-z0-9.-]+$/.test(arg) && existsSync(preset)) return { name: `${arg}.yaml`, text: readFileSync(preset, 'utf8') };
  throw new UsageError(`no experiment file or preset named '${arg}' (presets: ${presetNames().join(', ')})`);
}

/** Parse and validate; the first problem becomes the one error line (with a count of the others). */
export function loadSpec(arg: string) {
  const { name, text } = readSpecSource(arg);
  const r = parseExperimentText(text);
  if (r.issues.length > 0 || !r.spec || !r.runs) {
    const more = r.issues.length > 1 ? ` (and ${r.issues.length - 1} more problem${r.issues.length > 2 ? 's' : ''})` : '';
    throw new UsageError(`${formatIssue(r.issues[0]!, basename(name))}${more}`);
  }
  return { spec: r.spec, runs: r.runs, text, name };
}

const RUN_FLAGS = { concurrency: { type: 'string' }, backend: { type: 'string' }, 'seed-batch': { type: 'string' }, db: { type: 'string' }, ...SLURM_FLAGS } as const;

async function runCmd(argv: string[]): Promise<number> {
  const args = parseArgs(argv, RUN_FLAGS);
  if (args.positionals.length !== 1) throw new UsageError('usage: lab experiment run FILE|PRESET [--concurrency N] [--backend B] [--seed-batch K|auto|off] [--db PATH] [--on slurm --workdir DIR ...]');
  const c = flagString(args, 'concurrency');
  const concurrency = c === undefined ? defaultConcurrency() : parseInteger(c, '--concurrency', 1);
  const backend = parseBackendFlag(flagString(args, 'backend'));
  const seedBatch = parseSeedBatchFlag(flagString(args, 'seed-batch'));
  const { spec, runs, text } = loadSpec(args.positionals[0]!);
  const on = flagString(args, 'on') ?? 'local';
  if (on === 'slurm') return runOnSlurm(args, spec, runs, text, backend, seedBatch);
  if (on !== 'local') throw new UsageError(`--on: '${on}' is not one of local, slurm`);
  refuseStraySlurmFlags(args);
  const store = openStoreForCli(flagString(args, 'db'));
  try {
    const { expId, runIds } = store.tx(() => {
      const expId = store.experiments.insert({ name: spec.name, description: spec.description, spec, source: text, tags: spec.tags });
      const runIds = runs.map((r) => store.runs.insert(r.config, { experimentId: expId, label: r.label, tags: spec.tags }));
      return { expId, runIds };
    });
    process.stdout.write(
      `experiment ${expId} "${spec.name}": ${runs.length} runs, ${totalSteps(runs)} environment steps, ${concurrency} at a time; database ${store.path}\n`,
    );
    const dbHint = flagString(args, 'db') ? ` --db ${flagString(args, 'db')}` : '';
    return await driveRuns(store, runIds, { concurrency, backend: backend ?? spec.backend, seedBatch, resumeHint: `lab runs resume --experiment ${expId}${dbHint}` });
  } finally {
    store.close();
  }
}

/** `--on slurm` (docs/cluster.md): check the cluster first, then store and submit all or nothing, then watch. */
async function runOnSlurm(
  args: ReturnType<typeof parseArgs>,
  spec: ReturnType<typeof loadSpec>['spec'],
  runs: ReturnType<typeof loadSpec>['runs'],
  text: string,
  backend: string | undefined,
  seedBatch: SeedBatch | undefined,
): Promise<number> {
  if (flagString(args, 'concurrency') !== undefined) throw new UsageError('--concurrency is for local runs; on Slurm every task runs as the cluster schedules it');
  const req = slurmRequest(args, backend ?? spec.backend, seedBatch);
  const store = openStoreForCli(flagString(args, 'db'));
  try {
    const sub = storeAndSubmit(store, spec, spec, text, runs, req);
    const { expId, runIds } = sub;
    process.stdout.write(describeSubmission(expId, spec.name, runs, sub, store.path));
    const dbHint = flagString(args, 'db') ? ` --db ${flagString(args, 'db')}` : '';
    return await watchSlurmRuns(store, runIds, `lab runs sync --experiment ${expId} --wait${dbHint}`);
  } finally {
    store.close();
  }
}

async function validateCmd(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { json: { type: 'boolean' } });
  if (args.positionals.length !== 1) throw new UsageError('usage: lab experiment validate FILE|PRESET [--json]');
  const { spec, runs } = loadSpec(args.positionals[0]!);
  if (flagBool(args, 'json')) process.stdout.write(`${JSON.stringify({ spec, runs }, null, 2)}\n`);
  else {
    process.stdout.write(`${spec.name}: valid; ${runs.length} runs, ${totalSteps(runs)} environment steps\n`);
    for (const r of runs) process.stdout.write(`  ${r.label}: ${r.config.totalSteps} steps, eval every ${r.config.evalInterval} (${r.config.evalModes.join(', ')})\n`);
  }
  return 0;
}

async function listCmd(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { json: { type: 'boolean' }, db: { type: 'string' } });
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
  const store = openStoreForCli(flagString(args, 'db'), { mustExist: true });
  try {
    const rows = store.experiments.list().map((e) => {
      const ids = store.runs.idsOfExperiment(e.id);
      const counts: Record<string, number> = {};
      for (const id of ids) {
        const s = store.runs.get(id)!.status;
        counts[s] = (counts[s] ?? 0) + 1;
      }
      return { id: e.id, name: e.name, created: new Date(e.createdAt * 1000).toISOString(), runs: ids.length, status: counts, tags: e.tags };
    });
    if (flagBool(args, 'json')) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    else if (rows.length === 0) process.stdout.write('no experiments\n');
    else {
      for (const r of rows) {
        const st = Object.entries(r.status).map(([k, v]) => `${v} ${k}`).join(', ');
        process.stdout.write(`${String(r.id).padStart(4)}  ${r.name.padEnd(24)} ${r.runs} runs (${st})  ${r.created}\n`);
      }
    }
    return 0;
  } finally {
    store.close();
  }
}

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'run') return runCmd(rest);
  if (sub === 'validate') return validateCmd(rest);
  if (sub === 'list') return listCmd(rest);
  throw new UsageError(`usage: lab experiment run|validate|list ... (got '${sub ?? ''}'); presets: ${presetNames().join(', ')}`);
}
