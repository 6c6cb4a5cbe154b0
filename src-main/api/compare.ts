// Handlers of the Compare/Analysis/bundle methods (src-core/contract/methods/compare.ts), on the
// run store. The computations live in ./compare-report.ts (shared with `lab compare`) and
// src-main/bundle (shared with `lab bundle export` and `lab import`).
import { ApiFailure, type Handlers } from '../../src-core/contract/define.ts';
import type { compareMethods } from '../../src-core/contract/methods/compare.ts';
import { lastEvaluation } from '../../src-core/stats/final-scores.ts';
import { configDiff, envLabel, flattenConfig } from '../../src-core/stats/grouping.ts';
import { exportBundle } from '../bundle/export.ts';
import { BundleError } from '../bundle/format.ts';
import { importBundle } from '../bundle/import.ts';
import { getEnvSpec } from '../../src-core/envs/registry.ts';
import { StoreError, type Store } from '../store/index.ts';
import type { RunRecord } from '../store/repos/runs.ts';
import { buildFinalReport, buildPanels, groupLabels, loadRuns, nn } from './compare-report.ts';
import type { Services } from './services.ts';

/** Toy branch of an episode return: +1 good band, -1 safe branch, -20 outside the band. */
function branchOf(returns: readonly number[]): 'good' | 'safe' | 'fail' | 'mixed' | 'non-finite' {
  if (returns.some((r) => !Number.isFinite(r))) return 'non-finite'; // never a branch (issue 18)
  const kinds = new Set(returns.map((r) => (r > 0 ? 'good' : r > -5 ? 'safe' : 'fail')));
  return kinds.size === 1 ? ([...kinds][0] as 'good' | 'safe' | 'fail') : 'mixed';
}

/** The entropy target of a run that learns alpha: the config's value, else -dim(A) (algorithms.md). */
function targetEntropyOf(r: RunRecord): number | null {
  const cfg = (r.config.algoConfig ?? {}) as Record<string, unknown>;
  if (!(cfg.autoAlpha === true || r.algo === 'sac-auto')) return null;
  if (typeof cfg.targetEntropy === 'number') return cfg.targetEntropy;
  try {
    const v = getEnvSpec(r.envId).variants.find((x) => x.name === r.variant) ?? getEnvSpec(r.envId).variants[0];
    return v ? -v.actionLow.length : null;
  } catch {
    return null;
  }
}

/** The toy runs among `ids` with their alpha and the branch their last evaluation in `mode` ends on (also the Paper results' shipped toy runs). */
export function toyRunsOf(store: Store, ids: readonly number[], mode: 'deterministic' | 'stochastic') {
  const out = [];
  for (const id of ids) {
    const r = store.runs.require(id);
    if (r.envId !== 'toy') continue;
    const evals = store.evaluations.list(id, mode);
    // one mode for every run: a run not evaluated in it is left out, never shown in the other mode
    const last = lastEvaluation(evals, mode);
    if (!last) continue;
    const lastEval = evals.filter((e) => e.step === last.step)[0]!;
    const cfg = r.config.algoConfig as Record<string, unknown>;
    let alpha: number | null = null;
    let alphaSource = '';
    if (r.algo === 'ppo') {
      alpha = typeof cfg.entCoef === 'number' ? cfg.entCoef : 0;
      alphaSource = 'entropy coefficient (PPO)';
    } else if (r.algo === 'td3') {
      alpha = 0;
      alphaSource = 'no entropy term (TD3)';
    } else if (cfg.autoAlpha === true || r.algo === 'sac-auto') {
      const v = store.metrics.latest(id).find((m) => m.key === 'losses/alpha');
      alpha = v ? nn(v.value) : null;
      alphaSource = v ? `learned alpha at step ${v.step}` : 'learned alpha (not logged)';
    } else {
      alpha = typeof cfg.alpha === 'number' ? cfg.alpha : null;
      alphaSource = 'fixed alpha';
    }
    out.push({ runId: id, algo: r.algo, seed: r.seed, alpha, alphaSource, mode, finalReturn: nn(last.score), branch: branchOf(lastEval.returns), step: last.step });
  }
  return out;
}

export function compareHandlers(s: Services): Handlers<typeof compareMethods> {
  return {
    'compare.runs': ({ selection, groupBy }) => {
      const runs = loadRuns(s.store, selection);
      const groups = groupLabels(runs, groupBy, true);
      const flat = runs.map((r) => flattenConfig(r.config));
      const keys = [...new Set(flat.flatMap((f) => Object.keys(f)))].sort();
      const groupKeys = keys.filter((k) => flat.some((f) => JSON.stringify(f[k]) !== JSON.stringify(flat[0]![k])));
      const metricKeys = [...new Set(runs.flatMap((r) => s.store.metrics.keys(r.id).map((k) => k.key)))].sort();
      return {
        runs: runs.map((r) => ({
          id: r.id,
          experimentId: r.experimentId,
          envId: r.envId,
          variant: r.variant,
          env: envLabel(r.envId, r.variant),
          algo: r.algo,
          seed: r.seed,
          status: r.status,
          globalStep: r.globalStep,
          group: groups.get(r.id)!,
          targetEntropy: targetEntropyOf(r),
        })),
        groupKeys,
        metricKeys,
      };
    },
    'compare.curves': (a) => {
      const runs = loadRuns(s.store, a.selection);
      const panels = buildPanels(s.store, runs, a.panels, {
        groupBy: a.groupBy,
        x: a.x,
        smoothing: a.smoothing,
        statistic: a.statistic,
        band: a.band,
        gridPoints: a.gridPoints,
        members: a.members,
        maxPoints: a.maxPoints,
        bootstrap: a.bootstrap,
        readAhead: true,
      });
      return { panels, x: a.x, smoothing: a.smoothing };
    },
    'compare.final': (a) => {
      const runs = loadRuns(s.store, a.selection);
      return buildFinalReport(s.store, runs, {
        groupBy: a.groupBy,
        mode: a.mode,
        metric: a.metric,
        includeUnfinished: a.includeUnfinished,
        lastEvals: a.lastEvals,
        metricWindow: a.metricWindow && { from: a.metricWindow.from, to: a.metricWindow.to ?? Number.POSITIVE_INFINITY },
        bootstrap: a.bootstrap,
        profilePoints: a.profilePoints,
        ranges: a.ranges,
      });
    },
    'compare.configDiff': ({ runIds, differencesOnly }) => {
      const runs = loadRuns(s.store, { runIds });
      return { runIds: runs.map((r) => r.id), rows: configDiff(runs.map((r) => r.config as unknown as Record<string, unknown>), differencesOnly) };
    },
    'compare.toyRuns': ({ experimentId, mode }) => {
      const ids = experimentId !== undefined ? s.store.runs.idsOfExperiment(experimentId) : s.store.runs.list({ env: 'toy' }).rows.map((r) => r.id);
      return toyRunsOf(s.store, ids, mode);
    },
    'bundle.export': ({ experimentId }) => {
      try {
        const b = exportBundle(s.store, experimentId, { app: s.appVersion });
        return { fileName: b.fileName, size: b.bytes.length, sha256: b.sha256, base64: b.bytes.toString('base64') };
      } catch (err) {
        if (err instanceof StoreError) throw new ApiFailure('not_found', err.message, 'experimentId');
        throw err;
      }
    },
    'bundle.import': ({ base64, fileName }) => {
      try {
        const r = importBundle(s.store, Buffer.from(base64, 'base64'));
        s.events.emit('runs.changed', { runIds: r.runIds });
        return { experimentId: r.experimentId, name: r.name, runIds: r.runIds };
      } catch (err) {
        if (err instanceof BundleError) throw new ApiFailure('invalid_args', `${fileName ?? 'bundle'}: ${err.message}; nothing was imported`, 'base64');
        throw err;
      }
    },
  };
}
