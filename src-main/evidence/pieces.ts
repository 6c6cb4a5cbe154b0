// Campaign pieces: the experiments of `lab reproduce` that a machine did not finish, written to a
// folder (the repository's campaign/) so that another machine continues them from where they
// stopped instead of from the start (`lab reproduce ... --pieces DIR`). A piece is a reproduction
// bundle of the unfinished experiment in its piece form (src-main/bundle/export.ts): every metric
// point, episode and evaluation, and each run's last checkpoint whole (an off-policy run's replay
// buffer as its episodes: src-core/train/replay_log.ts), under the file name of the task's bundle
// in results/. A task whose experiment is not in the store and whose piece is in the folder is
// imported from it (checked first: a valid bundle, a piece, the planned experiment's name and spec);
// its runs then resume from their checkpoints. A completed task's piece is removed.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { envLabel } from '../../src-core/stats/grouping.ts';
import { exportBundle } from '../bundle/export.ts';
import { BUNDLE_EXTENSION, BundleError } from '../bundle/format.ts';
import { importBundle, readBundle, type ImportResult } from '../bundle/import.ts';
import type { Store } from '../store/index.ts';
import { pieceInterim, withComparators, type PieceRun } from './piece-interim.ts';
import { taskOf, type PieceSummary } from './report.ts';

export class PieceError extends Error {
  override name = 'PieceError';
}

/**
 * Import the piece `file` as the planned experiment `name` with `spec`. Everything is checked before
 * anything is written; a bad piece throws a PieceError naming the file and what is wrong.
 */
export function importPiece(store: Store, file: string, name: string, spec: unknown): ImportResult {
  const bytes = readFileSync(file);
  let manifest: ReturnType<typeof readBundle>['manifest'];
  try {
    manifest = readBundle(bytes).manifest;
  } catch (err) {
    if (err instanceof BundleError) throw new PieceError(`${file}: ${err.message}; nothing was imported`);
    throw err;
  }
  if (!manifest.piece) throw new PieceError(`${file}: a bundle but not a campaign piece (one written by lab reproduce --pieces); nothing was imported`);
  if (manifest.experiment.name !== name) throw new PieceError(`${file}: holds experiment '${manifest.experiment.name}', not '${name}'; nothing was imported`);
  if (JSON.stringify(manifest.experiment.spec) !== JSON.stringify(spec)) {
    throw new PieceError(`${file}: experiment '${name}' with another spec than this lab plans (written by another version?); nothing was imported`);
  }
  return importBundle(store, bytes);
}

/** Write the piece of an unfinished experiment to `file` (atomically); returns its size in bytes. */
export function writePiece(store: Store, experimentId: number, file: string, producer: Record<string, string>): number {
  mkdirSync(dirname(file), { recursive: true });
  const b = exportBundle(store, experimentId, producer, { piece: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, b.bytes);
  renameSync(tmp, file);
  return b.bytes.length;
}

/** Remove a completed task's piece; true when there was one. */
export function removePiece(file: string): boolean {
  if (!existsSync(file)) return false;
  rmSync(file);
  return true;
}

/** A piece as read: its summary, and its runs (for its figure: src-main/evidence/piece-figure.ts); none where it does not read. */
export interface ReadPiece {
  summary: PieceSummary;
  runs: readonly PieceRun[];
}

/**
 * What each piece of `dir` holds, for the report's "in progress" list: its task(s), algorithms, runs
 * and their steps, when it was written and the command that continues it. A piece that does not
 * read is listed with the reason (the report is not the place to refuse it; --pieces is). With
 * `completed` (a store of finished runs, results/), each interim evaluation gets its comparators.
 */
export function readPieces(dir: string, completed?: Store): ReadPiece[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(BUNDLE_EXTENSION))
    .sort()
    .map((f): ReadPiece => {
      const file = join(dir, f);
      try {
        const { manifest, runs: read } = readBundle(readFileSync(file));
        if (!manifest.piece) throw new BundleError('a bundle but not a campaign piece');
        const runs = read.map((r) => ({ ...r.entry, points: r.metrics }));
        const steps = runs.map((r) => r.globalStep);
        const interim = pieceInterim(runs);
        const summary: PieceSummary = {
          file: basename(file),
          tasks: [...new Set(runs.map((r) => taskOf(envLabel(r.envId, r.variant))))],
          algos: [...new Set(runs.map((r) => r.algo))],
          runs: runs.length,
          completed: runs.filter((r) => r.status === 'completed').length,
          minStep: Math.min(...steps),
          maxStep: Math.max(...steps),
          totalSteps: Math.max(...runs.map((r) => r.totalSteps)),
          written: manifest.createdAt,
          command: manifest.producer.campaign ?? null,
          interim: completed ? withComparators(completed, interim, runs) : interim,
          error: null,
        };
        return { summary, runs };
      } catch (err) {
        if (!(err instanceof BundleError)) throw err;
        return { summary: { file: basename(file), tasks: [], algos: [], runs: 0, completed: 0, minStep: 0, maxStep: 0, totalSteps: 0, written: '', command: null, interim: [], error: err.message }, runs: [] };
      }
    });
}
