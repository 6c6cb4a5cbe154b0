// Entry of the training worker process (forked by NodeWorkerHost, or started by Electron's
// utilityProcess from the bundled out/main/worker.js): the worker loop around the real engine,
// for one training run or one stored-policy preview.
import { createTrainer } from '../../src-core/train/index.ts';
import { initRequestedBackend } from '../engine/backend.ts';
import { ensurePhysicsFor } from '../engine/mujoco.ts';
import { runPreviewJob } from '../preview/run-preview.ts';
import { runWorker } from './run-worker.ts';

runWorker({
  async initBackend(requested) {
    const { info, fallback } = await initRequestedBackend(requested);
    const reason = Object.entries(info.unavailable)
      .map(([name, why]) => `${name}: ${why}`)
      .join('; ');
    return { backend: info.backend, reason, versions: info.versions, requested: requested ?? 'auto', fallback };
  },
  // MuJoCo loads only where the run's environment needs it (hopper, opencat)
  createTrainer: async (config, callbacks, opts) => {
    await ensurePhysicsFor(config.env.id);
    return createTrainer(config, callbacks, opts);
  },
  preview: async (job, backend) => {
    await ensurePhysicsFor(job.request.envId);
    return runPreviewJob(job, backend);
  },
});
