// What the API handlers run on: the lab's services, built once by the Electron app or by
// `lab serve` (createServices in ./create-services.ts) and passed to every handler factory
// `(services: Services) => Handlers<typeof xMethods>`.
import type { PresetValue } from '../../src-core/contract/methods/envs.ts';
import type { EventBus } from './events.ts';
import type { Store } from '../store/index.ts';
import type { RunManager } from '../runs/manager.ts';
import type { PaperResults } from '../evidence/paper-store.ts';

export interface BackendInfo {
  /** tensorflow | wasm | cpu: what training workers use on this machine. */
  name: string;
  /** Why a faster backend is not in use ('' when the fastest is). */
  reason: string;
}

export interface Services {
  host: 'electron' | 'server';
  appVersion: string;
  /** Absolute path of the SQLite database in use. */
  dbPath: string;
  backend: BackendInfo;
  /** Push contract events to every connected renderer. */
  events: EventBus;
  /** The run store (src-main/store): repositories over the one better-sqlite3 connection. */
  store: Store;
  /** The run manager (src-main/runs): queue, one worker process per run, events. */
  manager: RunManager;
  /** Run control through the run manager (src-main/runs); a refused transition throws ApiFailure('conflict'). */
  control: {
    start(id: number): Promise<void>;
    pause(id: number): Promise<void>;
    resume(id: number): Promise<void>;
    cancel(id: number): Promise<void>;
    /** Stops the run if needed and deletes it with its metrics, trajectories and checkpoint files. */
    delete(id: number): Promise<void>;
  };
  /** Runs active and queued, and the concurrency limit. */
  runsStatus(): { active: number; queued: number; concurrency: number };
  /** Environment steps per second measured by finished runs here (null when none). */
  measuredSpeed(envId: string, algo: string): { sps: number | null; runs: number };
  /** The engine's per-task preset (src-core/presets). */
  preset(envId: string, algo: PresetValue['algo'], preset: PresetValue['preset']): PresetValue;
  /** The shipped evidence (results/) in a read-only store of its own, built on first use. */
  paper: PaperResults;
  /** Close the store and stop the workers. */
  close(): Promise<void>;
}
