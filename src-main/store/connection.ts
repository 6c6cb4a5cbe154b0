// Opens the lab database: one better-sqlite3 connection with WAL, foreign keys and a busy timeout,
// after checking that the file is ours. A file that is not SQLite, a SQLite file of another
// application, a file failing quick_check, or a schema newer than this build is refused with a
// message and never written to. A missing file is created and migrated.
import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync, accessSync, constants } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { StoreError } from './errors.ts';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.ts';

/** PRAGMA application_id of a lab database: 'MELB' (MaxEnt Lab). */
export const APPLICATION_ID = 0x4d454c42;
const SQLITE_HEADER = 'SQLite format 3\0';

export type DB = Database.Database;

function isWritable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
  } catch {
    return false;
  }
  // root passes access(W_OK) on anything: also honour the permission bits.
  return (statSync(path).mode & 0o222) !== 0;
}

function checkPath(path: string, mustExist: boolean): { exists: boolean } {
  if (existsSync(path)) {
    const st = statSync(path);
    if (st.isDirectory()) throw new StoreError(`database path ${path} is a directory`);
    if (!st.isFile()) throw new StoreError(`database path ${path} is not a regular file`);
    if (!isWritable(path)) throw new StoreError(`database ${path} is read-only`);
    if (!isWritable(dirname(path))) throw new StoreError(`folder of database ${path} is read-only (SQLite needs it for its journal)`);
    if (st.size > 0) {
      const fd = openSync(path, 'r');
      const buf = Buffer.alloc(16);
      try {
        readSync(fd, buf, 0, 16, 0);
      } finally {
        closeSync(fd);
      }
      if (buf.toString('latin1') !== SQLITE_HEADER) throw new StoreError(`${path} is not a lab database (not an SQLite file); it was left untouched`);
    }
    return { exists: st.size > 0 };
  }
  if (mustExist) throw new StoreError(`no lab database at ${path}`);
  const dir = dirname(path);
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new StoreError(`cannot create database ${path}: ${dir} is not a folder`);
    if (!isWritable(dir)) throw new StoreError(`cannot create database ${path}: folder ${dir} is read-only`);
  } else {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (err) {
      throw new StoreError(`cannot create folder ${dir} for the database: ${(err as Error).message}`);
    }
  }
  return { exists: false };
}

/** Open (creating and migrating if needed, unless mustExist) the lab database at `path`. */
export function openDatabase(pathIn: string, mustExist = false): DB {
  const path = resolve(pathIn);
  const { exists } = checkPath(path, mustExist);
  let db: DB;
  try {
    db = new Database(path);
  } catch (err) {
    throw new StoreError(`cannot open database ${path}: ${(err as Error).message}`);
  }
  try {
    if (exists) checkExisting(db, path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL'); // WAL + NORMAL: a committed transaction survives a process crash
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -32768'); // 32 MiB of page cache
    migrate(db, path);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof StoreError) throw err;
    throw new StoreError(`cannot open database ${path}: ${(err as Error).message}`);
  }
}

function checkExisting(db: DB, path: string): void {
  let appId: number;
  let version: number;
  let tables: number;
  try {
    appId = db.pragma('application_id', { simple: true }) as number;
    version = db.pragma('user_version', { simple: true }) as number;
    tables = (db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n;
  } catch (err) {
    throw new StoreError(`${path} is not a lab database (${(err as Error).message}); it was left untouched`);
  }
  if (appId !== APPLICATION_ID && (tables > 0 || version !== 0)) {
    throw new StoreError(`${path} is an SQLite file of another application, not a lab database; it was left untouched`);
  }
  if (version > SCHEMA_VERSION) {
    throw new StoreError(
      `database ${path} has schema version ${version}, newer than this lab's version ${SCHEMA_VERSION}; update MaxEnt Lab to open it`,
    );
  }
  const check = db.pragma('quick_check', { simple: true }) as string;
  if (check !== 'ok') throw new StoreError(`database ${path} fails quick_check (${check}); it was left untouched — restore a backup`);
}

function migrate(db: DB, path: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new StoreError(`database ${path} has schema version ${version}, newer than this lab's version ${SCHEMA_VERSION}`);
  }
  for (let v = version; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
      db.pragma(`application_id = ${APPLICATION_ID}`);
    })();
  }
}
