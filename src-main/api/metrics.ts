// Handlers of the metric, evaluation, trajectory and export methods: reads from the run store.
import type { Handlers } from '../../src-core/contract/define.ts';
import { ApiFailure } from '../../src-core/contract/define.ts';
import type { metricMethods } from '../../src-core/contract/methods/metrics.ts';
import { trajectoryHeader } from '../../src-core/train/trajectory_header.ts';
import { exportArchive, exportFiles } from './exports.ts';
import { arrayOf, finiteOrNull, requireRun } from './records.ts';
import type { Services } from './services.ts';
import type { Store } from '../store/index.ts';

/** One recorded evaluation episode as the contract's TrajectoryData (also read from the Paper results store). */
export function trajectoryData(store: Store, id: number) {
  const t = store.trajectories.get(id);
  if (!t) throw new ApiFailure('not_found', `no trajectory with id ${id}`, 'id');
  const components: Record<string, (number | null)[]> = {};
  for (const [k, v] of Object.entries(t.rewardComponents)) components[k] = arrayOf(v);
  return {
    id,
    runId: t.runId,
    ...trajectoryHeader(t),
    observations: arrayOf(t.observations),
    actions: arrayOf(t.actions),
    rewards: arrayOf(t.rewards),
    rewardComponents: components,
    logProbs: arrayOf(t.logProbs),
    entropies: arrayOf(t.entropies),
    states: arrayOf(t.states),
  };
}

export function metricHandlers(s: Services): Handlers<typeof metricMethods> {
  const { store } = s;
  return {
    'metrics.keys': ({ runId }) => {
      requireRun(store, runId, 'runId');
      return store.metrics.keys(runId).map((k) => k.key);
    },
    'metrics.series': ({ runIds, keys, maxPoints }) => {
      runIds.forEach((id, i) => requireRun(store, id, `runIds.${i}`));
      const all = store.seriesFor(runIds, keys, maxPoints);
      const out = [];
      for (const id of runIds) {
        for (const key of keys) {
          const ser = all.get(id)!.get(key)!;
          out.push({ runId: id, key, steps: Array.from(ser.step), wallTimes: Array.from(ser.wallTime), values: arrayOf(ser.value), total: ser.count });
        }
      }
      return out;
    },
    'evaluations.list': ({ runId }) => {
      requireRun(store, runId, 'runId');
      return store.evaluations.list(runId).map((e) => ({
        step: e.step,
        mode: e.mode,
        returns: e.returns.map((v) => finiteOrNull(v) ?? 0),
        lengths: e.lengths,
        startSeeds: e.startSeeds,
        mean: finiteOrNull(e.meanReturn),
        std: finiteOrNull(e.stdReturn),
        wallTime: e.wallTime,
      }));
    },
    'trajectories.list': ({ runId }) => {
      requireRun(store, runId, 'runId');
      return store.trajectories.list(runId).map((t) => ({ ...t, runId }));
    },
    'trajectories.get': ({ id }) => trajectoryData(store, id),
    'exports.run': async (args) => ({ files: await exportFiles(s, args) }),
    'exports.archive': (args) => exportArchive(s, args),
  };
}
