// Where `lab fan` and `lab critical` find the run they analyse: one of a run store's (RUN_ID, --db)
// or a shipped one of a results/ folder (--results DIR --task T --algo A --seed N), read from a
// temporary paper store built as the app's Paper results build theirs
// (src-main/evidence/paper-store.ts), so a shipped run is found by what the report and findings call
// it, not by an id that exists only in that store. A second run (the plain critics of another run)
// is named the same way: a run id of the store, or ALGO:SEED of the same shipped task. Also how the
// analysis services' errors read on the command line (the flag that set the bad value).
import { join } from 'node:path';
import { noWeightsReason } from '../api/paper.ts';
import { labelRuns } from '../evidence/report.ts';
import { PaperResults } from '../evidence/paper-store.ts';
import type { RunRecord } from '../store/repos/runs.ts';
import type { Store } from '../store/index.ts';
import { openStoreForCli, parseId } from '../runs/cli-support.ts';
import { PreviewWorkerError } from '../preview/preview-worker.ts';
import { PreviewInputError } from '../preview/rollout.ts';
import { StoredPolicyError } from '../preview/stored-policy.ts';
import { flagString, parseInteger, type ParsedArgs } from './args.ts';
import { UsageError } from './errors.ts';

/** A CLI run waits longer than the app's 120 s: a 1,000-step MuJoCo fan of K = 64, or scores along it, take minutes. */
export const CLI_WORKER_TIMEOUT_MS = 20 * 60_000;

export interface RunSource {
  store: Store;
  runId: number;
  /** Where the run is, for the output: 'the store /path/lab.db' or 'the acrobot runs shipped in results (...)'. */
  where: string;
  /** Why the run has no weights to analyse, or null. */
  noWeights(runId: number): string | null;
  /** Another run of the same source, named for `flag`: a run id (store) or ALGO:SEED (shipped task). */
  other(ref: string, flag: string): number;
  close(): Promise<void>;
}

/** The flags that pick a run; both verbs declare them. */
export const RUN_FLAGS = { results: { type: 'string' }, task: { type: 'string' }, algo: { type: 'string' }, seed: { type: 'string' }, db: { type: 'string' } } as const;

/** The run a verb's arguments name (see the header); `verb` is for the messages. */
export function pickRun(args: ParsedArgs, verb: string): Promise<RunSource> {
  const results = flagString(args, 'results');
  const [id, extra] = args.positionals;
  if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}' (lab ${verb} --help)`);
  if (results === undefined) {
    for (const f of ['task', 'algo', 'seed']) if (flagString(args, f) !== undefined) throw new UsageError(`--${f} picks a shipped run: give it with --results DIR`);
    if (id === undefined) throw new UsageError(`give a RUN_ID, or --results DIR --task T --algo A --seed N (lab ${verb} --help)`);
    return Promise.resolve(storeRun(flagString(args, 'db'), id));
  }
  if (id !== undefined) throw new UsageError('a RUN_ID names a run of a store (--db); with --results pick the shipped run by --task, --algo and --seed');
  if (flagString(args, 'db') !== undefined) throw new UsageError('give --results DIR or --db PATH, not both');
  const [task, algo, seedText] = ['task', 'algo', 'seed'].map((f) => flagString(args, f));
  if (task === undefined || algo === undefined || seedText === undefined) throw new UsageError('--results needs --task, --algo and --seed to pick the shipped run');
  return shippedRun(results, task, algo, parseInteger(seedText, '--seed'));
}

/** A run of the user's (or --db's) store, by id. */
function storeRun(dbFlag: string | undefined, idText: string): RunSource {
  const runId = parseId(idText);
  const store = openStoreForCli(dbFlag, { mustExist: true });
  const exists = (id: number, what: string) => {
    if (!store.runs.get(id)) throw new UsageError(`${what}: run ${id} does not exist in ${store.path}`);
    return id;
  };
  try {
    exists(runId, 'RUN_ID');
  } catch (err) {
    store.close();
    throw err;
  }
  return {
    store,
    runId,
    where: `the store ${store.path}`,
    noWeights: (id) => (store.checkpoints.list(id).length > 0 ? null : `run ${id} has no stored checkpoint to analyse`),
    other: (ref, flag) => exists(parseId(ref, flag), flag),
    close: async () => store.close(),
  };
}

function describeRuns(runs: readonly RunRecord[]): string {
  return runs.map((r) => `${r.algo}:${r.seed}`).sort().join(', ');
}

/** A shipped run of a results folder, by task label, algorithm and seed. */
async function shippedRun(dir: string, task: string, algo: string, seed: number): Promise<RunSource> {
  const paper = new PaperResults(dir, join(dir, '.no-campaign-pieces'));
  const state = await paper.get();
  if (!state.ok) {
    await paper.close();
    throw new UsageError(state.reason);
  }
  try {
    const store = state.store;
    const all = store.runs.list({ sort: 'id' }).rows.map((r) => store.runs.require(r.id));
    const labels = labelRuns(all);
    const ofTask = all.filter((r) => labels.get(r.id) === task);
    if (ofTask.length === 0) {
      const tasks = [...new Set(labels.values())].sort();
      throw new UsageError(`--task: no shipped run of task '${task}' in ${dir} (tasks there: ${tasks.join(', ')})`);
    }
    const find = (a: string, s: number, what: string): number => {
      const matches = ofTask.filter((r) => r.algo === a && r.seed === s);
      if (matches.length === 1) return matches[0]!.id;
      throw new UsageError(
        matches.length === 0
          ? `${what}: no shipped ${a} run of seed ${s} on ${task} in ${dir} (shipped there, algorithm:seed: ${describeRuns(ofTask)})`
          : `${what}: ${matches.length} shipped ${a} runs of seed ${s} on ${task} in ${dir}: a results folder should hold one`,
      );
    };
    const runId = find(algo, seed, '--algo/--seed');
    return {
      store,
      runId,
      where: `the ${task} runs shipped in ${dir} (the run id is the Paper results store's)`,
      noWeights: (id) => noWeightsReason(store, id),
      other: (ref, flag) => {
        const m = /^([a-z0-9-]+):(\d+)$/.exec(ref);
        if (!m) throw new UsageError(`${flag}: '${ref}' is not ALGO:SEED (a shipped run of ${task}, e.g. sac-adaent:0)`);
        return find(m[1]!, Number(m[2]), flag);
      },
      close: () => paper.close(),
    };
  } catch (err) {
    await paper.close();
    throw err;
  }
}

/** A contract argument's validation issue as the flag that set it (`flagOf`: argument path to flag). */
export function issueAsUsage(issue: { path: PropertyKey[]; message: string }, flagOf: Record<string, string>, hint = ''): UsageError {
  const path = issue.path.map(String).join('.');
  return new UsageError(`${flagOf[path] ?? path}: ${issue.message}${hint}`);
}

/** What an analysis service threw, for the command line: bad input names its flag (exit 2); a worker failure says so (exit 1). */
export function analysisErrorForCli(err: unknown, flagOf: Record<string, string>, worker: string): unknown {
  if (err instanceof StoredPolicyError || err instanceof PreviewInputError) return new UsageError(`${flagOf[err.path] ?? err.path}: ${err.message}`);
  if (err instanceof PreviewWorkerError) return new Error(`the ${worker} worker failed: ${err.message}`);
  return err;
}
