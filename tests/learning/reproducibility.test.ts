// Every shipped number is reproducible: for one run per task and algorithm of results/ (each
// algorithm's first completed run: a bundle of an unfinished experiment also carries runs still
// training, which the report leaves out; select with -t, e.g. -t "toy-quick.labbundle: td3"),
// re-training from its stored config and seed on the backend it recorded gives the same metric
// stream over the first 10,000 learning steps (after an off-policy warm-up of random actions, which
// alone would check no learning; every point the compact bundle kept up to there, exactly).
// Where several points share a step (episodes of a vector env ending together), the store kept the
// first, so the first is compared. Runs only over the bundles present; with an empty results/
// there is nothing shipped to check.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBundle } from '../../src-main/bundle/import.ts';
import { initBackend, type BackendName } from '../../src-main/engine/backend.ts';
import { ensurePhysicsFor } from '../../src-main/engine/mujoco.ts';
import { METRIC } from '../../src-core/train/metric_keys.ts';
import { resultBundleFiles, RESULTS_DIR } from '../../src-main/evidence/results.ts';
import { createTrainer, type MetricPoint, type RunConfig } from '../../src-core/train/index.ts';

const STEPS = 10_000;
const files = resultBundleFiles(RESULTS_DIR);

describe.skipIf(files.length === 0)('shipped runs re-train to the same first 10k learning steps', () => {
  for (const file of files) {
    const { runs } = readBundle(readFileSync(file));
    const completed = runs.filter((r) => r.entry.status === 'completed');
    const firstOfAlgo = completed.filter((r, i) => completed.findIndex((q) => q.entry.config.algo === r.entry.config.algo) === i);
    for (const run of firstOfAlgo) it(`${file.split('/').pop()}: ${run.entry.config.algo} (seed ${run.entry.config.seed})`, async () => {
      const blobs = run.metrics;
      await initBackend((run.entry.backend ?? 'auto') as BackendName | 'auto');
      const config = run.entry.config as unknown as RunConfig;
      await ensurePhysicsFor(config.env.id); // Hopper and OpenCat run on MuJoCo
      const limit = STEPS + ((config.algoConfig as { warmupSteps?: number }).warmupSteps ?? 0);
      const points: MetricPoint[] = [];
      const trainer = createTrainer(config, { onMetrics: (b) => points.push(...b) });
      await trainer.run(() => trainer.globalStep >= limit);
      const reached = trainer.globalStep;
      trainer.dispose();
      const fresh = new Map<string, number>();
      for (const p of points) if (!fresh.has(`${p.key}@${p.step}`)) fresh.set(`${p.key}@${p.step}`, p.value);
      let compared = 0;
      for (const p of blobs) {
        if (p.step > Math.min(limit, reached) || p.key === METRIC.sps) continue; // steps per second: wall clock, differs by nature
        expect(fresh.has(`${p.key}@${p.step}`), `${p.key} at step ${p.step} recorded again`).toBe(true);
        expect(fresh.get(`${p.key}@${p.step}`), `${p.key} at step ${p.step}`).toBe(p.value);
        compared++;
      }
      expect(compared).toBeGreaterThan(10);
    });
  }
});
