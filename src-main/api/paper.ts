// Handlers of the Paper results methods: everything is read from the paper store (results/), never
// from the user's store (src-main/evidence/paper-store.ts).
import { ApiFailure, type Handlers } from '../../src-core/contract/define.ts';
import type { paperMethods } from '../../src-core/contract/methods/paper.ts';
import { envLabel } from '../../src-core/stats/grouping.ts';
import { taskFigures } from '../evidence/format.ts';
import { buildEvidenceReport, taskOf } from '../evidence/report.ts';
import type { Store } from '../store/index.ts';
import { trajectoryData } from './metrics.ts';
import type { Services } from './services.ts';

function paperStore(s: Services): Store {
  const st = s.paper.get();
  if (!st.ok) throw new ApiFailure('not_found', st.reason);
  return st.store;
}

export function paperHandlers(s: Services): Handlers<typeof paperMethods> {
  let overview: ReturnType<typeof buildOverview> | null = null; // the paper store never changes
  const buildOverview = () => {
    const st = s.paper.get();
    if (!st.ok) return { dir: s.paper.dir, available: false, reason: st.reason, bundles: [], report: null, figures: [] };
    const report = buildEvidenceReport(st.store, { source: `the bundles of ${s.paper.dir}` });
    return { dir: s.paper.dir, available: true, reason: null, bundles: st.bundles, report, figures: taskFigures(st.store, report) };
  };
  return {
    'paper.overview': () => (overview ??= buildOverview()),
    'paper.runs': ({ task }) => {
      const store = paperStore(s);
      const runs = store.runs.list({ sort: 'id' }).rows.filter((r) => taskOf(envLabel(r.envId, r.variant)) === task);
      if (runs.length === 0) throw new ApiFailure('not_found', `no shipped run of task '${task}'`, 'task');
      return runs.map((r) => {
        const ts = store.trajectories.list(r.id);
        const last = ts.filter((t) => t.mode === 'deterministic').sort((a, b) => b.step - a.step || a.episode - b.episode)[0] ?? ts.at(-1) ?? null;
        return { id: r.id, task, envId: r.envId, variant: r.variant, params: r.envParams, algo: r.algo, seed: r.seed, trajectory: last };
      });
    },
    'paper.trajectory': ({ id }) => trajectoryData(paperStore(s), id),
  };
}
