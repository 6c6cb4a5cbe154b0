// Writes the reproduction bundle of an experiment (format: ./format.ts, manifest: ./manifest.ts):
// everything needed to reproduce and to re-analyse it in another copy of the lab. The final
// weights are the run's last checkpoint file (full trainer state: networks, optimisers, RNGs).
// The compact option (results/ of the repository, `lab bundle export --compact`) keeps the same
// format but down-samples training metrics and episodes, keeps one recorded evaluation episode per
// run, at most two (the first of its last deterministic evaluation; and of the evaluation at the experiment's
// common step where that is another one, so runs of one seed share a start state for side-by-side replays)
// and the final weights only where small (of a completed run, its networks only: networksOnly);
// what it dropped is written in the manifest's `compact`.
// The piece option (campaign pieces: src-main/evidence/pieces.ts) keeps every metric point and
// episode and each run's last checkpoint whole, so the experiment can be continued elsewhere and its
// compact bundle, written when it completes, is the one an uninterrupted campaign writes; recorded
// episodes as compact. Written in the manifest's `piece`, and not compressed (format.ts, encodeBundle).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { commonRecordedStep } from '../../src-core/stats/same-start.ts';
import { decodeCheckpoint, encodeCheckpoint } from '../../src-core/train/codec.ts';
import { trajectoryHeader } from '../../src-core/train/trajectory_header.ts';
import { StoreError, type Store } from '../store/index.ts';
import { BlobWriter, encodeBundle, BUNDLE_VERSION } from './format.ts';
import type { Manifest, RunEntry } from './manifest.ts';

export interface ExportedBundle {
  bytes: Buffer;
  sha256: string;
  fileName: string;
  runs: number;
}

function f64(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values as ArrayLike<number>);
}

type TrajectoryInfo = ReturnType<Store['trajectories']['list']>[number];

/**
 * Every recorded episode, or (compact) the first of the last deterministic evaluation (else of the
 * last evaluation) and, where that is another evaluation, the first deterministic one at the
 * experiment's common step: every run of a seed shares its start states there (src-core/stats/same-start.ts).
 */
function keptTrajectories(list: readonly TrajectoryInfo[], compact: boolean, commonStep: number | null): TrajectoryInfo[] {
  if (!compact || list.length <= 1) return [...list];
  const order = (a: TrajectoryInfo, b: TrajectoryInfo) => b.step - a.step || a.episode - b.episode;
  const det = list.filter((t) => t.mode === 'deterministic').sort(order);
  const last = (det[0] ?? [...list].sort(order)[0])!;
  const common = commonStep === null || commonStep === last.step ? undefined : det.find((t) => t.step === commonStep);
  return common ? [last, common] : [last];
}

export function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'experiment';
}

/** Checkpoint arrays only training needs: the replay buffer, in-flight episodes, PPO's unfinished rollout, target networks, optimiser moments. */
const TRAINING_ONLY = /^(replay\.|episode\/|agent\/rollout\.|agent\/.*(_target$|_optim\.))/;

/**
 * A completed run's final checkpoint for a compact bundle: its networks (and PPO's observation
 * statistics), without what only resuming training uses, which a completed run never does;
 * marked so, and with no training episodes, so a resume from it is refused. Analysis and previews
 * load it (src-main/preview/engine-policy.ts keeps a fresh agent's values for what is missing).
 * A file that does not decode is kept as it is.
 */
export function networksOnly(bytes: Buffer): Buffer {
  let decoded: ReturnType<typeof decodeCheckpoint>;
  try {
    decoded = decodeCheckpoint(new Uint8Array(bytes));
  } catch {
    return bytes;
  }
  const arrays = Object.fromEntries(Object.entries(decoded.arrays).filter(([k]) => !TRAINING_ONLY.test(k)));
  const m = decoded.meta as Record<string, unknown>;
  // PPO's agent state counts the steps of its unfinished rollout, whose arrays are dropped
  const agent = m.agent && typeof m.agent === 'object' && 'rolloutSteps' in m.agent ? { ...m.agent, rolloutSteps: 0 } : m.agent;
  const meta = { ...m, agent, buffer: null, episodes: [], networksOnly: 'compact bundle: networks only (no replay buffer, rollout, target networks or optimiser moments); not resumable' };
  return Buffer.from(encodeCheckpoint(meta, arrays));
}

/** What a compact bundle keeps (see the file header). */
export const COMPACT = { maxMetricPoints: 500, maxEpisodes: 500, maxCheckpointBytes: 256 * 1024 } as const;

/** Indices of at most `max` evenly spaced points of `n`, first and last included. */
export function evenIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, i) => Math.round((i * (n - 1)) / (max - 1)));
}

const pick = <T>(xs: readonly T[], idx: readonly number[]): T[] => idx.map((i) => xs[i]!);

export interface ExportOptions {
  compact?: boolean;
  /** A campaign piece: every point, the last checkpoints whole (resumable), recorded episodes as compact. */
  piece?: boolean;
}

export const PIECE_NOTE = "a campaign piece (an unfinished experiment, to be continued): every metric point, episode and evaluation; one recorded evaluation episode per run as in a compact bundle; each unfinished run's last checkpoint whole (resumable), a completed run's networks only";

export function exportBundle(store: Store, experimentId: number, producer: Record<string, string> = {}, opts: ExportOptions = {}): ExportedBundle {
  const compact = opts.compact === true;
  const piece = opts.piece === true;
  if (compact && piece) throw new StoreError('a bundle is compact or a campaign piece, not both');
  // both keep one recorded episode per run (two at a common step) and a completed run's networks only
  const trimmed = compact || piece;
  const exp = store.experiments.get(experimentId);
  if (!exp) throw new StoreError(`no experiment with id ${experimentId}`);
  const blobs = new BlobWriter();
  const runs: RunEntry[] = [];
  // One read transaction: a consistent snapshot even while runs write.
  store.db.transaction(() => {
    const ids = store.runs.idsOfExperiment(experimentId);
    const recorded = new Map(ids.map((id) => [id, store.trajectories.list(id)]));
    // over the completed runs where there are any: in a bundle of an unfinished experiment, a run
    // still training would pull the shared step back to where it is now
    const completed = ids.filter((id) => store.runs.require(id).status === 'completed');
    const sharing = completed.length > 0 ? completed : ids;
    const commonStep = trimmed ? commonRecordedStep(sharing.map((id) => recorded.get(id)!.filter((t) => t.mode === 'deterministic'))) : null;
    for (const id of ids) {
      const r = store.runs.require(id);
      const byKey = new Map<string, { step: number[]; wall: number[]; value: number[] }>();
      for (const p of store.metrics.all(id)) {
        let k = byKey.get(p.key);
        if (!k) byKey.set(p.key, (k = { step: [], wall: [], value: [] }));
        k.step.push(p.step);
        k.wall.push(p.wallTime);
        k.value.push(p.value);
      }
      const metrics = [...byKey].map(([key, k]) => {
        const idx = evenIndices(k.step.length, compact ? COMPACT.maxMetricPoints : Number.POSITIVE_INFINITY);
        return {
          key,
          count: idx.length,
          step: blobs.addArray(f64(pick(k.step, idx))),
          wallTime: blobs.addArray(f64(pick(k.wall, idx))),
          value: blobs.addArray(f64(pick(k.value, idx))),
        };
      });
      const allEps = store.episodes.list(id);
      const eps = pick(allEps, evenIndices(allEps.length, compact ? COMPACT.maxEpisodes : Number.POSITIVE_INFINITY));
      const episodes = {
        count: eps.length,
        step: blobs.addArray(f64(eps.map((e) => e.step))),
        return: blobs.addArray(f64(eps.map((e) => e.return))),
        length: blobs.addArray(f64(eps.map((e) => e.length))),
        wallTime: blobs.addArray(f64(eps.map((e) => e.wallTime))),
      };
      const trajectories = keptTrajectories(recorded.get(id)!, trimmed, commonStep).map((info) => {
        const t = store.trajectories.get(info.id)!;
        const names = Object.keys(t.rewardComponents);
        const comps = new Float32Array(names.length * t.length);
        names.forEach((n, i) => comps.set(t.rewardComponents[n]!.subarray(0, t.length), i * t.length));
        return {
          ...trajectoryHeader(t),
          componentNames: names,
          observations: blobs.addArray(t.observations),
          actions: blobs.addArray(t.actions),
          rewards: blobs.addArray(t.rewards),
          components: blobs.addArray(comps),
          logProbs: blobs.addArray(t.logProbs),
          entropies: blobs.addArray(t.entropies),
          states: blobs.addArray(t.states),
        };
      });
      const cp = store.checkpoints.latest(id);
      let checkpoint: RunEntry['checkpoint'] = null;
      if (cp && existsSync(cp.file)) {
        const full = readFileSync(cp.file);
        const bytes = trimmed && r.status === 'completed' ? networksOnly(full) : full;
        if (!compact || bytes.length <= COMPACT.maxCheckpointBytes) {
          checkpoint = { step: cp.step, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: blobs.add(bytes) };
        }
      }
      runs.push({
        sourceId: r.id,
        label: r.label,
        envId: r.envId,
        variant: r.variant,
        envParams: r.envParams,
        algo: r.algo,
        preset: r.preset,
        seed: r.seed,
        config: r.config as unknown as Record<string, unknown>,
        backend: r.backend,
        versions: r.versions as Record<string, string> | null,
        status: r.status,
        reason: r.reason,
        createdAt: r.createdAt,
        startedAt: r.startedAt,
        endedAt: r.endedAt,
        globalStep: r.globalStep,
        totalSteps: r.totalSteps,
        lastEval: r.lastEval as Record<string, number | null>,
        notes: r.notes,
        tags: r.tags,
        metrics,
        evaluations: store.evaluations.list(id).map((e) => ({ step: e.step, mode: e.mode, returns: e.returns, lengths: e.lengths, startSeeds: e.startSeeds, wallTime: e.wallTime })),
        episodes,
        trajectories,
        checkpoint,
      });
    }
  })();
  const manifest: Manifest = {
    format: 'maxent-lab-bundle',
    version: BUNDLE_VERSION as 1,
    createdAt: new Date().toISOString(),
    producer: { node: process.version, platform: `${process.platform}-${process.arch}`, ...producer },
    experiment: {
      sourceId: exp.id,
      name: exp.name,
      description: exp.description,
      spec: exp.spec,
      source: exp.source,
      tags: exp.tags,
      notes: exp.notes,
      createdAt: exp.createdAt,
    },
    runs,
    ...(compact
      ? {
          compact: {
            maxMetricPoints: COMPACT.maxMetricPoints,
            maxEpisodes: COMPACT.maxEpisodes,
            maxCheckpointBytes: COMPACT.maxCheckpointBytes,
            note: 'training metrics and episodes down-sampled to evenly spaced points (first and last kept); every evaluation kept; one recorded evaluation episode per run (the first of its last deterministic evaluation; also the first at the experiment\'s common evaluation step where that is another evaluation, so runs of one seed share a start state); final weights only where small (a completed run: its networks only, without replay buffer, target networks or optimiser moments)',
          },
        }
      : {}),
    ...(piece ? { piece: { note: PIECE_NOTE } } : {}),
  };
  const { bytes, sha256 } = encodeBundle(manifest, blobs.bytes(), piece ? 0 : 6);
  return { bytes, sha256, fileName: `${safeFileName(exp.name)}-exp${exp.id}.labbundle`, runs: runs.length };
}
