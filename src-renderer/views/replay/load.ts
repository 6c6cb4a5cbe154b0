// Loading stored evaluation episodes for replays: a run's recorded trajectories (grouped by
// evaluation), and one trajectory as an Episode with its drawn frames.
import type { TrajectoryData } from '../../../src-core/contract/methods/metrics.ts';
import type { RunDetail } from '../../../src-core/contract/schemas.ts';
import { getEnvSpec } from '../../../src-core/envs/registry.ts';
import { request } from '../../lib/api.ts';
import { withFrames, type Episode } from '../environments/episode.ts';

export interface TrajectoryMeta {
  id: number;
  runId: number;
  step: number;
  mode: 'deterministic' | 'stochastic';
  episode: number;
  startSeed: number;
  length: number;
}

/** Names of state and action components from the registry (pure core), or generic names. */
function names(envId: string, variant: string, stateDim: number, actDim: number): { stateNames: string[]; actionNames: string[] } {
  try {
    const spec = getEnvSpec(envId);
    const v = spec.variants.find((x) => x.name === variant);
    return { stateNames: [...spec.stateNames(variant)], actionNames: [...(v?.actionNames ?? [])] };
  } catch {
    return { stateNames: Array.from({ length: stateDim }, (_, i) => `s${i}`), actionNames: Array.from({ length: actDim }, (_, i) => `a${i}`) };
  }
}

const runCache = new Map<number, Promise<RunDetail>>();

export function runDetail(runId: number): Promise<RunDetail> {
  let p = runCache.get(runId);
  if (!p) {
    p = request('runs.get', { id: runId });
    p.catch(() => runCache.delete(runId));
    runCache.set(runId, p);
  }
  return p;
}

export async function listTrajectories(runId: number): Promise<TrajectoryMeta[]> {
  return request('trajectories.list', { runId });
}

export async function loadEpisode(meta: TrajectoryMeta): Promise<Episode> {
  const [run, t] = await Promise.all([runDetail(meta.runId), request('trajectories.get', { id: meta.id })]);
  return episodeOf(run, t);
}

/** A recorded trajectory of a run (of the user's store or of the Paper results) as an Episode with its frames. */
export function episodeOf(run: Pick<RunDetail, 'id' | 'envId' | 'variant' | 'params' | 'algo' | 'seed'>, t: TrajectoryData, prefix = 'run'): Episode {
  const n = names(run.envId, run.variant, t.stateDim, t.actDim);
  return withFrames({
    envId: run.envId,
    variant: run.variant,
    params: run.params,
    label: `${prefix} ${run.id} (${run.algo}, seed ${run.seed}), eval step ${t.step}, ${t.mode}, episode ${t.episode}`,
    length: t.length,
    stateDim: t.stateDim,
    actDim: t.actDim,
    states: t.states.map((v) => v ?? Number.NaN),
    actions: t.actions.map((v) => v ?? Number.NaN),
    rewards: t.rewards,
    rewardComponents: t.rewardComponents,
    logProbs: t.logProbs,
    entropies: t.entropies,
    stateNames: n.stateNames,
    actionNames: n.actionNames,
    startSeed: t.startSeed,
  });
}

/** Evaluations (step and mode) a run recorded episodes for, newest first. */
export function evaluationsOf(list: TrajectoryMeta[]): { step: number; mode: TrajectoryMeta['mode'] }[] {
  const seen = new Map<string, { step: number; mode: TrajectoryMeta['mode'] }>();
  for (const t of list) seen.set(`${t.step}/${t.mode}`, { step: t.step, mode: t.mode });
  return [...seen.values()].sort((a, b) => b.step - a.step || a.mode.localeCompare(b.mode));
}
