// The app's Paper results: a read-only store of its own, built from the results/ folder (every
// bundle verified first; see ./results.ts) in a temporary file at the first request and removed when
// the app closes. It is never the user's store: their runs and experiments are not touched, and
// the shipped runs reach their store only through an explicit `lab import`. The build runs in a
// worker thread (./paper-build-worker.ts): tens of MB of bundles take seconds, and the main thread
// answers every other request meanwhile.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { openStore, type Store } from '../store/index.ts';
import type { PaperBuild, PaperBundle } from './paper-build.ts';

export type { PaperBundle } from './paper-build.ts';

export type PaperState = { ok: true; store: Store; bundles: PaperBundle[] } | { ok: false; reason: string };

/** The worker entry beside this module: the .ts source under Node, out/main/paper-build.js in the desktop bundle. */
function workerEntry(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('./paper-build-worker.ts', import.meta.url) : new URL('./paper-build.js', import.meta.url);
}

/** Build the store file at `dbPath` from `dir` in a worker thread. */
function buildInWorker(dir: string, dbPath: string): Promise<PaperBuild> {
  return new Promise((resolve) => {
    const worker = new Worker(workerEntry(), { workerData: { dir, dbPath } });
    let answered = false;
    const answer = (b: PaperBuild) => {
      if (answered) return;
      answered = true;
      resolve(b);
      void worker.terminate();
    };
    worker.once('message', (m: PaperBuild | { error: string }) =>
      answer('error' in m ? { ok: false, reason: `the Paper results store could not be built from ${dir}: ${m.error}` } : m),
    );
    worker.once('error', (err) => answer({ ok: false, reason: `the Paper results store could not be built from ${dir}: ${err.message}` }));
    worker.once('exit', (code) => answer({ ok: false, reason: `the Paper results builder stopped (exit code ${code}) before it answered` }));
  });
}

export class PaperResults {
  readonly dir: string;
  /** The campaign pieces listed as in progress (read at each overview: a campaign may be writing them). */
  readonly campaignDir: string;
  private state: Promise<PaperState> | null = null;
  private tmp: string | null = null;
  private closed = false;

  constructor(dir: string, campaignDir: string) {
    this.dir = dir;
    this.campaignDir = campaignDir;
  }

  /** The paper store (built on first use, once however many ask meanwhile), or why there is none. */
  get(): Promise<PaperState> {
    return (this.state ??= this.build());
  }

  private async build(): Promise<PaperState> {
    const tmp = mkdtempSync(join(tmpdir(), 'maxent-lab-paper-'));
    this.tmp = tmp;
    const dbPath = join(tmp, 'paper-results.db');
    const built = await buildInWorker(this.dir, dbPath);
    if (!built.ok || this.closed) {
      this.dispose(tmp);
      return built.ok ? { ok: false, reason: 'the app is closing' } : built;
    }
    return { ok: true, store: openStore(dbPath), bundles: built.bundles };
  }

  private dispose(tmp: string | null): void {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    if (this.tmp === tmp) this.tmp = null;
  }

  async close(): Promise<void> {
    this.closed = true;
    const state = this.state;
    this.state = null;
    if (state) {
      const st = await state;
      if (st.ok) st.store.close();
    }
    this.dispose(this.tmp);
  }
}
