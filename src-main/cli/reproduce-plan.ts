// The plan of `lab reproduce` (./verbs/reproduce.ts): which experiment each task's part of the
// campaign is (found again in the store by name, an overlap with another campaign experiment of the
// task refused), how much of it is done, and the time left, from the speed measured in the store or,
// with --measure, by a brief training here (src-main/evidence/speed-probe.ts).
import { join } from 'node:path';
import { totalSteps, type ExperimentSpec } from '../../src-core/contract/experiment.ts';
import { stepsText } from '../../src-core/stats/steps-text.ts';
import type { RunConfig } from '../../src-core/train/types.ts';
import { safeFileName } from '../bundle/export.ts';
import { initBackend } from '../engine/backend.ts';
import { campaignAlgos, learningStepsOfExperiment, taskExperiment, type Budget, type Task } from '../evidence/campaign.ts';
import { probeSpeed, runCoreSeconds, type SpeedProbe } from '../evidence/speed-probe.ts';
import { seedBatchLimit, takeSeedGroup, type SeedBatch } from '../runs/grouping.ts';
import { measuredSpeed } from '../runs/speed.ts';
import type { Store } from '../store/index.ts';
import type { BackendFlag } from './args.ts';
import { UsageError } from './errors.ts';

export interface Planned {
  task: Task;
  spec: ReturnType<typeof taskExperiment>;
  experimentId: number | null;
  done: number;
  total: number;
  /** Estimated seconds of each seed group the run manager will form of the runs left (one worker's time, at the measured speed), in queue order; null when a speed is unknown. */
  groupSeconds: number[] | null;
  unknown: string[];
  /** Algorithms timed by --measure here (not by stored runs). */
  probed: string[];
  /** The campaign piece this plan was read from (`--plan --pieces` where the store lacks the task). */
  piece?: string;
}

/** Speeds measured by --measure, by task and algorithm. */
export type Probes = Map<string, SpeedProbe>;
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

/** Store a planned task's experiment and its runs (call inside store.tx); returns its id. */
export function insertExperiment(store: Store, p: Planned): number {
  const { spec, runs, source } = p.spec;
  const id = store.experiments.insert({ name: spec.name, description: spec.description, spec, source, tags: spec.tags });
  for (const r of runs) store.runs.insert(r.config, { experimentId: id, label: r.label, tags: spec.tags });
  return id;
}

/** What one invocation reproduces of each task. */
export interface Choice {
  budget: Budget;
  seeds: number;
  steps: number | undefined;
  algos: string[] | undefined;
  /** Learning steps of every algorithm instead of the presets' budget (`--learning-steps`). */
  learningSteps: number | undefined;
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
    if (learningStepsOfExperiment(other.tags ?? []) !== learningStepsOfExperiment(spec.tags)) continue;
    const shared = algosOf(spec).filter((a) => algosOf(other).includes(a));
    if (shared.length > 0) throw new UsageError(`experiment ${e.id} '${e.name}' in ${store.path} already has ${shared.join(', ')} runs of this task and budget; the report would count them twice (choose other --algos, or delete it)`);
  }
}

/** The campaign experiments of the store at this budget (smoke tests of --steps, or --learning-steps, only with the same steps). */
export function campaignExperiments(store: Store, c: Choice): number[] {
  return store.experiments
    .list()
    .filter((e) => e.name.startsWith('reproduce ') && (e.spec as ExperimentSpec | null)?.preset === c.budget && ((e.spec as ExperimentSpec).budget ?? null) === (c.steps ?? null))
    .filter((e) => learningStepsOfExperiment(e.tags) === (c.learningSteps ?? null))
    .map((e) => e.id)
    .sort((a, b) => a - b);
}

/** How the run manager will share the workers out: their number and the seed-batch choice (`--concurrency`, `--seed-batch`). */
export interface Workers {
  workers: number;
  seedBatch: SeedBatch | undefined;
}

export function plan(store: Store, tasks: readonly Task[], c: Choice, w: Workers, probes: Probes = new Map()): Planned[] {
  return tasks.map((task) => {
    let spec: ReturnType<typeof taskExperiment>;
    try {
      spec = taskExperiment(task, c.budget, c.seeds, { steps: c.steps, algos: c.algos, learningSteps: c.learningSteps });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const experimentId = findExperiment(store, spec.spec.name, spec.spec);
    refuseOverlap(store, spec.spec);
    const ids = experimentId === null ? [] : store.runs.idsOfExperiment(experimentId);
    const runs = ids.map((id) => store.runs.require(id));
    const done = runs.filter((r) => r.status === 'completed').length;
    const unknown = new Set<string>();
    const probed = new Set<string>();
    const runSeconds = spec.runs.map((r, i) => {
      const stored = runs[i];
      if (stored?.status === 'completed') return 0;
      const left = r.config.totalSteps - (stored?.globalStep ?? 0);
      const sps = measuredSpeed(store, r.config.env.id, r.config.algo).sps;
      const probe = probes.get(probeKey(task.task, r.config.algo));
      if (sps) return left / sps;
      if (probe) {
        probed.add(r.config.algo);
        return runCoreSeconds(r.config, probe, left);
      }
      unknown.add(r.config.algo);
      return 0;
    });
    // the seed groups the run manager will take of the runs left, in queue order (src-main/runs/grouping.ts)
    const queue = spec.runs.map((_, i) => i).filter((i) => runs[i]?.status !== 'completed');
    const groups: number[] = [];
    while (queue.length > 0) {
      const ids = takeSeedGroup(queue, (i) => spec.runs[i]!.config, (i) => runs[i]?.globalStep ?? 0, (cfg) => seedBatchLimit(cfg, w.seedBatch, w.workers));
      groups.push(ids.reduce((a, i) => a + runSeconds[i]!, 0));
    }
    return { task, spec, experimentId, done, total: spec.runs.length, groupSeconds: unknown.size === 0 ? groups : null, unknown: [...unknown], probed: [...probed] };
  });
}

/**
 * Time here every task and algorithm of the plan that no stored run has timed: one brief training
 * of a seed group as the run manager would form it (src-main/evidence/speed-probe.ts).
 */
export async function measureUnknown(store: Store, tasks: readonly Task[], c: Choice, workers: number, backend: BackendFlag | undefined, seedBatch?: SeedBatch): Promise<Probes> {
  const probes: Probes = new Map();
  const todo: [Task, RunConfig][] = [];
  for (const p of plan(store, tasks, c, { workers, seedBatch })) {
    for (const algo of p.unknown) todo.push([p.task, p.spec.runs.find((r) => r.config.algo === algo)!.config]);
  }
  if (todo.length === 0) return probes;
  const info = await initBackend(backend ?? 'auto');
  process.stdout.write(`measuring ${todo.length} task and algorithm pair${todo.length > 1 ? 's' : ''} on ${info.backend} (a brief training each; CPU time of one core)\n`);
  for (const [task, cfg] of todo) {
    const K = Math.min(c.seeds, seedBatchLimit(cfg, seedBatch, workers));
    const t0 = performance.now();
    const m = await probeSpeed(cfg, K, { reps: 1, learnSteps: cfg.algo === 'ppo' ? 2048 : 100 });
    probes.set(probeKey(task.task, cfg.algo), m);
    process.stdout.write(`  ${task.task.padEnd(22)} ${cfg.algo.padEnd(10)} ${(1000 / m.learnMs).toFixed(1).padStart(8)} learning seed-steps/s on one core (group of ${K}: each seed ${(1000 / m.learnMs / K).toFixed(1)} steps/s); measured in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  }
  return probes;
}

/**
 * When each task and the whole plan would be done (seconds from the start), as the run manager
 * takes the seed groups in queue order, each onto the first of `slots` workers that is free. A task
 * whose time is unknown (null) is left out of the schedule.
 */
export function schedule(groups: readonly (readonly number[] | null)[], slots: number): { finish: (number | null)[]; total: number } {
  const free = new Array<number>(Math.max(1, slots)).fill(0);
  const finish = groups.map((gs) => {
    if (gs === null) return null;
    let end = 0;
    for (const g of gs) {
      const i = free.indexOf(Math.min(...free));
      free[i]! += g;
      end = Math.max(end, free[i]!);
    }
    return end;
  });
  return { finish, total: Math.max(...free) };
}

export function printPlan(p: readonly Planned[], concurrency: number): void {
  const { finish, total } = schedule(
    p.map((x) => x.groupSeconds),
    concurrency,
  );
  const workers = `${concurrency} worker${concurrency > 1 ? 's' : ''}`;
  p.forEach((x, i) => {
    const steps = totalSteps(x.spec.runs);
    const state = x.piece ? `from its piece, ${x.done}/${x.total} runs completed` : x.experimentId === null ? 'new' : `experiment ${x.experimentId}, ${x.done}/${x.total} runs completed`;
    const probed = x.probed.length > 0 ? ` (${x.probed.join(', ')} timed here by --measure)` : '';
    const where = x.piece ? 'its piece' : 'this store';
    const groups = x.groupSeconds && x.groupSeconds.length > 0 ? ` (${x.groupSeconds.length} seed group${x.groupSeconds.length > 1 ? 's' : ''})` : '';
    const eta = finish[i] === null ? `time unknown (no ${x.unknown.join(', ')} run of ${x.task.env} in ${where} yet; --measure times it here)` : `done in ~${hms(finish[i]!)}${groups}${probed}`;
    process.stdout.write(`  ${x.task.task.padEnd(22)} ${x.total} runs, ${steps} environment steps; ${state}; ${eta}\n`);
  });
  const known = finish.every((f) => f !== null);
  const rest = 'the others are timed once their first runs report (the progress lines show the ETA)';
  const from = `speed measured in this store${p.some((x) => x.piece) ? ' or in the pieces' : ''}${p.some((x) => x.probed.length > 0) ? ' or here by --measure' : ''}`;
  process.stdout.write(
    known
      ? `estimated time: ~${hms(total)} on ${workers}, the tasks in this order (${from})\n`
      : finish.some((f) => f !== null)
        ? `estimated time: ~${hms(total)} on ${workers} for the runs whose speed this store has measured; ${rest}\n`
        : `estimated time: unknown (no speed measured in this store yet); ${rest}\n`,
  );
}

/** The file of a task's bundle in results/ (and of its piece in the pieces folder) for this choice. */
export function bundleFile(dir: string, task: string, c: Choice): string {
  const algos = c.algos ? `-${campaignAlgos(c.algos).map((a) => a.algo).join('-')}` : '';
  const budget = c.learningSteps ? `-${stepsText(c.learningSteps)}-learning-steps` : c.steps ? `-${c.steps}steps` : '';
  return join(dir, `${safeFileName(`${task}-${c.budget}${algos}${budget}`)}.labbundle`);
}
