// Loads a reproduction bundle into a store as a new experiment with new run ids. Everything is
// read and verified first (gzip, magic, format version, SHA-256, manifest schema, every blob and
// checkpoint checksum); then one transaction writes it all. On any failure nothing is left behind:
// the transaction rolls back and checkpoint files written for it are removed.
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import type { RunConfig, Trajectory } from '../../src-core/train/types.ts';
import { trajectoryHeader } from '../../src-core/train/trajectory_header.ts';
import type { Store } from '../store/index.ts';
import type { MetricInput } from '../store/repos/metrics.ts';
import { checkpointDir } from '../store/location.ts';
import { writeCheckpointAtomic } from '../worker/checkpoint-file.ts';
import { BundleError, decodeBundle, type BlobReader } from './format.ts';
import { Manifest, type RunEntry } from './manifest.ts';

export interface ImportResult {
  experimentId: number;
  name: string;
  runIds: number[];
  /** Source run id -> new run id. */
  idMap: Record<number, number>;
}

interface PreparedRun {
  entry: RunEntry;
  metrics: MetricInput[];
  episodes: { step: number; return: number; length: number; wallTime: number }[];
  trajectories: Trajectory[];
  checkpoint: { step: number; bytes: Buffer } | null;
}

const nan = (v: number | null) => (v === null ? Number.NaN : v);

function prepareRun(entry: RunEntry, blobs: BlobReader, index: number): PreparedRun {
  const where = `run ${index} (source id ${entry.sourceId})`;
  const metrics: MetricInput[] = [];
  for (const m of entry.metrics) {
    const step = blobs.float64(m.step, `${where} metric ${m.key} steps`);
    const wall = blobs.float64(m.wallTime, `${where} metric ${m.key} wall times`);
    const value = blobs.float64(m.value, `${where} metric ${m.key} values`);
    if (step.length !== m.count || wall.length !== m.count || value.length !== m.count) throw new BundleError(`bundle is corrupt: ${where} metric ${m.key} has arrays of the wrong length`);
    for (let i = 0; i < m.count; i++) metrics.push({ key: m.key, step: step[i]!, wallTime: wall[i]!, value: value[i]! });
  }
  const e = entry.episodes;
  const cols = [e.step, e.return, e.length, e.wallTime].map((ref, k) => blobs.float64(ref, `${where} episodes column ${k}`));
  if (cols.some((c) => c.length !== e.count)) throw new BundleError(`bundle is corrupt: ${where} episodes have arrays of the wrong length`);
  const episodes = Array.from({ length: e.count }, (_, i) => ({ step: cols[0]![i]!, return: cols[1]![i]!, length: cols[2]![i]!, wallTime: cols[3]![i]! }));
  const trajectories = entry.trajectories.map((t, k): Trajectory => {
    const w = `${where} trajectory ${k}`;
    const T = t.length;
    const observations = blobs.float32(t.observations, `${w} observations`);
    const actions = blobs.float32(t.actions, `${w} actions`);
    const rewards = blobs.float32(t.rewards, `${w} rewards`);
    const comps = blobs.float32(t.components, `${w} reward components`);
    const logProbs = blobs.float32(t.logProbs, `${w} log-probabilities`);
    const entropies = blobs.float32(t.entropies, `${w} entropies`);
    const states = blobs.float64(t.states, `${w} states`);
    if (rewards.length !== T || actions.length !== T * t.actDim || comps.length !== T * t.componentNames.length || logProbs.length !== T || entropies.length !== T) {
      throw new BundleError(`bundle is corrupt: ${w} has arrays of the wrong length`);
    }
    const rewardComponents: Record<string, Float32Array> = {};
    t.componentNames.forEach((n, i) => (rewardComponents[n] = comps.slice(i * T, (i + 1) * T)));
    return { ...trajectoryHeader(t), observations, actions, rewards, rewardComponents, logProbs, entropies, states };
  });
  let checkpoint: PreparedRun['checkpoint'] = null;
  if (entry.checkpoint) {
    const bytes = blobs.get(entry.checkpoint.bytes, `${where} checkpoint`);
    if (createHash('sha256').update(bytes).digest('hex') !== entry.checkpoint.sha256) throw new BundleError(`bundle is corrupt: ${where} checkpoint checksum mismatch`);
    checkpoint = { step: entry.checkpoint.step, bytes: Buffer.from(bytes) };
  }
  return { entry, metrics, episodes, trajectories, checkpoint };
}

/** Verify a bundle completely without touching any store (also used by `lab import --check`). */
export function readBundle(file: Uint8Array): { manifest: Manifest; runs: PreparedRun[]; sha256: string } {
  const { header, manifest, blobs } = decodeBundle(file);
  const parsed = Manifest.safeParse(manifest);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BundleError(`bundle is corrupt: manifest field ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const runs = parsed.data.runs.map((r, i) => prepareRun(r, blobs, i));
  return { manifest: parsed.data, runs, sha256: header.sha256 };
}

const SET_RUN_FIELDS = `UPDATE runs SET backend = ?, versions = ?, status = ?, reason = ?, created_at = ?, started_at = ?, ended_at = ?,
  global_step = ?, last_eval = ?, notes = ? WHERE id = ?`;

export function importBundle(store: Store, file: Uint8Array): ImportResult {
  const { manifest, runs } = readBundle(file); // throws BundleError before any write
  const created: number[] = [];
  const setRun = store.db.prepare(SET_RUN_FIELDS);
  try {
    return store.tx(() => {
      const x = manifest.experiment;
      const experimentId = store.experiments.insert({
        name: x.name,
        description: x.description,
        spec: x.spec,
        source: x.source,
        tags: x.tags,
        notes: `${x.notes ? `${x.notes}\n` : ''}imported from a bundle written ${manifest.createdAt}`,
      });
      const idMap: Record<number, number> = {};
      for (const p of runs) {
        const r = p.entry;
        const id = store.runs.insert(r.config as unknown as RunConfig, { experimentId, label: r.label, tags: r.tags });
        created.push(id);
        idMap[r.sourceId] = id;
        // A run that was active where it came from cannot be active here.
        const active = r.status === 'running';
        const status = active ? 'interrupted' : r.status;
        const reason = active ? 'imported from a bundle while it was running' : r.reason;
        setRun.run(r.backend, r.versions ? JSON.stringify(r.versions) : null, status, reason, r.createdAt, r.startedAt, r.endedAt, r.globalStep, JSON.stringify(r.lastEval), r.notes, id);
        if (p.metrics.length > 0) store.metrics.append(id, p.metrics);
        store.metrics.seal(id); // the imported run records nothing more: write its last partial metric blocks
        for (const ev of r.evaluations) store.evaluations.insert(id, { ...ev, returns: ev.returns.map(nan) });
        for (const ep of p.episodes) store.episodes.insert(id, ep);
        for (const t of p.trajectories) store.trajectories.insert(id, t);
        if (p.checkpoint) {
          const dir = checkpointDir(store.path, id);
          mkdirSync(dir, { recursive: true });
          const path = writeCheckpointAtomic(dir, p.checkpoint.step, p.checkpoint.bytes);
          store.checkpoints.insert(id, p.checkpoint.step, path, p.checkpoint.bytes.length);
        }
      }
      return { experimentId, name: x.name, runIds: created.slice(), idMap };
    });
  } catch (err) {
    for (const id of created) {
      rmSync(checkpointDir(store.path, id), { recursive: true, force: true });
      store.metrics.invalidate(id);
    }
    throw err;
  }
}
