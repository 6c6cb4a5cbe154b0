// Where the lab database lives. The desktop app passes its user-data folder; the CLI takes
// --db PATH, else $LAB_DB, else the per-user default $XDG_DATA_HOME/maxent-lab/lab.db
// (~/.local/share/maxent-lab/lab.db when XDG_DATA_HOME is unset; %APPDATA%\maxent-lab\lab.db on Windows).
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'maxent-lab', 'lab.db');
  const base = env.XDG_DATA_HOME && env.XDG_DATA_HOME !== '' ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share');
  return join(base, 'maxent-lab', 'lab.db');
}

/** The database path for the CLI: the --db flag, else LAB_DB, else the per-user default. */
export function resolveDbPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag !== undefined && flag !== '') return flag;
  if (env.LAB_DB) return env.LAB_DB;
  return defaultDbPath(env);
}

/** Folder holding a run's checkpoint files: beside the database, `<db>.checkpoints/run-<id>`. */
export function checkpointDir(dbPath: string, runId: number): string {
  return join(`${dbPath}.checkpoints`, `run-${runId}`);
}
