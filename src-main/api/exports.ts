// Exports of a run or an experiment as files (csv, sb3, json) for the renderer to save. Reuses
// `lab export` (src-main/cli/verbs/export.ts) on a temporary folder, so the app and the CLI write
// byte-identical files, then returns each file's relative name and text.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ApiFailure } from '../../src-core/contract/define.ts';
import { run as exportVerb } from '../cli/verbs/export.ts';
import { UsageError } from '../cli/errors.ts';
import type { Services } from './services.ts';

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else yield p;
  }
}

export async function exportFiles(
  s: Services,
  args: { runId?: number | undefined; experimentId?: number | undefined; format: 'csv' | 'sb3' | 'json' },
): Promise<{ name: string; text: string }[]> {
  const out = mkdtempSync(join(tmpdir(), 'lab-export-'));
  try {
    const target = args.runId !== undefined ? [String(args.runId)] : ['--experiment', String(args.experimentId)];
    try {
      await exportVerb([...target, '--format', args.format, '--out', out, '--db', s.dbPath]);
    } catch (err) {
      if (err instanceof UsageError) throw new ApiFailure('not_found', err.message, args.runId !== undefined ? 'runId' : 'experimentId');
      throw err;
    }
    return [...walk(out)].map((f) => ({ name: relative(out, f), text: readFileSync(f, 'utf8') }));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
