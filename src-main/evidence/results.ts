// The repository's results/ folder: one compact reproduction bundle per experiment of the paper
// campaign (`lab reproduce` writes them). Loading it is all or nothing: every bundle is read and
// verified first (gzip, magic, version, checksum, manifest, every array), and a malformed or
// truncated one is refused with its file name before anything is written; then one transaction
// imports them all. Used by `lab report --results DIR` and by the app's Paper results store.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BUNDLE_EXTENSION, BundleError } from '../bundle/format.ts';
import { importBundle, readBundle, type ImportResult } from '../bundle/import.ts';
import type { Store } from '../store/index.ts';

/** The repository's results/ folder. */
export const RESULTS_DIR = resolve(new URL('../../results/', import.meta.url).pathname);

/** The repository's campaign/ folder: the pieces of the campaign's experiments still training (./pieces.ts). */
export const CAMPAIGN_DIR = resolve(new URL('../../campaign/', import.meta.url).pathname);

export class ResultsError extends Error {
  override name = 'ResultsError';
}

/** The bundle files of a results folder, sorted by name. */
export function resultBundleFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ResultsError(`${dir}: no such results folder`);
  return readdirSync(dir)
    .filter((f) => f.endsWith(BUNDLE_EXTENSION))
    .sort()
    .map((f) => join(dir, f));
}

/** Read and verify every bundle of `dir`; the first bad one throws a ResultsError naming it. */
export function verifyResults(dir: string): { file: string; bytes: Buffer; name: string; runs: number }[] {
  return resultBundleFiles(dir).map((file) => {
    const bytes = readFileSync(file);
    try {
      const { manifest } = readBundle(bytes);
      return { file, bytes, name: manifest.experiment.name, runs: manifest.runs.length };
    } catch (err) {
      if (err instanceof BundleError) throw new ResultsError(`${file}: ${err.message}; nothing from ${dir} was imported`);
      throw err;
    }
  });
}

/** Import every bundle of `dir` into `store` (all verified first, then one transaction). */
export function importResults(store: Store, dir: string): ImportResult[] {
  const verified = verifyResults(dir);
  return store.tx(() => verified.map((v) => importBundle(store, v.bytes)));
}
