// `lab reproduce [TASK ...|all] [--budget quick|paper] [--seeds N] [--concurrency N] [--backend B]
//   [--seed-batch K|auto|off] [--algos A,B] [--results DIR] [--report FILE] [--plan] [--measure]
//   [--steps N] [--pieces DIR [--pieces-every MIN]] [--db PATH] [--on slurm --workdir DIR ...]`: the paper campaign
// (src-main/evidence/campaign.ts). Plans the grid and prints the estimated time from the speed measured
// in this store; with --measure, a task and algorithm no stored run has timed is timed here by a
// brief training (src-main/evidence/speed-probe.ts: seconds to minutes each);
// then runs every task's unfinished runs through one run manager queue (one process per run or seed
// group, as `lab experiment run`), writes each task's compact bundle to results/ as soon as every run
// of it has completed, and at the end prints the report of the store's whole campaign at this budget
// and writes that of the bundles in results/ (docs/results.md). Resumable: the experiment of a
// task is found again by its name, so after Ctrl-C, a crash or a reboot the same command continues
// each unfinished run from its last checkpoint; completed tasks are not run again. --steps N
// replaces the presets' budgets for a smoke test of the machinery (the experiment is named so).
// --learning-steps N gives every algorithm N learning steps after its preset's warm-up (a longer
// budget where the quick one ended with a method still rising): an experiment and bundle of its
// own, reported apart from the presets' budget (src-main/evidence/budgets.ts).
// --algos runs a part of the algorithms as an experiment (and bundle) of its own, named so: the
// cheap algorithms of every task first and SAC-AdaEnt later, or SAC-AdaEnt with 3 seeds where its
// cost forbids 5; the report pools a task's experiments, and an overlap is refused. --seed-batch
// sets how many seeds train as one group (one process, one core), as for `lab experiment run`:
// auto groups up to 5, `--seed-batch 1 --concurrency N` spreads a task's seeds over N cores.
// --pieces DIR continues a task from its piece in DIR (the experiment as another machine left it:
// src-main/evidence/pieces.ts) where the store does not have it, skips a task it has neither in the
// store nor as a piece whose bundle is in results/ (finished), and when the command stops (Ctrl-C
// or the end) writes each unfinished task's piece there and removes a completed task's; also every
// --pieces-every minutes (default 30) while it trains, so a machine lost without a Ctrl-C loses at
// most that much (the pieces then hold each run up to its last checkpoint).
// --on slurm sends the unfinished runs to a Slurm cluster instead (src-main/cluster/reproduce.ts) and
// watches them; Ctrl-C stops watching only, and the same command picks the campaign up again.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { exportBundle } from '../../bundle/export.ts';
import { availableTasks, campaignAlgos, DEFAULT_SEEDS, TASKS, type Budget } from '../../evidence/campaign.ts';
import { bundleFile, campaignExperiments, insertExperiment, measureUnknown, plan, printPlan, type Choice, type Planned, type Probes } from '../reproduce-plan.ts';
import { continueFromPieces, planFromPieces, savePieces, withoutFinished } from '../reproduce-pieces.ts';
import { describeSubmission, inFlightOnSlurm, refuseStraySlurmFlags, SLURM_FLAGS, slurmFlagsText, slurmRequest, watchSlurmRuns } from '../../cluster/cli.ts';
import { submitCampaign } from '../../cluster/reproduce.ts';
import { SlurmError } from '../../cluster/slurm.ts';
import { formatText, writeMarkdown } from '../../evidence/format.ts';
import { buildEvidenceReport } from '../../evidence/report.ts';
import { RESULTS_DIR, resultBundleFiles } from '../../evidence/results.ts';
import { pieceFigures } from '../../evidence/piece-figure.ts';
import { readPieces } from '../../evidence/pieces.ts';
import { resultsStore } from './report.ts';
import { driveRuns, openStoreForCli } from '../../runs/cli-support.ts';
import { defaultConcurrency } from '../../runs/manager.ts';
import { StoreError, type Store } from '../../store/index.ts';
import { RESUMABLE } from '../../store/repos/runs.ts';
import { flagBool, flagString, parseArgs, parseBackendFlag, parseInteger, parseSeedBatchFlag } from '../args.ts';
import { UsageError } from '../errors.ts';

export const summary = "run the paper's campaign (tasks x PPO, SAC, SAC auto, SAC-AdaEnt, TD3 x seeds), resumable; bundles to results/, then the report";

/** Minutes between the pieces written while the campaign trains (--pieces-every). */
const DEFAULT_PIECES_EVERY = 30;

/** Write the compact bundle of a finished task to results/ (atomically). */
function writeBundle(store: Store, experimentId: number, file: string, command: string): string {
  mkdirSync(join(file, '..'), { recursive: true });
  const b = exportBundle(store, experimentId, { app: process.env.npm_package_version ?? '', campaign: command }, { compact: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, b.bytes);
  renameSync(tmp, file);
  return file;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    budget: { type: 'string' },
    seeds: { type: 'string' },
    concurrency: { type: 'string' },
    backend: { type: 'string' },
    'seed-batch': { type: 'string' },
    results: { type: 'string' },
    report: { type: 'string' },
    plan: { type: 'boolean' },
    algos: { type: 'string' },
    measure: { type: 'boolean' },
    steps: { type: 'string' },
    'learning-steps': { type: 'string' },
    pieces: { type: 'string' },
    'pieces-every': { type: 'string' },
    db: { type: 'string' },
    ...SLURM_FLAGS,
  });
  const budget = (flagString(args, 'budget') ?? 'quick') as Budget;
  if (budget !== 'quick' && budget !== 'paper') throw new UsageError(`--budget: '${budget}' is not quick or paper`);
  const seeds = parseInteger(flagString(args, 'seeds') ?? String(DEFAULT_SEEDS), '--seeds', 1);
  const stepsFlag = flagString(args, 'steps');
  const steps = stepsFlag === undefined ? undefined : parseInteger(stepsFlag, '--steps', 1);
  const learningText = flagString(args, 'learning-steps');
  const learningSteps = learningText === undefined ? undefined : parseInteger(learningText, '--learning-steps', 1);
  if (steps !== undefined && learningSteps !== undefined) throw new UsageError('--steps (a smoke test in environment steps) and --learning-steps: choose one');
  const algosText = flagString(args, 'algos');
  const algos = algosText === undefined ? undefined : algosText.split(',').map((a) => a.trim());
  try {
    if (algos) campaignAlgos(algos);
  } catch (err) {
    throw new UsageError(`--algos: ${(err as Error).message}`);
  }
  if (algos && new Set(algos).size !== algos.length) throw new UsageError(`--algos: '${algosText}' names an algorithm twice`);
  const choice: Choice = { budget, seeds, steps, algos, learningSteps };
  const c = flagString(args, 'concurrency');
  const concurrency = c === undefined ? defaultConcurrency() : parseInteger(c, '--concurrency', 1);
  const backend = parseBackendFlag(flagString(args, 'backend'));
  const seedBatch = parseSeedBatchFlag(flagString(args, 'seed-batch'));
  const on = flagString(args, 'on') ?? 'local';
  if (on !== 'local' && on !== 'slurm') throw new UsageError(`--on: '${on}' is not one of local, slurm`);
  if (on === 'local') refuseStraySlurmFlags(args);
  else if (c !== undefined) throw new UsageError('--concurrency is for local runs; on Slurm every task runs as the cluster schedules it');
  else if (flagString(args, 'pieces') !== undefined) throw new UsageError('--pieces is for local runs; on Slurm the run folders in --workdir keep an unfinished campaign');
  const piecesText = flagString(args, 'pieces');
  const piecesDir = piecesText === undefined ? null : resolve(piecesText);
  const everyText = flagString(args, 'pieces-every');
  if (everyText !== undefined && piecesDir === null) throw new UsageError('--pieces-every goes with --pieces');
  const piecesEvery = everyText === undefined ? DEFAULT_PIECES_EVERY : Number(everyText);
  if (!(piecesEvery > 0) || !Number.isFinite(piecesEvery)) throw new UsageError(`--pieces-every: '${everyText}' is not a positive number of minutes`);
  // the cluster is checked before the store is opened, so a refusal leaves nothing behind
  const slurm = on === 'slurm' && !flagBool(args, 'plan') ? slurmRequest(args, backend, seedBatch) : null;
  const available = availableTasks();
  const names = args.positionals.length === 0 || args.positionals.includes('all') ? available.map((t) => t.task) : args.positionals;
  const tasks = names.map((n) => {
    const t = available.find((x) => x.task === n);
    if (t) return t;
    if (TASKS.some((x) => x.task === n)) throw new UsageError(`task '${n}': its environment is not in this lab yet`);
    throw new UsageError(`unknown task '${n}' (tasks: ${available.map((x) => x.task).join(', ')}, or all)`);
  });
  const resultsDir = resolve(flagString(args, 'results') ?? RESULTS_DIR);
  const reportFile = resolve(flagString(args, 'report') ?? new URL('../../../docs/results.md', import.meta.url).pathname);
  if (seeds < 5) process.stdout.write(`note: ${seeds} seeds per cell; the campaign asks for at least 5 (3 where the cost forbids 5, said in the report)\n`);

  const store = openStoreForCli(flagString(args, 'db'));
  try {
    store.runs.recoverOrphans(); // runs left 'running' by a crash or reboot become interrupted (resumable)
    const probes = flagBool(args, 'measure') ? await measureUnknown(store, tasks, choice, concurrency, backend, seedBatch) : (new Map() as Probes);
    const workers = { workers: concurrency, seedBatch };
    let planned = plan(store, tasks, choice, workers, probes);
    if (piecesDir) planned = withoutFinished(planned, piecesDir, resultsDir, choice);
    if (piecesDir && flagBool(args, 'plan')) planned = planFromPieces(planned, piecesDir, choice, workers, probes);
    else if (piecesDir && continueFromPieces(store, planned, piecesDir, choice)) planned = plan(store, planned.map((p) => p.task), choice, workers, probes);
    process.stdout.write(`lab reproduce: ${tasks.length} task${tasks.length > 1 ? 's' : ''}, ${budget} budget${learningSteps ? ` with ${learningSteps} learning steps` : ''}, ${seeds} seeds${algos ? `, ${campaignAlgos(algos).map((a) => a.algo).join(', ')}` : ''}; database ${store.path}\n`);
    printPlan(planned, concurrency);
    if (flagBool(args, 'plan')) return 0;
    const dbHint = flagString(args, 'db') ? ` --db ${flagString(args, 'db')}` : '';
    const passed = (['concurrency', 'backend', 'seed-batch', 'results', 'report', 'pieces', 'pieces-every'] as const).map((f) => (flagString(args, f) !== undefined ? ` --${f} ${flagString(args, f)}` : '')).join('');
    const anyStore = `lab reproduce ${names.join(' ')} --budget ${budget} --seeds ${seeds}${algos ? ` --algos ${algos.join(',')}` : ''}${steps ? ` --steps ${steps}` : ''}${learningSteps ? ` --learning-steps ${learningSteps}` : ''}${passed}${slurm ? slurmFlagsText(args) : ''}`;
    const again = `${anyStore}${dbHint}`;
    // Every task's experiment first, then all their unfinished runs in one queue (in task order), so
    // a slot freed by a cheap task is taken by the next task's runs instead of waiting for the slowest
    // run of the current one; each task's bundle is written the moment its last run completes.
    const experimentIds = slurm
      ? submitToSlurm(store, planned, slurm)
      : planned.map((p) => p.experimentId ?? store.tx(() => insertExperiment(store, p)));
    const bundles = planned.map((p) => bundleFile(resultsDir, p.task.task, choice));
    const runsOf = experimentIds.map((id) => store.runs.idsOfExperiment(id));
    // on Slurm, what this command submitted or found in flight there; locally, what is left to train
    const todo = runsOf.map((ids) => ids.filter((id) => (slurm ? store.runs.require(id).status !== 'completed' : RESUMABLE.includes(store.runs.require(id).status))));
    const allCompleted = (i: number) => runsOf[i]!.every((id) => store.runs.require(id).status === 'completed');
    const written = new Set<number>();
    const writeIfDone = (i: number) => {
      if (written.has(i) || !allCompleted(i)) return;
      written.add(i);
      if (todo[i]!.length > 0 || !existsSync(bundles[i]!)) process.stdout.write(`${planned[i]!.task.task}: all runs completed; wrote ${writeBundle(store, experimentIds[i]!, bundles[i]!, again)}\n`);
    };
    planned.forEach((p, i) => {
      if (todo[i]!.length > 0) process.stdout.write(`${p.task.task}: experiment ${experimentIds[i]}, ${todo[i]!.length} run${todo[i]!.length > 1 ? 's' : ''} to go${slurm ? ' on Slurm' : ''}\n`);
      else writeIfDone(i);
    });
    const queue = todo.flat();
    if (slurm) {
      const watch = inFlightOnSlurm(store, runsOf.flat());
      const code = watch.length > 0 ? await watchSlurmRuns(store, watch, again) : 0;
      planned.forEach((_, i) => writeIfDone(i));
      if (code === 130) return code; // stopped watching: the tasks go on; the same command follows them again
    } else if (queue.length > 0) {
      const taskOfRun = new Map(runsOf.flatMap((ids, i) => ids.map((id) => [id, i] as const)));
      const onStatus = (runId: number, status: string) => {
        const i = taskOfRun.get(runId);
        if (status === 'completed' && i !== undefined) writeIfDone(i);
      };
      const periodic = () => {
        try {
          savePieces(store, planned, experimentIds, piecesDir!, choice, again, anyStore);
        } catch (err) {
          process.stderr.write(`warning: could not write the pieces to ${piecesDir} (${(err as Error).message}); training goes on, and they are written again at the next interval and when the command stops\n`);
        }
      };
      const timer = piecesDir ? setInterval(periodic, piecesEvery * 60_000) : null;
      const code = await driveRuns(store, queue, { concurrency, ...(backend ? { backend } : {}), ...(seedBatch !== undefined ? { seedBatch } : {}), resumeHint: again, onStatus }).finally(() => {
        if (timer) clearInterval(timer);
      });
      if (piecesDir) savePieces(store, planned, experimentIds, piecesDir, choice, again, anyStore);
      if (code === 130) return code; // Ctrl-C: everything paused; the same command continues
    } else if (piecesDir) savePieces(store, planned, experimentIds, piecesDir, choice, again, anyStore);
    planned.forEach((p, i) => {
      writeIfDone(i);
      if (!written.has(i)) {
        const left = runsOf[i]!.filter((id) => store.runs.require(id).status !== 'completed').length;
        process.stdout.write(`${p.task.task}: ${left} run(s) did not complete (see \`lab runs --experiment ${experimentIds[i]}\`); no bundle written; run the same command to retry them\n`);
      }
    });
    // Printed: the store's whole campaign at this budget, finished or not (a later `--algos
    // sac-adaent` must not print SAC-AdaEnt alone). Written (docs/results.md): what results/ holds,
    // so every number in it is backed by a shipped bundle.
    const campaign = campaignExperiments(store, choice);
    const rep = buildEvidenceReport(store, { source: `the store ${store.path} (experiments ${campaign.join(', ')})`, experimentIds: campaign });
    process.stdout.write(`\n${formatText(rep)}`);
    if (!existsSync(resultsDir) || resultBundleFiles(resultsDir).length === 0) {
      process.stdout.write(`no bundle in ${resultsDir} yet: ${reportFile} left as it was\n`);
      return 0;
    }
    const shipped = resultsStore(resultsDir);
    try {
      // written from the bundles alone, so the command that writes it again is lab report's, not this one
      const command = `lab report --markdown --results ${flagString(args, 'results') ?? 'results'}${piecesText !== undefined ? ` --pieces ${piecesText}` : ''}`;
      const read = piecesDir ? readPieces(piecesDir, shipped.store) : [];
      const inProgress = piecesDir ? { dir: piecesText!, pieces: read.map((p) => p.summary) } : undefined;
      const w = writeMarkdown(shipped.store, buildEvidenceReport(shipped.store, { source: 'the bundles of results/', inProgress }), reportFile, command, pieceFigures(shipped.store, read));
      process.stdout.write(`wrote ${w.file} and ${w.figures} figures (from the bundles of ${resultsDir})\n`);
    } finally {
      shipped.dispose();
    }
    return 0;
  } finally {
    store.close();
  }
}

/** Store and submit the campaign's unfinished runs on Slurm (src-main/cluster/reproduce.ts); prints each submission. */
function submitToSlurm(store: Store, planned: Planned[], req: ReturnType<typeof slurmRequest>): number[] {
  try {
    const { experimentIds, submissions } = submitCampaign(
      store,
      planned.map((p) => ({ task: p.task.task, name: p.spec.spec.name, experimentId: p.experimentId, insert: () => insertExperiment(store, p) })),
      req,
    );
    for (const s of submissions) process.stdout.write(`${s.task}: ${describeSubmission(s.experimentId, s.name, s.runIds.map((id) => ({ label: '', config: store.runs.require(id).config })), s, store.path)}`);
    return experimentIds;
  } catch (err) {
    if (err instanceof SlurmError || err instanceof StoreError) throw new UsageError((err as Error).message);
    throw err;
  }
}
