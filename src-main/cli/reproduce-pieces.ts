// The campaign pieces side of `lab reproduce --pieces DIR` (./verbs/reproduce.ts): a task the store
// does not have is continued from its piece in DIR (src-main/evidence/pieces.ts), planned from it
// with --plan (read into a scratch store), and each unfinished task's piece is written back there;
// a task the store does not have, with no piece and its bundle already in results/, is done.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importPiece, PieceError, removePiece, writePiece } from '../evidence/pieces.ts';
import { openStore, type Store } from '../store/index.ts';
import { UsageError } from './errors.ts';
import { bundleFile, plan, type Choice, type Planned, type Probes, type Workers } from './reproduce-plan.ts';

/** The piece of a planned task the store does not have yet, if there is one. */
function pieceToContinue(p: Planned, dir: string, choice: Choice): string | null {
  const file = bundleFile(dir, p.task.task, choice);
  if (!existsSync(file)) return null;
  if (p.experimentId !== null) {
    process.stdout.write(`${p.task.task}: continued from the store (experiment ${p.experimentId}); the piece ${file} is not read\n`);
    return null;
  }
  return file;
}

/**
 * The planned tasks less those a campaign of pieces has finished: not in this store, no piece in
 * DIR, and their bundle in the results folder (a completed task's piece is removed when its bundle
 * is written). Without this, the command a piece names (every task it was started with) would train
 * a finished task again from step 0 on a machine whose store is new.
 */
export function withoutFinished(planned: Planned[], dir: string, resultsDir: string, choice: Choice): Planned[] {
  return planned.filter((p) => {
    if (p.experimentId !== null || existsSync(bundleFile(dir, p.task.task, choice))) return true;
    const done = bundleFile(resultsDir, p.task.task, choice);
    if (!existsSync(done)) return true;
    process.stdout.write(`${p.task.task}: finished, not trained again: its bundle ${done} is in the results folder and ${dir} holds no piece of it (without --pieces the command trains it again in this store)\n`);
    return false;
  });
}

/** Import a piece, a bad one refused with its file named. */
function importOrRefuse(store: Store, file: string, p: Planned): ReturnType<typeof importPiece> {
  try {
    return importPiece(store, file, p.spec.spec.name, p.spec.spec);
  } catch (err) {
    if (err instanceof PieceError) throw new UsageError(err.message);
    throw err;
  }
}

/** Import the piece of every planned task the store does not have yet; true when one was imported. */
export function continueFromPieces(store: Store, planned: Planned[], dir: string, choice: Choice): boolean {
  let imported = false;
  for (const p of planned) {
    const file = pieceToContinue(p, dir, choice);
    if (!file) continue;
    const r = importOrRefuse(store, file, p);
    const steps = r.runIds.map((id) => store.runs.require(id).globalStep).join(', ');
    process.stdout.write(`${p.task.task}: continued from the piece ${file} (experiment ${r.experimentId}; runs at steps ${steps})\n`);
    imported = true;
  }
  return imported;
}

/**
 * --plan: each task the store lacks is planned from its piece as it would be continued (its runs'
 * progress and the speed they were measured at), read into a scratch store that is then deleted.
 */
export function planFromPieces(planned: Planned[], dir: string, choice: Choice, workers: Workers, probes: Probes): Planned[] {
  return planned.map((p) => {
    const file = pieceToContinue(p, dir, choice);
    if (!file) return p;
    const scratch = mkdtempSync(join(tmpdir(), 'lab-plan-'));
    const store = openStore(join(scratch, 'plan.db'));
    try {
      const { runIds } = importOrRefuse(store, file, p);
      process.stdout.write(`${p.task.task}: would continue from the piece ${file} (runs at steps ${runIds.map((id) => store.runs.require(id).globalStep).join(', ')})\n`);
      return { ...plan(store, [p.task], choice, workers, probes)[0]!, experimentId: null, piece: file };
    } finally {
      store.close();
      rmSync(scratch, { recursive: true, force: true });
    }
  });
}

/** Write the piece of every planned task with runs left and some progress; remove a completed task's. */
export function savePieces(store: Store, planned: Planned[], experimentIds: number[], dir: string, choice: Choice, again: string, anyStore: string): void {
  planned.forEach((p, i) => {
    const file = bundleFile(dir, p.task.task, choice);
    const runs = store.runs.idsOfExperiment(experimentIds[i]!).map((id) => store.runs.require(id));
    if (runs.every((r) => r.status === 'completed')) {
      if (removePiece(file)) process.stdout.write(`${p.task.task}: completed; removed its piece ${file}\n`);
      return;
    }
    if (runs.every((r) => r.globalStep === 0)) return; // nothing trained yet: nothing to continue
    // the piece names the command without this machine's store: another machine continues it into its own
    const bytes = writePiece(store, experimentIds[i]!, file, { app: process.env.npm_package_version ?? '', campaign: anyStore });
    process.stdout.write(`${p.task.task}: wrote the piece ${file} (${(bytes / 1e6).toFixed(1)} MB; runs at steps ${runs.map((r) => r.globalStep).join(', ')}); continue with: ${again}\n`);
  });
}
