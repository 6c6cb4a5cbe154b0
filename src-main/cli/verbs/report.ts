// `lab report [--json] [--markdown] [--out FILE] [--results DIR | --db PATH] [--experiment ID ...]
//   [--resamples N] [--seed N] [--pieces DIR]`: the evidence report (src-main/evidence/report.ts) from the store,
// or from a results folder directly (its bundles verified, then loaded into a temporary store that
// is removed afterwards). --json prints rows {task, algo, n, mode, iqm, ci_low, ci_high, ...},
// pairs and verdicts {task, claim, verdict, ...}; --markdown writes docs/results.md (or --out FILE)
// with SVG figures in a folder beside it. --pieces DIR also lists the campaign pieces of DIR (the
// experiments still training: src-main/evidence/pieces.ts), which are not in the table.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openStore, type Store } from '../../store/index.ts';
import { openStoreForCli } from '../../runs/cli-support.ts';
import { buildEvidenceReport, REPORT_BOOTSTRAP } from '../../evidence/report.ts';
import { formatText, writeMarkdown } from '../../evidence/format.ts';
import { importResults, ResultsError } from '../../evidence/results.ts';
import { pieceFigures } from '../../evidence/piece-figure.ts';
import { readPieces } from '../../evidence/pieces.ts';
import { flagBool, flagMulti, flagString, parseArgs, parseInteger } from '../args.ts';
import { UsageError } from '../errors.ts';

export const summary = "the paper's outcome table from the store or results/: IQM [95% CI] per task and algorithm, P(improvement), verdicts";

const DOCS_RESULTS = resolve(new URL('../../../docs/results.md', import.meta.url).pathname);

/** A store holding the bundles of a results folder, and how to dispose of it. */
export function resultsStore(dir: string): { store: Store; dispose: () => void } {
  const tmp = mkdtempSync(join(tmpdir(), 'lab-results-'));
  const store = openStore(join(tmp, 'results.db'));
  const dispose = () => {
    store.close();
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    importResults(store, dir);
  } catch (err) {
    dispose();
    if (err instanceof ResultsError) throw new UsageError(err.message);
    throw err;
  }
  return { store, dispose };
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    json: { type: 'boolean' },
    markdown: { type: 'boolean' },
    out: { type: 'string' },
    results: { type: 'string' },
    db: { type: 'string' },
    experiment: { type: 'multi' },
    resamples: { type: 'string' },
    seed: { type: 'string' },
    pieces: { type: 'string' },
  });
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
  if (flagBool(args, 'json') && flagBool(args, 'markdown')) throw new UsageError('--json and --markdown: choose one');
  if (flagString(args, 'out') !== undefined && !flagBool(args, 'markdown')) throw new UsageError('--out goes with --markdown');
  const resultsFlag = flagString(args, 'results');
  if (resultsFlag !== undefined && flagString(args, 'db') !== undefined) throw new UsageError('--results and --db: choose one source');
  const experimentIds = flagMulti(args, 'experiment').map((e) => parseInteger(e, '--experiment', 1));
  if (resultsFlag !== undefined && experimentIds.length > 0) throw new UsageError('--experiment selects experiments of a store, not of --results');
  const bootstrap = {
    ...REPORT_BOOTSTRAP,
    resamples: parseInteger(flagString(args, 'resamples') ?? String(REPORT_BOOTSTRAP.resamples), '--resamples', 50),
    seed: parseInteger(flagString(args, 'seed') ?? String(REPORT_BOOTSTRAP.seed), '--seed'),
  };
  const resultsDir = resultsFlag === undefined ? undefined : resolve(resultsFlag);
  const piecesFlag = flagString(args, 'pieces');
  const { store, dispose } = resultsDir ? resultsStore(resultsDir) : { store: openStoreForCli(flagString(args, 'db'), { mustExist: true }), dispose: undefined };
  try {
    const read = piecesFlag === undefined ? [] : readPieces(resolve(piecesFlag), store);
    const inProgress = piecesFlag === undefined ? undefined : { dir: piecesFlag, pieces: read.map((p) => p.summary) };
    for (const id of experimentIds) if (!store.experiments.get(id)) throw new UsageError(`no experiment with id ${id} in ${store.path}`);
    const source = resultsDir ? `the bundles of ${resultsDir}` : `the store ${store.path}${experimentIds.length > 0 ? ` (experiments ${experimentIds.join(', ')})` : ''}`;
    const rep = buildEvidenceReport(store, { source, experimentIds, bootstrap, inProgress });
    if (flagBool(args, 'json')) process.stdout.write(`${JSON.stringify(rep, null, 2)}\n`);
    else if (flagBool(args, 'markdown')) {
      const file = resolve(flagString(args, 'out') ?? DOCS_RESULTS);
      const command = `lab report --markdown${resultsDir ? ` --results ${resultsFlag}` : ''}${piecesFlag !== undefined ? ` --pieces ${piecesFlag}` : ''}`;
      const w = writeMarkdown(store, { ...rep, source: resultsDir ? `the bundles of results/` : rep.source }, file, command, pieceFigures(store, read));
      process.stdout.write(`wrote ${w.file} and ${w.figures} figures\n`);
    } else process.stdout.write(formatText(rep));
    return 0;
  } finally {
    if (dispose) dispose();
    else store.close();
  }
}
