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

/** The shipped runs of one task of the Paper results. */
export function paperSource(task: string): AnalysisSource {
  return {
    noun: 'shipped run',
    runs: () => request('paper.runs', { task }),
    checkpoints: async (runId) => (await request('paper.checkpoints', { runId })).map((c) => c.step),
    landscape: (args) => request('paper.landscape', args),
    critical: (args) => request('paper.critical', args),
    fan: (args) => request('paper.fan', args),
    noWeights: (r) =>
      `shipped run ${r.id} (${r.algo}, seed ${r.seed}) kept no weights: a results/ bundle carries a run's final checkpoint only where it is small, so its landscapes and critical states cannot be computed here (lab reproduce re-trains it from its stored config and seed)`,
  };
}
