// Handlers of the Paper results methods: everything is read from the paper store (results/), never
// from the user's store (src-main/evidence/paper-store.ts). The Analysis views run on the shipped
// runs through the same landscape service as the user's runs (./analysis.ts), over the paper store;
// a shipped run whose weights the compact bundle left out is refused with that reason.
import { ApiFailure, type Handlers } from '../../src-core/contract/define.ts';
import type { NetworkSource } from '../../src-core/contract/methods/analysis.ts';
import type { paperMethods } from '../../src-core/contract/methods/paper.ts';
import { taskFigures } from '../evidence/format.ts';
import { buildEvidenceReport, labelRuns } from '../evidence/report.ts';
import { pieceFigures } from '../evidence/piece-figure.ts';
import { readPieces } from '../evidence/pieces.ts';
import { COMPACT } from '../bundle/export.ts';
import type { Landscapes } from '../preview/landscapes.ts';
import type { Store } from '../store/index.ts';
import { analysisFailure, analysisHost, storeFans, storeLandscapes } from './analysis.ts';
import type { Fans } from '../preview/fans.ts';
import { toyRunsOf } from './compare.ts';
import { trajectoryData } from './metrics.ts';
import type { Services } from './services.ts';

async function paperStore(s: Services): Promise<Store> {
  const st = await s.paper.get();
  if (!st.ok) throw new ApiFailure('not_found', st.reason);
  return st.store;
}

/** Why a shipped run has no weights to analyse, in words. */
export function noWeightsReason(store: Store, runId: number): string | null {
  const r = store.runs.get(runId);
  if (!r) return `no shipped run ${runId}`;
  if (store.checkpoints.list(runId).length > 0) return null;
  return `shipped run ${runId} (${r.algo}, seed ${r.seed}) kept no weights: a results/ bundle carries a run's final checkpoint only where it is under ${COMPACT.maxCheckpointBytes / 1024} kB, so its landscapes and critical states cannot be computed here (lab reproduce re-trains it from its stored config and seed)`;
}

/** The run store's analysis checks, plus: every network named must be a shipped run that kept its weights. */
function requireWeights(store: Store, sources: [NetworkSource | undefined, string][]): void {
  for (const [src, path] of sources) {
    if (!src) continue;
    const why = noWeightsReason(store, src.runId);
    if (why) throw new ApiFailure('not_found', why, `${path}.runId`);
  }
}

export function paperHandlers(s: Services): Handlers<typeof paperMethods> {
  let analysis: Landscapes | null = null;
  const analyse = async <T>(sources: [NetworkSource | undefined, string][], ask: (l: Landscapes) => Promise<T>): Promise<T> => {
    const store = await paperStore(s);
    requireWeights(store, sources);
    analysis ??= storeLandscapes(store, () => analysisHost(s));
    return ask(analysis).catch(analysisFailure);
  };
  let fanService: Fans | null = null;
  let overview: ReturnType<typeof buildOverview> | null = null; // the paper store never changes
  const buildOverview = async () => {
    const st = await s.paper.get();
    if (!st.ok) return { dir: s.paper.dir, available: false, reason: st.reason, bundles: [], report: null, figures: [], pieceFigures: [] };
    const report = buildEvidenceReport(st.store, { source: `the bundles of ${s.paper.dir}` });
    return { dir: s.paper.dir, available: true, reason: null, bundles: st.bundles, report, figures: taskFigures(st.store, report), pieceFigures: [] };
  };
  /** The overview with the pieces as they are now (a campaign running beside the app rewrites them). */
  const withPieces = async () => {
    const o = await (overview ??= buildOverview());
    if (!o.report) return o;
    const store = await paperStore(s);
    const read = readPieces(s.paper.campaignDir, store);
    const pieces = read.map((p) => p.summary);
    return { ...o, pieceFigures: pieceFigures(store, read), report: { ...o.report, inProgress: pieces.length > 0 ? { dir: s.paper.campaignDir, pieces } : null } };
  };
  return {
    'paper.overview': withPieces,
    'paper.runs': async ({ task }) => {
      const store = await paperStore(s);
      const all = store.runs.list({ sort: 'id' }).rows.map((r) => store.runs.require(r.id));
      const labels = labelRuns(all);
      const runs = all.filter((r) => labels.get(r.id) === task);
      if (runs.length === 0) throw new ApiFailure('not_found', `no shipped run of task '${task}'`, 'task');
      return runs.map((r) => {
        const ts = store.trajectories.list(r.id);
        const det = ts.filter((t) => t.mode === 'deterministic').sort((a, b) => b.step - a.step || a.episode - b.episode);
        const last = det[0] ?? ts.at(-1) ?? null;
        return { id: r.id, task, envId: r.envId, variant: r.variant, params: r.envParams, algo: r.algo, seed: r.seed, trajectory: last, episodes: det };
      });
    },
    'paper.trajectory': async ({ id }) => trajectoryData(await paperStore(s), id),
    'paper.checkpoints': async ({ runId }) => {
      const store = await paperStore(s);
      if (!store.runs.get(runId)) throw new ApiFailure('not_found', `no shipped run ${runId}`, 'runId');
      return store.checkpoints.list(runId).map((c) => ({ step: c.step, size: c.size }));
    },
    'paper.toyRuns': async ({ mode }) => {
      const store = await paperStore(s);
      return toyRunsOf(store, store.runs.list({ env: 'toy', sort: 'id' }).rows.map((r) => r.id), mode);
    },
    'paper.landscape': (args) => analyse([[args.run, 'run'], [args.plainFrom, 'plainFrom']], (l) => l.landscape(args)),
    'paper.critical': (args) => analyse([[args.run, 'run'], [args.plainFrom, 'plainFrom']], (l) => l.critical(args)),
    'paper.fan': async (args) => {
      const store = await paperStore(s);
      requireWeights(store, [[args.run, 'run']]);
      fanService ??= storeFans(store, () => analysisHost(s));
      try {
        return await fanService.fan(args);
      } catch (err) {
        return analysisFailure(err);
      }
    },
  };
}
