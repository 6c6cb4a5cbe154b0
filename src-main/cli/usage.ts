// The usage text of every `lab` verb, printed by `lab VERB --help` (or -h, anywhere after the verb)
// and `lab help VERB`. Kept here, beside the verb table of ./main.ts, so that help is answered
// before a verb parses its flags and verb files need not know about it; tests/main/cli/help.test.ts
// checks that every verb listed by `lab help` answers --help with its entry.
export const USAGE: Record<string, string> = {
  experiment: [
    'lab experiment run FILE|PRESET [--concurrency N] [--backend auto|webgpu|tensorflow|wasm|cpu] [--seed-batch K|auto|off] [--db PATH]',
    'lab experiment run FILE|PRESET --on slurm --workdir DIR [--partition P] [--time T] [--cpus-per-task N] [--mem M] [--sbatch-arg A ...] [--requeue] [--db PATH]',
    'lab experiment validate FILE|PRESET [--json]',
    'lab experiment list [--json] [--db PATH]',
  ].join('\n'),
  runs: [
    'lab runs [--env ID] [--algo A] [--status S] [--tag T] [--experiment ID] [--config key=value ...]',
    '         [--summary last|best|mean-last:K|auc] [--sort id|created|env|algo|status|seed|step|summary] [--desc]',
    '         [--limit N] [--offset N] [--json] [--db PATH]',
    'lab runs show ID [--json] [--db PATH]',
    'lab runs resume ID|--all-interrupted|--experiment ID [--concurrency N] [--backend B] [--db PATH]',
    'lab runs cancel|delete ID [--db PATH]',
  ].join('\n'),
  export: 'lab export (RUN_ID [RUN_ID ...] | --experiment ID) --format csv|sb3|json|tensorboard --out DIR [--db PATH]',
  db: 'lab db backup FILE [--db PATH]\nlab db path [--db PATH]\nlab db check [--db PATH]',
  serve: 'lab serve [--port N] [--db PATH] [--concurrency N] [--static DIR]',
  envs: 'lab envs [--json]',
  rollout:
    'lab rollout --env ID [--variant V] [--param key=value ...] [--seed N] [--init-state JSON] (--const a1,a2,... | --actions FILE) [--steps N] [--json]',
  fan: [
    'lab fan RUN_ID [--step S] [--start-seed N | --start-state JSON] [--count K] [--sampling-seed N] [--steps N] [--json [--with-states]] [--db PATH]',
    'lab fan --results DIR --task T --algo A --seed N [the same flags]   (a shipped run of results/, as the report names it)',
  ].join('\n'),
  critical: [
    'lab critical RUN_ID [--step S] [--eval-step S] [--mode deterministic|stochastic] [--episode K] [--plain-from RUN_ID [--plain-step S]] [--sampling-seed N] [--csv | --json] [--db PATH]',
    'lab critical --results DIR --task T --algo A --seed N [the same flags; --plain-from ALGO:SEED]   (a shipped run of results/, as the report names it)',
  ].join('\n'),
  compare: [
    'lab compare --experiment ID[,ID...] [--metric KEY [--window FROM:TO]] [--mode deterministic|stochastic] [--group-by algo|label|env|config:KEY]',
    '            [--include-unfinished] [--last-evals K] [--resamples N] [--confidence C] [--seed N]',
    '            [--json | --format text|json|csv|markdown|latex] [--db PATH]',
  ].join('\n'),
  bundle: 'lab bundle export --experiment ID --out FILE [--force] [--compact] [--db PATH]\nlab bundle check FILE',
  import: 'lab import FILE [--db PATH]',
  train: [
    'lab train --env ID [--variant V] --algo sac|sac-auto|sac-adaent|ppo|td3 [--preset paper|quick] [--set key=value ...]',
    '          [--seed N | --seeds N,N,...] [--steps N] [--backend auto|webgpu|tensorflow|wasm|cpu] [--out DIR] [--db PATH]',
    'lab train --resume DIR [--resume DIR ...] [--backend B] [--db PATH]',
  ].join('\n'),
  doctor: 'lab doctor [--backend B] [--json]',
  cluster: 'lab cluster task FOLDER   (on a cluster node; run by the job array script of lab experiment run --on slurm)',
  reproduce: [
    'lab reproduce [TASK ...|all] [--budget quick|paper] [--seeds N] [--algos A,B] [--concurrency N] [--backend B] [--seed-batch K|auto|off] [--results DIR] [--report FILE] [--plan] [--measure] [--steps N | --learning-steps N] [--pieces DIR [--pieces-every MIN]] [--db PATH]',
    'lab reproduce [TASK ...|all] ... --on slurm --workdir DIR [--partition P] [--time T] [--cpus-per-task N] [--mem M] [--sbatch-arg A ...] [--requeue]   (the same command again follows it)',
  ].join('\n'),
  report: 'lab report [--json] [--markdown] [--out FILE] [--results DIR | --db PATH] [--resamples N] [--seed N] [--pieces DIR]',
};

/** True when argv asks for help (before a lone `--`, after which everything is an argument). */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

/** The help text of a verb: its usage lines. */
export function helpText(verb: string): string {
  const usage = USAGE[verb] ?? `lab ${verb} ... (no usage written for this verb yet; see its file under src-main/cli/verbs)`;
  return `usage:\n${usage.split('\n').map((l) => `  ${l}`).join('\n')}\n`;
}
