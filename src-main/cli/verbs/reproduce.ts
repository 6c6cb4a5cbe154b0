// `lab reproduce [TASK ...|all] [--budget quick|paper] [--seeds N] [--concurrency N] [--backend B]
//   [--algos A,B] [--results DIR] [--report FILE] [--plan] [--measure] [--steps N] [--db PATH]`: the paper campaign
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
// --algos runs a part of the algorithms as an experiment (and bundle) of its own, named so: the
// cheap algorithms of every task first and SAC-AdaEnt later, or SAC-AdaEnt with 3 seeds where its
// cost forbids 5; the report pools a task's experiments, and an overlap is refused.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { totalSteps, type ExperimentSpec } from '../../../src-core/contract/experiment.ts';
import { exportBundle, safeFileName } from '../../bundle/export.ts';
import { availableTasks, campaignAlgos, DEFAULT_SEEDS, TASKS, taskExperiment, type Budget, type Task } from '../../evidence/campaign.ts';
import { formatText, writeMarkdown } from '../../evidence/format.ts';
import { buildEvidenceReport } from '../../evidence/report.ts';
import { RESULTS_DIR, resultBundleFiles } from '../../evidence/results.ts';
import { resultsStore } from './report.ts';
import { driveRuns, openStoreForCli } from '../../runs/cli-support.ts';
import { defaultConcurrency } from '../../runs/manager.ts';
import { measuredSpeed } from '../../runs/speed.ts';
import { seedBatchLimit } from '../../runs/grouping.ts';
import { probeSpeed, runCoreSeconds, type SpeedProbe } from '../../evidence/speed-probe.ts';
import { initBackend } from '../../engine/backend.ts';
import type { RunConfig } from '../../../src-core/train/types.ts';
import type { Store } from '../../store/index.ts';
import { RESUMABLE } from '../../store/repos/runs.ts';
import { flagBool, flagString, parseArgs, parseInteger } from '../args.ts';
import { UsageError } from '../errors.ts';

export const summary = "run the paper's campaign (tasks x PPO, SAC, SAC auto, SAC-AdaEnt, TD3 x seeds), resumable; bundles to results/, then the report";

interface Planned {
  task: Task;
  spec: ReturnType<typeof taskExperiment>;
  experimentId: number | null;
  done: number;
  total: number;
  /** Estimated seconds for what is left, at the measured speed; null when a speed is unknown. */
  seconds: number | null;
  unknown: string[];
  /** Algorithms timed by --measure here (not by stored runs). */
  probed: string[];
}

/** Speeds measured by --measure, by task and algorithm. */
type Probes = Map<string, SpeedProbe>;
const probeKey = (task: string, algo: string) => `${task}/${algo}`;

function hms(s: number): string {
  const h = Math.floor(s / 3600);
  const m = Math.round((s % 3600) / 60);
  return h > 0 ? `${h} h ${m} min` : `${m} min`;
}

/** The experiment of this spec already in the store (same name and the same spec), if any. */
function findExperiment(store: Store, name: string, spec: unknown): number | null {
  const same = store.experiments.list().filter((e) => e.name === name);
  for (const e of same) if (JSON.stringify(e.spec) === JSON.stringify(spec)) return e.id;
  if (same.length > 0) throw new UsageError(`experiment '${name}' in ${store.path} has a different spec (an older lab version?); delete it or use another --db`);
  return null;
}

/** What one invocation reproduces of each task. */
interface Choice {
  budget: Budget;
  seeds: number;
  steps: number | undefined;
  algos: string[] | undefined;
}

/**
 * Refuse a campaign experiment whose task, budget and algorithms overlap another one's in the store
 * (e.g. SAC with 3 seeds beside SAC with 5): the report pools a task's runs across experiments, so
 * the overlap would count those algorithms twice.
 */
function refuseOverlap(store: Store, spec: ExperimentSpec): void {
  const envOf = (x: ExperimentSpec) => JSON.stringify(x.environments.map((e) => [e.id, e.variant ?? null]));
  const algosOf = (x: ExperimentSpec) => x.algorithms.map((a) => a.algo);
  for (const e of store.experiments.list()) {
    const other = e.spec as ExperimentSpec;
    if (e.name === spec.name || !e.name.startsWith('reproduce ') || !other?.environments || !other.algorithms) continue;
    if (envOf(other) !== envOf(spec) || other.preset !== spec.preset || (other.budget ?? null) !== (spec.budget ?? null)) continue;
    const shared = algosOf(spec).filter((a) => algosOf(other).includes(a));
    if (shared.length > 0) throw new UsageError(`experiment ${e.id} '${e.name}' in ${store.path} already has ${shared.join(', ')} runs of this task and budget; the report would count them twice (choose other --algos, or delete it)`);
  }
}

/** The campaign experiments of the store at this budget (smoke tests of --steps only with the same steps). */
function campaignExperiments(store: Store, c: Choice): number[] {
  return store.experiments
    .list()
    .filter((e) => e.name.startsWith('reproduce ') && (e.spec as ExperimentSpec | null)?.preset === c.budget && ((e.spec as ExperimentSpec).budget ?? null) === (c.steps ?? null))
    .map((e) => e.id)
    .sort((a, b) => a - b);
}

function plan(store: Store, tasks: readonly Task[], c: Choice, probes: Probes = new Map()): Planned[] {
  return tasks.map((task) => {
    let spec: ReturnType<typeof taskExperiment>;
    try {
      spec = taskExperiment(task, c.budget, c.seeds, c.steps, c.algos);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const experimentId = findExperiment(store, spec.spec.name, spec.spec);
    refuseOverlap(store, spec.spec);
    const ids = experimentId === null ? [] : store.runs.idsOfExperiment(experimentId);
    const runs = ids.map((id) => store.runs.require(id));
    const done = runs.filter((r) => r.status === 'completed').length;
    let seconds = 0;
    const unknown = new Set<string>();
    const probed = new Set<string>();
    spec.runs.forEach((r, i) => {
      const stored = runs[i];
      if (stored?.status === 'completed') return;
      const left = r.config.totalSteps - (stored?.globalStep ?? 0);
      const sps = measuredSpeed(store, r.config.env.id, r.config.algo).sps;
      const probe = probes.get(probeKey(task.task, r.config.algo));
      if (sps) seconds += left / sps;
      else if (probe) {
        seconds += runCoreSeconds(r.config, probe, left);
        probed.add(r.config.algo);
      } else unknown.add(r.config.algo);
    });
    return { task, spec, experimentId, done, total: spec.runs.length, seconds: unknown.size > 0 ? null : seconds, unknown: [...unknown], probed: [...probed] };
  });
}

/**
 * Time here every task and algorithm of the plan that no stored run has timed: one brief training
 * of a seed group as the run manager would form it (src-main/evidence/speed-probe.ts).
 */
async function measureUnknown(store: Store, tasks: readonly Task[], c: Choice, workers: number, backend: string | undefined): Promise<Probes> {
  const probes: Probes = new Map();
  const todo: [Task, RunConfig][] = [];
  for (const p of plan(store, tasks, c)) {
    for (const algo of p.unknown) todo.push([p.task, p.spec.runs.find((r) => r.config.algo === algo)!.config]);
  }
  if (todo.length === 0) return probes;
  const info = await initBackend((backend ?? 'auto') as Parameters<typeof initBackend>[0]);
  process.stdout.write(`measuring ${todo.length} task and algorithm pair${todo.length > 1 ? 's' : ''} on ${info.backend} (a brief training each; CPU time of one core)\n`);
  for (const [task, cfg] of todo) {
    const K = Math.min(c.seeds, seedBatchLimit(cfg, undefined, workers));
    const t0 = performance.now();
    const m = await probeSpeed(cfg, K, { reps: 1, learnSteps: cfg.algo === 'ppo' ? 2048 : 100 });
    probes.set(probeKey(task.task, cfg.algo), m);
    process.stdout.write(`  ${task.task.padEnd(22)} ${cfg.algo.padEnd(10)} ${(1000 / m.learnMs).toFixed(1).padStart(8)} learning steps/s per seed (group of ${K}); measured in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  }
  return probes;
}

function printPlan(p: readonly Planned[], concurrency: number): void {
  let total = 0;
  let known = true;
  for (const x of p) {
    const steps = totalSteps(x.spec.runs);
    const state = x.experimentId === null ? 'new' : `experiment ${x.experimentId}, ${x.done}/${x.total} runs completed`;
    const probed = x.probed.length > 0 ? ` (${x.probed.join(', ')} timed here by --measure)` : '';
    const eta = x.seconds === null ? `time unknown (no ${x.unknown.join(', ')} run of ${x.task.env} in this store yet; --measure times it here)` : `~${hms(x.seconds / concurrency)}${probed}`;
    process.stdout.write(`  ${x.task.task.padEnd(22)} ${x.total} runs, ${steps} environment steps; ${state}; ${eta}\n`);
    if (x.seconds === null) known = false;
    else total += x.seconds;
  }
  const rest = 'the others are timed once their first runs report (the progress lines show the ETA)';
  process.stdout.write(
    known
      ? `estimated time: ~${hms(total / concurrency)} at ${concurrency} runs at a time (speed measured in this store${p.some((x) => x.probed.length > 0) ? ' or here by --measure' : ''})\n`
      : total > 0
        ? `estimated time: ~${hms(total / concurrency)} for the runs whose speed this store has measured; ${rest}\n`
        : `estimated time: unknown (no speed measured in this store yet); ${rest}\n`,
  );
}

function bundleFile(dir: string, task: string, c: Choice): string {
  const algos = c.algos ? `-${campaignAlgos(c.algos).map((a) => a.algo).join('-')}` : '';
  return join(dir, `${safeFileName(`${task}-${c.budget}${algos}${c.steps ? `-${c.steps}steps` : ''}`)}.labbundle`);
}

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
    results: { type: 'string' },
    report: { type: 'string' },
    plan: { type: 'boolean' },
    algos: { type: 'string' },
    measure: { type: 'boolean' },
    steps: { type: 'string' },
    db: { type: 'string' },
  });
  const budget = (flagString(args, 'budget') ?? 'quick') as Budget;
  if (budget !== 'quick' && budget !== 'paper') throw new UsageError(`--budget: '${budget}' is not quick or paper`);
  const seeds = parseInteger(flagString(args, 'seeds') ?? String(DEFAULT_SEEDS), '--seeds', 1);
  const stepsText = flagString(args, 'steps');
  const steps = stepsText === undefined ? undefined : parseInteger(stepsText, '--steps', 1);
  const algosText = flagString(args, 'algos');
  const algos = algosText === undefined ? undefined : algosText.split(',').map((a) => a.trim());
  try {
    if (algos) campaignAlgos(algos);
  } catch (err) {
    throw new UsageError(`--algos: ${(err as Error).message}`);
  }
  if (algos && new Set(algos).size !== algos.length) throw new UsageError(`--algos: '${algosText}' names an algorithm twice`);
  const choice: Choice = { budget, seeds, steps, algos };
  const c = flagString(args, 'concurrency');
  const concurrency = c === undefined ? defaultConcurrency() : parseInteger(c, '--concurrency', 1);
  const backend = flagString(args, 'backend');
  if (backend !== undefined && !['auto', 'tensorflow', 'wasm', 'cpu'].includes(backend)) throw new UsageError(`--backend: '${backend}' is not one of auto, tensorflow, wasm, cpu`);
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
    const probes = flagBool(args, 'measure') ? await measureUnknown(store, tasks, choice, concurrency, backend) : new Map<string, SpeedProbe>();
    const planned = plan(store, tasks, choice, probes);
    process.stdout.write(`lab reproduce: ${tasks.length} task${tasks.length > 1 ? 's' : ''}, ${budget} budget, ${seeds} seeds${algos ? `, ${campaignAlgos(algos).map((a) => a.algo).join(', ')}` : ''}; database ${store.path}\n`);
    printPlan(planned, concurrency);
    if (flagBool(args, 'plan')) return 0;
    const dbHint = flagString(args, 'db') ? ` --db ${flagString(args, 'db')}` : '';
    const passed = (['results', 'report'] as const).map((f) => (flagString(args, f) !== undefined ? ` --${f} ${flagString(args, f)}` : '')).join('');
    const again = `lab reproduce ${names.join(' ')} --budget ${budget} --seeds ${seeds}${algos ? ` --algos ${algos.join(',')}` : ''}${steps ? ` --steps ${steps}` : ''}${passed}${dbHint}`;
    // Every task's experiment first, then all their unfinished runs in one queue (in task order), so
    // a slot freed by a cheap task is taken by the next task's runs instead of waiting for the slowest
    // run of the current one; each task's bundle is written the moment its last run completes.
    const experimentIds = planned.map((p) => {
      if (p.experimentId !== null) return p.experimentId;
      const { spec, runs, source } = p.spec;
      return store.tx(() => {
        const id = store.experiments.insert({ name: spec.name, description: spec.description, spec, source, tags: spec.tags });
        for (const r of runs) store.runs.insert(r.config, { experimentId: id, label: r.label, tags: spec.tags });
        return id;
      });
    });
    const bundles = planned.map((p) => bundleFile(resultsDir, p.task.task, choice));
    const runsOf = experimentIds.map((id) => store.runs.idsOfExperiment(id));
    const todo = runsOf.map((ids) => ids.filter((id) => RESUMABLE.includes(store.runs.require(id).status)));
    const allCompleted = (i: number) => runsOf[i]!.every((id) => store.runs.require(id).status === 'completed');
    const written = new Set<number>();
    const writeIfDone = (i: number) => {
      if (written.has(i) || !allCompleted(i)) return;
      written.add(i);
      if (todo[i]!.length > 0 || !existsSync(bundles[i]!)) process.stdout.write(`${planned[i]!.task.task}: all runs completed; wrote ${writeBundle(store, experimentIds[i]!, bundles[i]!, again)}\n`);
    };
    planned.forEach((p, i) => {
      if (todo[i]!.length > 0) process.stdout.write(`${p.task.task}: experiment ${experimentIds[i]}, ${todo[i]!.length} run${todo[i]!.length > 1 ? 's' : ''} to go\n`);
      else writeIfDone(i);
    });
    const queue = todo.flat();
    if (queue.length > 0) {
      const taskOfRun = new Map(runsOf.flatMap((ids, i) => ids.map((id) => [id, i] as const)));
      const onStatus = (runId: number, status: string) => {
        const i = taskOfRun.get(runId);
        if (status === 'completed' && i !== undefined) writeIfDone(i);
      };
      const code = await driveRuns(store, queue, { concurrency, ...(backend ? { backend } : {}), resumeHint: again, onStatus });
      if (code === 130) return code; // Ctrl-C: everything paused; the same command continues
    }
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
      const w = writeMarkdown(shipped.store, buildEvidenceReport(shipped.store, { source: 'the bundles of results/' }), reportFile, again);
      process.stdout.write(`wrote ${w.file} and ${w.figures} figures (from the bundles of ${resultsDir})\n`);
    } finally {
      shipped.dispose();
    }
    return 0;
  } finally {
    store.close();
  }
}
