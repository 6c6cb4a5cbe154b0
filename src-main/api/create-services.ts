// Builds the Services the API runs on, for the desktop app and for `lab serve`: opens the store,
// probes the tensor backend, starts the run manager with the given process host (utilityProcess
// in Electron, child_process.fork under Node) and forwards its events as contract events.
import { readFileSync } from 'node:fs';
import { ApiFailure } from '../../src-core/contract/define.ts';
import { resolvePreset } from '../../src-core/presets/index.ts';
import type { AlgoId } from '../../src-core/train/types.ts';
import { NodeWorkerHost, type WorkerHost } from '../runs/host.ts';
import { RunManager } from '../runs/manager.ts';
import { measuredSpeed } from '../runs/speed.ts';
import { PaperResults } from '../evidence/paper-store.ts';
import { CAMPAIGN_DIR, RESULTS_DIR } from '../evidence/results.ts';
import { openStore, StoreError } from '../store/index.ts';
import { probeBackend } from './backend-probe.ts';
import { EventBus } from './events.ts';
import { ClusterIngester } from '../cluster/ingest.ts';
import { cancelOnSlurm, deleteOnSlurm, resubmit } from '../cluster/control.ts';

/** How often the folders of runs on Slurm are ingested while the app or `lab serve` is open. */
const CLUSTER_POLL_MS = 2000;
import type { Services } from './services.ts';

export interface ServiceOptions {
  host: 'electron' | 'server';
  dbPath: string;
  /** How workers are started: utilityProcess in Electron, child_process.fork under Node (default). */
  processHost?: WorkerHost;
  /** Runs at a time (default: cores - 1, at least 1). */
  concurrency?: number;
}

function appVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return '0.0.0';
  }
}

/** Run manager refusals (wrong state) become 'conflict'; anything else propagates as internal. */
async function guarded(fn: () => unknown): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof StoreError) throw new ApiFailure('conflict', err.message);
    throw err;
  }
}

export async function createServices(opts: ServiceOptions): Promise<Services> {
  const store = openStore(opts.dbPath);
  const version = appVersion();
  let manager: RunManager;
  try {
    manager = new RunManager({
      store,
      host: opts.processHost ?? new NodeWorkerHost(),
      appVersion: version,
      ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
    });
  } catch (err) {
    store.close();
    throw err;
  }
  const events = new EventBus();
  // runs on a Slurm cluster: their folders are ingested here while the app is open (src-main/cluster)
  const cluster = new ClusterIngester(store);
  for (const source of [manager, cluster]) {
    source.on('status', (e) => events.emit('run.status', e));
    source.on('progress', (e) => events.emit('run.progress', e));
    source.on('metrics', (e) =>
      events.emit('run.metrics', { runId: e.runId, points: e.points.map((p) => ({ ...p, value: Number.isFinite(p.value) ? p.value : null })) }),
    );
    source.on('log', (e) => events.emit('run.log', e));
  }
  const clusterTimer = setInterval(() => {
    if (store.db.open && store.slurm.unfinishedIds().length > 0) {
      try {
        cluster.sync();
      } catch {
        // Slurm did not answer: the folders were ingested; statuses are asked again next time
      }
    }
  }, CLUSTER_POLL_MS);
  clusterTimer.unref();
  const onSlurm = (id: number) => store.slurm.get(id) !== undefined;
  // LAB_RESULTS_DIR, LAB_CAMPAIGN_DIR: other results and pieces folders (tests; a campaign not yet committed)
  const paper = new PaperResults(process.env.LAB_RESULTS_DIR || RESULTS_DIR, process.env.LAB_CAMPAIGN_DIR || CAMPAIGN_DIR);

  return {
    host: opts.host,
    appVersion: version,
    dbPath: store.path,
    backend: probeBackend(),
    events,
    store,
    manager,
    control: {
      start: (id) => guarded(() => (onSlurm(id) ? resubmit(store, [id]) : manager.enqueue([id]))),
      resume: (id) => guarded(() => (onSlurm(id) ? resubmit(store, [id]) : manager.resume(id))),
      pause: (id) =>
        guarded(() => {
          if (onSlurm(id)) throw new StoreError(`run ${id} runs on Slurm and cannot be paused; cancel it, or let it run`);
          return manager.pause(id);
        }),
      cancel: (id) => guarded(() => (onSlurm(id) ? cancelOnSlurm(store, id) : manager.cancel(id))),
      delete: (id) => guarded(async () => (onSlurm(id) ? deleteOnSlurm(store, id, () => manager.delete(id)) : manager.delete(id))),
    },
    runsStatus: () => ({ active: manager.activeIds().length, queued: manager.queuedIds().length, concurrency: manager.concurrency }),
    measuredSpeed: (envId, algo) => measuredSpeed(store, envId, algo),
    preset: (envId, algo, preset) => {
      let p;
      try {
        p = resolvePreset(envId, algo as AlgoId, preset);
      } catch (err) {
        throw new ApiFailure('not_found', (err as Error).message, 'envId');
      }
      return { envId, algo, preset, totalSteps: p.budget.totalSteps, learningSteps: p.budget.learningSteps, warmupSteps: p.budget.warmupSteps, evalInterval: p.budget.evalInterval, algoConfig: p.algoConfig, notes: p.notes };
    },
    paper,
    close: async () => {
      clearInterval(clusterTimer);
      try {
        await manager.shutdown('pause');
      } finally {
        store.close();
        await paper.close();
      }
    },
  };
}
