// Builds the Services the API runs on, for the desktop app and for `lab serve`: opens the store,
// probes the tensor backend, and starts the run manager with the given process host.
import { readFileSync } from 'node:fs';
import { openStore } from '../store/index.ts';
import { probeBackend } from './backend-probe.ts';
import { EventBus } from './events.ts';
import type { Services } from './services.ts';
import { ApiFailure } from '../../src-core/contract/define.ts';

export interface ServiceOptions {
  host: 'electron' | 'server';
  dbPath: string;
  /** How workers are started: utilityProcess in Electron, child_process.fork under Node. */
  processHost?: unknown;
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

async function notWired(): Promise<void> {
  throw new ApiFailure('unavailable', 'the run manager is not wired yet');
}

export async function createServices(opts: ServiceOptions): Promise<Services> {
  const store = openStore(opts.dbPath);
  const events = new EventBus();
  return {
    host: opts.host,
    appVersion: appVersion(),
    dbPath: store.path,
    backend: probeBackend(),
    events,
    store,
    control: {
      start: notWired,
      pause: notWired,
      resume: notWired,
      cancel: notWired,
      delete: notWired,
    },
    runsStatus: () => ({ active: 0, queued: 0, concurrency: opts.concurrency ?? 1 }),
    measuredSpeed: () => ({ sps: null, runs: 0 }),
    preset: () => {
      throw new ApiFailure('unavailable', 'presets are not wired yet');
    },
    close: async () => store.close(),
  };
}
