// Checkpoint records: the files themselves are written atomically by the worker (tmp + rename);
// a row is added when the worker reports the file, so every row points at a complete file.
import type { Statement } from 'better-sqlite3';
import type { DB } from '../connection.ts';

export interface CheckpointRecord {
  id: number;
  runId: number;
  step: number;
  file: string;
  size: number;
  createdAt: number;
}

export class CheckpointsRepo {
  private readonly s: Record<string, Statement>;
  constructor(db: DB) {
    this.s = {
      insert: db.prepare('INSERT OR REPLACE INTO checkpoints (run_id, step, file, size, created_at) VALUES (?, ?, ?, ?, ?)'),
      list: db.prepare('SELECT * FROM checkpoints WHERE run_id = ? ORDER BY step'),
      latest: db.prepare('SELECT * FROM checkpoints WHERE run_id = ? ORDER BY step DESC LIMIT 1'),
      after: db.prepare('SELECT * FROM checkpoints WHERE run_id = ? AND step > ? ORDER BY step'),
      deleteAfter: db.prepare('DELETE FROM checkpoints WHERE run_id = ? AND step > ?'),
      del: db.prepare('DELETE FROM checkpoints WHERE id = ?'),
    };
  }

  insert(runId: number, step: number, file: string, size: number): void {
    this.s.insert!.run(runId, step, file, size, Date.now() / 1000);
  }

  list(runId: number): CheckpointRecord[] {
    return (this.s.list!.all(runId) as Record<string, unknown>[]).map(toRecord);
  }

  latest(runId: number): CheckpointRecord | undefined {
    const r = this.s.latest!.get(runId) as Record<string, unknown> | undefined;
    return r && toRecord(r);
  }

  /** Rows after `step` (their files are deleted by the caller). */
  after(runId: number, step: number): CheckpointRecord[] {
    return (this.s.after!.all(runId, step) as Record<string, unknown>[]).map(toRecord);
  }

  deleteAfter(runId: number, step: number): void {
    this.s.deleteAfter!.run(runId, step);
  }

  delete(id: number): void {
    this.s.del!.run(id);
  }
}

function toRecord(r: Record<string, unknown>): CheckpointRecord {
  return { id: r.id as number, runId: r.run_id as number, step: r.step as number, file: r.file as string, size: r.size as number, createdAt: r.created_at as number };
}
