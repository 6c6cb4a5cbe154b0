// `lab bundle export --experiment ID --out FILE [--compact] [--db PATH]` writes the experiment's
// reproduction bundle (format in src-main/bundle/format.ts; --compact: the results/ form, see
// src-main/bundle/export.ts); `lab bundle check FILE` verifies one without
// importing it. Import with `lab import FILE`.
import { openStoreForCli } from '../../runs/cli-support.ts';
import { existsSync, readFileSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { resolve } from 'node:path';
import { exportBundle } from '../../bundle/export.ts';
import { BundleError } from '../../bundle/format.ts';
import { readBundle } from '../../bundle/import.ts';
import { StoreError } from '../../store/index.ts';
import { flagBool, flagString, parseArgs, parseInteger } from '../args.ts';
import { UsageError } from '../errors.ts';

export const summary = 'write (export) or verify (check) the reproduction bundle of an experiment';

async function exportVerb(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { experiment: { type: 'string' }, out: { type: 'string' }, db: { type: 'string' }, force: { type: 'boolean' }, compact: { type: 'boolean' } });
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
  const expText = flagString(args, 'experiment');
  if (expText === undefined) throw new UsageError('--experiment ID is required');
  const experimentId = parseInteger(expText, '--experiment', 1);
  const outText = flagString(args, 'out');
  if (outText === undefined) throw new UsageError('--out FILE is required');
  const out = resolve(outText);
  if (existsSync(out) && statSync(out).isDirectory()) throw new UsageError(`--out: ${outText} is a directory`);
  if (existsSync(out) && !flagBool(args, 'force')) throw new UsageError(`--out: ${outText} already exists (add --force to overwrite)`);
  const store = openStoreForCli(flagString(args, 'db'), { mustExist: true });
  try {
    const b = exportBundle(store, experimentId, { app: process.env.npm_package_version ?? '' }, { compact: flagBool(args, 'compact') });
    const tmp = `${out}.tmp-${process.pid}`;
    writeFileSync(tmp, b.bytes);
    renameSync(tmp, out);
    process.stdout.write(`wrote ${out}: experiment ${experimentId}, ${b.runs} runs, ${b.bytes.length} bytes, sha256 ${b.sha256}\n`);
    return 0;
  } catch (err) {
    if (err instanceof StoreError) throw new UsageError(err.message);
    throw err;
  } finally {
    store.close();
  }
}

async function checkVerb(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {});
  const file = args.positionals[0];
  if (!file || args.positionals.length > 1) throw new UsageError('usage: lab bundle check FILE');
  if (!existsSync(file)) throw new UsageError(`${file}: no such file`);
  try {
    const { manifest, sha256 } = readBundle(readFileSync(file));
    process.stdout.write(`${file}: valid bundle (format version ${manifest.version}, sha256 ${sha256}), experiment "${manifest.experiment.name}", ${manifest.runs.length} runs, written ${manifest.createdAt}\n`);
    return 0;
  } catch (err) {
    if (err instanceof BundleError) throw new UsageError(`${file}: ${err.message}`);
    throw err;
  }
}

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'export') return exportVerb(rest);
  if (sub === 'check') return checkVerb(rest);
  throw new UsageError(sub ? `unknown bundle command '${sub}' (export or check)` : 'usage: lab bundle export --experiment ID --out FILE | lab bundle check FILE');
}
