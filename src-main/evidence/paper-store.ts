// The app's Paper results: a read-only store of its own, built from the results/ folder (every
// bundle verified first; see ./results.ts) in a temporary file at the first request and removed when
// the app closes. It is never the user's store: their runs and experiments are not touched, and
// the shipped runs reach their store only through an explicit `lab import`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../store/index.ts';
import { importResults, ResultsError, verifyResults } from './results.ts';

export interface PaperBundle {
  file: string;
  experiment: string;
  runs: number;
}

export type PaperState = { ok: true; store: Store; bundles: PaperBundle[] } | { ok: false; reason: string };

export class PaperResults {
  readonly dir: string;
  private state: PaperState | null = null;
  private tmp: string | null = null;

  constructor(dir: string) {
    this.dir = dir;
  }

  /** The paper store (built on first use), or why there is none. */
  get(): PaperState {
    if (this.state) return this.state;
    let bundles: PaperBundle[];
    try {
      bundles = verifyResults(this.dir).map((v) => ({ file: v.file.slice(this.dir.length + 1), experiment: v.name, runs: v.runs }));
    } catch (err) {
      if (err instanceof ResultsError) return (this.state = { ok: false, reason: err.message });
      throw err;
    }
    if (bundles.length === 0) return (this.state = { ok: false, reason: `no results bundle in ${this.dir} yet (lab reproduce writes them)` });
    this.tmp = mkdtempSync(join(tmpdir(), 'maxent-lab-paper-'));
    const store = openStore(join(this.tmp, 'paper-results.db'));
    try {
      importResults(store, this.dir);
    } catch (err) {
      store.close();
      this.dispose();
      if (err instanceof ResultsError) return (this.state = { ok: false, reason: err.message });
      throw err;
    }
    return (this.state = { ok: true, store, bundles });
  }

  private dispose(): void {
    if (this.tmp) rmSync(this.tmp, { recursive: true, force: true });
    this.tmp = null;
  }

  close(): void {
    if (this.state?.ok) this.state.store.close();
    this.state = null;
    this.dispose();
  }
}
