// Exports of runs or an experiment for the renderer to save. Reuses `lab export`
// (src-main/cli/verbs/export.ts) on a temporary folder, so the app and the CLI write byte-identical
// files: `exports.run` returns each text file's relative name and text; `exports.archive` returns
// every file of any format (TensorBoard's are binary) as one .tar.gz under a folder of its name.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tarArchive } from '../export/tar.ts';
import { ApiFailure } from '../../src-core/contract/define.ts';
import { exportTo } from '../cli/verbs/export.ts';
import { UsageError } from '../cli/errors.ts';
import type { Services } from './services.ts';

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else yield p;
  }
}

type Format = 'csv' | 'sb3' | 'json' | 'tensorboard';
type Target = { runIds: number[] } | { experimentId: number };

/** Runs `lab export` into a temporary folder, hands its path to `read`, removes it; `runsPath` names the run ids' argument in errors. */
async function viaVerb<T>(s: Services, target: Target, format: Format, runsPath: string, read: (dir: string) => T): Promise<T> {
  const out = mkdtempSync(join(tmpdir(), 'lab-export-'));
  try {
    const argv = 'runIds' in target ? target.runIds.map(String) : ['--experiment', String(target.experimentId)];
    try {
      await exportTo([...argv, '--format', format, '--out', out, '--db', s.dbPath]);
    } catch (err) {
      if (err instanceof UsageError) throw new ApiFailure('not_found', err.message, 'runIds' in target ? runsPath : 'experimentId');
      throw err;
    }
    return read(out);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export async function exportFiles(
  s: Services,
  args: { runId?: number | undefined; experimentId?: number | undefined; format: 'csv' | 'sb3' | 'json' },
): Promise<{ name: string; text: string }[]> {
  const target: Target = args.runId !== undefined ? { runIds: [args.runId] } : { experimentId: args.experimentId! };
  return viaVerb(s, target, args.format, 'runId', (out) => [...walk(out)].map((f) => ({ name: relative(out, f), text: readFileSync(f, 'utf8') })));
}

/** The archive's name (and its top folder): what it holds, e.g. runs-3-4-tensorboard or experiment-2-sb3. */
function archiveName(target: Target, format: Format): string {
  if (!('runIds' in target)) return `experiment-${target.experimentId}-${format}`;
  const ids = target.runIds;
  return ids.length <= 6 ? `runs-${ids.join('-')}-${format}` : `${ids.length}-runs-${Math.min(...ids)}-to-${Math.max(...ids)}-${format}`;
}

/** The most an archive may hold before compression: one download over the app's channel, base64 in memory. */
export const ARCHIVE_MAX_BYTES = 256 * 1024 * 1024;

export async function exportArchive(
  s: Services,
  args: { runIds?: number[] | undefined; experimentId?: number | undefined; format: Format },
  maxBytes = ARCHIVE_MAX_BYTES,
): Promise<{ fileName: string; size: number; base64: string }> {
  const target: Target = args.runIds !== undefined ? { runIds: args.runIds } : { experimentId: args.experimentId! };
  const root = archiveName(target, args.format);
  const tar = await viaVerb(s, target, args.format, 'runIds', (out) => {
    const files = [...walk(out)].map((f) => ({ path: f, stat: statSync(f) }));
    const bytes = files.reduce((a, f) => a + f.stat.size, 0);
    if (bytes > maxBytes) {
      const what = 'runIds' in target ? target.runIds.join(' ') : `--experiment ${target.experimentId}`;
      throw new ApiFailure('conflict', `the export is ${(bytes / 2 ** 20).toFixed(1)} MiB, more than one download from the app carries (${(maxBytes / 2 ** 20).toFixed(1)} MiB): write it to a folder with lab export ${what} --format ${args.format} --out DIR`, 'runIds' in target ? 'runIds' : 'experimentId');
    }
    return tarArchive(files.map((f) => ({ name: `${root}/${relative(out, f.path)}`, data: readFileSync(f.path), mtime: f.stat.mtimeMs / 1000 })));
  });
  const gz = gzipSync(tar);
  return { fileName: `${root}.tar.gz`, size: gz.length, base64: gz.toString('base64') };
}
