// Building the Paper results store: every bundle of a results/ folder verified, then imported in
// one transaction into a new store file. Synchronous and CPU-bound (gunzip, checksums, thousands of
// rows), so the app runs it in a worker thread (./paper-build-worker.ts) and its main thread keeps
// answering; `lab report --results` and tests may call it directly.
import { openStore } from '../store/index.ts';
import { importResults, ResultsError, verifyResults } from './results.ts';

export interface PaperBundle {
  file: string;
  experiment: string;
  runs: number;
}

/** The store file was written with these bundles, or why there is none (nothing was written then). */
export type PaperBuild = { ok: true; bundles: PaperBundle[] } | { ok: false; reason: string };

export function buildPaperStore(dir: string, dbPath: string): PaperBuild {
  let bundles: PaperBundle[];
  try {
    bundles = verifyResults(dir).map((v) => ({ file: v.file.slice(dir.length + 1), experiment: v.name, runs: v.runs }));
  } catch (err) {
    if (err instanceof ResultsError) return { ok: false, reason: err.message };
    throw err;
  }
  if (bundles.length === 0) return { ok: false, reason: `no results bundle in ${dir} yet (lab reproduce writes them)` };
  const store = openStore(dbPath);
  try {
    importResults(store, dir);
  } catch (err) {
    if (err instanceof ResultsError) return { ok: false, reason: err.message };
    throw err;
  } finally {
    store.close();
  }
  return { ok: true, bundles };
}
