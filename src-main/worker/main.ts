// Entry of the training worker process (forked by NodeWorkerHost, or started by Electron's
// utilityProcess from the bundled out/main/worker.js): the worker loop around the real engine,
// for one training run, one stored-policy preview, one rollout fan or one landscape job.
import { engineDeps } from './engine-deps.ts';
import { runWorker } from './run-worker.ts';

runWorker(engineDeps);
