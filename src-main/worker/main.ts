// Entry of the training worker process (forked by NodeWorkerHost, or started by Electron's
// utilityProcess from the bundled out/main/worker.js): the worker loop around the real engine.
import { createTrainer } from '../../src-core/train/index.ts';
import { initBackend, type BackendName } from '../engine/backend.ts';
import { runWorker } from './run-worker.ts';

runWorker({
  async initBackend(preferred) {
    const info = await initBackend((preferred ?? 'auto') as BackendName | 'auto');
    const reason = Object.entries(info.unavailable)
      .map(([name, why]) => `${name}: ${why}`)
      .join('; ');
    return { backend: info.backend, reason, versions: info.versions };
  },
  createTrainer: (config, callbacks, opts) => createTrainer(config, callbacks, opts),
});
