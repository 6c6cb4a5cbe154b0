// Writes the reproduction bundle of an experiment (format: ./format.ts, manifest: ./manifest.ts):
// everything needed to reproduce and to re-analyse it in another copy of the lab. The final
// weights are the run's last checkpoint file (full trainer state: networks, optimisers, RNGs).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
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

export function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'experiment';
}

export function exportBundle(store: Store, experimentId: number, producer: Record<string, string> = {}): ExportedBundle {
  const exp = store.experiments.get(experimentId);
  if (!exp) throw new StoreError(`no experiment with id ${experimentId}`);
  const blobs = new BlobWriter();
  const runs: RunEntry[] = [];
  // One read transaction: a consistent snapshot even while runs write.
  store.db.transaction(() => {
    for (const id of store.runs.idsOfExperiment(experimentId)) {
      const r = store.runs.require(id);
      const byKey = new Map<string, { step: number[]; wall: number[]; value: number[] }>();
      for (const p of store.metrics.all(id)) {
        let k = byKey.get(p.key);
        if (!k) byKey.set(p.key, (k = { step: [], wall: [], value: [] }));
        k.step.push(p.step);
        k.wall.push(p.wallTime);
        k.value.push(p.value);
      }
      const metrics = [...byKey].map(([key, k]) => ({
        key,
        count: k.step.length,
        step: blobs.addArray(f64(k.step)),
        wallTime: blobs.addArray(f64(k.wall)),
        value: blobs.addArray(f64(k.value)),
      }));
      const eps = store.episodes.list(id);
      const episodes = {
        count: eps.length,
        step: blobs.addArray(f64(eps.map((e) => e.step))),
        return: blobs.addArray(f64(eps.map((e) => e.return))),
        length: blobs.addArray(f64(eps.map((e) => e.length))),
        wallTime: blobs.addArray(f64(eps.map((e) => e.wallTime))),
      };
      const trajectories = store.trajectories.list(id).map((info) => {
        const t = store.trajectories.get(info.id)!;
        const names = Object.keys(t.rewardComponents);
        const comps = new Float32Array(names.length * t.length);
        names.forEach((n, i) => comps.set(t.rewardComponents[n]!.subarray(0, t.length), i * t.length));
        return {
          step: t.step,
          mode: t.mode,
          episode: t.episode,
          startSeed: t.startSeed,
          length: t.length,
          obsDim: t.obsDim,
          actDim: t.actDim,
          stateDim: t.stateDim,
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
        const bytes = readFileSync(cp.file);
        checkpoint = { step: cp.step, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: blobs.add(bytes) };
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
  };
  const { bytes, sha256 } = encodeBundle(manifest, blobs.bytes());
  return { bytes, sha256, fileName: `${safeFileName(exp.name)}-exp${exp.id}.labbundle`, runs: runs.length };
}
