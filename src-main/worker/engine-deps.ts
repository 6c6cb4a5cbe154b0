// The real engine behind a training worker: backend selection (src-main/engine/backend.ts), the
// trainer of src-core/train (one run, or a seed group as one batched computation), stored-policy
// previews, rollout fans and landscape jobs. Shared by the local worker process (./main.ts)
// and the cluster task (src-main/cluster/task.ts).
import { createGroupTrainer, createTrainer } from '../../src-core/train/index.ts';
import { initRequestedBackend } from '../engine/backend.ts';
import { webgpuLostReasonWithin } from '../engine/webgpu.ts';
import { ensurePhysicsFor, physicsVersion } from '../engine/mujoco.ts';
import { runPreviewJob } from '../preview/run-preview.ts';
import { runLandscapeJob } from '../preview/landscape-job.ts';
import { runFanJob } from '../preview/fan-job.ts';
import type { WorkerDeps } from './run-worker.ts';

export const engineDeps: WorkerDeps = {
  async initBackend(requested, shape) {
    const { info, fallback } = await initRequestedBackend(requested, shape);
    const reason = Object.entries(info.unavailable)
      .map(([name, why]) => `${name}: ${why}`)
      .join('; ');
    return { backend: info.backend, reason, versions: info.versions, requested: requested ?? 'auto', fallback, kernelFallbacks: info.fallbacks };
  },
  // MuJoCo loads only where the run's environment needs it (hopper, opencat); its version goes
  // into the run's recorded versions as `mujoco`, as `lab train` records it
  async envVersions(envId): Promise<Record<string, string>> {
    return (await ensurePhysicsFor(envId)) ? { mujoco: await physicsVersion() } : {};
  },
  createTrainer: async (config, callbacks, opts) => {
    await ensurePhysicsFor(config.env.id);
    return createTrainer(config, callbacks, opts);
  },
  createGroupTrainer: async (configs, callbacks, opts) => {
    await ensurePhysicsFor(configs[0]!.env.id);
    return createGroupTrainer(configs, callbacks, opts);
  },
  preview: async (job, backend) => {
    await ensurePhysicsFor(job.request.envId);
    return runPreviewJob(job, backend);
  },
  fan: async (job, backend) => {
    await ensurePhysicsFor(job.request.envId);
    return runFanJob(job, backend);
  },
  landscape: (job, backend) => runLandscapeJob(job, backend),
  // a run on webgpu whose device is lost fails at its next read: the record says the device was lost
  // and why (waiting a moment for Dawn's report, which can come after the failed read)
  failureCause: () => webgpuLostReasonWithin(1000),
};
