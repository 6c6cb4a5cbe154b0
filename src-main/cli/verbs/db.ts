// `lab db backup FILE [--db PATH]`: a consistent copy of the lab database through SQLite's online
// backup API (safe while runs are writing). `lab db path`: which database the CLI uses
// (--db, else $LAB_DB, else the per-user default). `lab db check`: PRAGMA integrity_check.
import { flagString, parseArgs } from '../args.ts';
import { UsageError } from '../errors.ts';
import { openStoreForCli, storeCall } from '../../runs/cli-support.ts';
import { resolveDbPath } from '../../store/location.ts';

export const summary = 'back up the lab database (online), show its path, or check its integrity';

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const args = parseArgs(rest, { db: { type: 'string' } });
  if (sub === 'path') {
    process.stdout.write(`${resolveDbPath(flagString(args, 'db'))}\n`);
    return 0;
  }
  if (sub === 'backup') {
    if (args.positionals.length !== 1) throw new UsageError('usage: lab db backup FILE [--db PATH]');
    const file = args.positionals[0]!;
    const store = openStoreForCli(flagString(args, 'db'), { mustExist: true });
    try {
      await storeCall(() => store.backup(file));
      process.stdout.write(`backed up ${store.path} to ${file}\n`);
      return 0;
    } finally {
      store.close();
    }
  }
  if (sub === 'check') {
    const store = openStoreForCli(flagString(args, 'db'), { mustExist: true });
    try {
      const r = store.integrityCheck();
      process.stdout.write(`${store.path}: integrity_check ${r}\n`);
      return r === 'ok' ? 0 : 1;
    } finally {
      store.close();
    }
  }
  throw new UsageError(`usage: lab db backup FILE | path | check [--db PATH] (got '${sub ?? ''}')`);
}
