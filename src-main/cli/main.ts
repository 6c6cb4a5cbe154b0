// Entry of the `lab` command: dispatches to one module per verb under ./verbs.
// Each verb module exports `run(argv): Promise<number>` and `summary` (one line for help).
// Bad input throws UsageError: one line on stderr, exit code 2, nothing on stdout.
import { UsageError, EXIT_USAGE, EXIT_FAILURE } from './errors.ts';
import { helpText, wantsHelp } from './usage.ts';

export interface Verb {
  summary: string;
  run(argv: string[]): Promise<number>;
}

/** Verb name -> module loader. Add a verb by adding a file under ./verbs, a line here and its usage in ./usage.ts. */
const VERBS: Record<string, () => Promise<Verb>> = {
  experiment: () => import('./verbs/experiment.ts'),
  runs: () => import('./verbs/runs.ts'),
  export: () => import('./verbs/export.ts'),
  db: () => import('./verbs/db.ts'),
  serve: () => import('./verbs/serve.ts'),
  envs: () => import('./verbs/envs.ts'),
  rollout: () => import('./verbs/rollout.ts'),
  fan: () => import('./verbs/fan.ts'),
  critical: () => import('./verbs/critical.ts'),
  compare: () => import('./verbs/compare.ts'),
  bundle: () => import('./verbs/bundle.ts'),
  import: () => import('./verbs/import.ts'),
  train: () => import('./verbs/train.ts'),
  doctor: () => import('./verbs/doctor.ts'),
  cluster: () => import('./verbs/cluster.ts'),
  reproduce: () => import('./verbs/reproduce.ts'),
  report: () => import('./verbs/report.ts'),
};

async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  const helpFor = verb === 'help' && rest[0] !== undefined ? rest[0] : wantsHelp(rest) ? verb : undefined;
  if (helpFor !== undefined && verb !== undefined) {
    if (!VERBS[helpFor]) throw new UsageError(`unknown verb '${helpFor}' (try 'lab help')`);
    process.stdout.write(helpText(helpFor)); // without loading the verb's module: instant
    return 0;
  }
  if (!verb || verb === 'help' || verb === '--help' || verb === '-h') {
    const lines = await Promise.all(
      Object.entries(VERBS).map(async ([name, load]) => `  ${name.padEnd(12)} ${(await load()).summary}`),
    );
    process.stdout.write(`usage: lab <verb> [flags]   (lab <verb> --help: its usage)\n\nverbs:\n${lines.join('\n')}\n`);
    return 0;
  }
  const load = VERBS[verb];
  if (!load) throw new UsageError(`unknown verb '${verb}' (try 'lab help')`);
  return (await load()).run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`lab: ${err.message}\n`);
      process.exitCode = EXIT_USAGE;
    } else {
      process.stderr.write(`lab: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = EXIT_FAILURE;
    }
  },
);
