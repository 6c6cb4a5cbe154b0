// Where the Analysis views (landscapes, critical-state strips, rollout fans) read runs and networks from: the
// user's run store, or the Paper results' store of shipped runs (read-only, its own methods), so
// one set of views serves both without mixing them.
import type { CriticalArgs, CriticalResult, FanArgs, FanResult, LandscapeArgs, LandscapeResult } from '../../../src-core/contract/methods/analysis.ts';
import { request } from '../../lib/api.ts';

/** What the views need to know of a run. */
export interface AnalysisRun {
  id: number;
  envId: string;
  variant: string;
  algo: string;
  seed: number;
}

export interface AnalysisSource {
  /** 'run' for the user's store, 'shipped run' for the Paper results. */
  noun: string;
  runs(): Promise<AnalysisRun[]>;
  /** Steps of the checkpoints a run kept. */
  checkpoints(runId: number): Promise<number[]>;
  landscape(args: LandscapeArgs): Promise<LandscapeResult>;
  critical(args: CriticalArgs): Promise<CriticalResult>;
  fan(args: FanArgs): Promise<FanResult>;
  /** Why a run without checkpoints has none (said in the view instead of an empty list). */
  noWeights(run: AnalysisRun): string;
  /** The `lab fan` command that prints the same fan, where the source can name its runs to the CLI. */
  fanCommand?(run: AnalysisRun, args: FanAsked): string;
}

/** A shell word: as it is where it is safe, else single-quoted. */
function shellWord(w: string): string {
  return /^[A-Za-z0-9_./:=,+-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

/** A fan request with every count and seed given (the view always gives them), so its command needs no defaults of its own. */
export type FanAsked = FanArgs & { count: number; samplingSeed: number };

/** `lab fan`'s flags for a fan request (the run named by the caller). */
function fanFlags(args: FanAsked): string[] {
  const start = args.start.kind === 'seed' ? ['--start-seed', String(args.start.seed)] : ['--start-state', JSON.stringify(args.start.state)];
  return ['--step', String(args.run.step), ...start, '--count', String(args.count), '--sampling-seed', String(args.samplingSeed), ...(args.steps !== undefined ? ['--steps', String(args.steps)] : [])];
}

export const storeSource: AnalysisSource = {
  noun: 'run',
  runs: async () => (await request('runs.list', { limit: 2000 })).rows,
  checkpoints: async (runId) => (await request('scenes.checkpoints', { runId })).map((c) => c.step),
  landscape: (args) => request('analysis.landscape', args),
  critical: (args) => request('analysis.critical', args),
  fan: (args) => request('analysis.fan', args),
  noWeights: (r) => `run ${r.id} (${r.algo}, seed ${r.seed}) stored no checkpoint: the landscape and critical-state views need its networks`,
};

/** The shipped runs of one task of the Paper results (`dir`: the results folder they come from, for the CLI command). */
export function paperSource(task: string, dir?: string): AnalysisSource {
  return {
    noun: 'shipped run',
    runs: () => request('paper.runs', { task }),
    checkpoints: async (runId) => (await request('paper.checkpoints', { runId })).map((c) => c.step),
    landscape: (args) => request('paper.landscape', args),
    critical: (args) => request('paper.critical', args),
    fan: (args) => request('paper.fan', args),
    noWeights: (r) =>
      `shipped run ${r.id} (${r.algo}, seed ${r.seed}) kept no weights: a results/ bundle carries a run's final checkpoint only where it is small, so its landscapes and critical states cannot be computed here (lab reproduce re-trains it from its stored config and seed)`,
    ...(dir
      ? { fanCommand: (r: AnalysisRun, args: FanAsked) => ['lab', 'fan', '--results', dir, '--task', task, '--algo', r.algo, '--seed', String(r.seed), ...fanFlags(args)].map(shellWord).join(' ') }
      : {}),
  };
}
