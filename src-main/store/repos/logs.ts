// A run's log lines (what the worker reported), for the Live view's log tail and `lab runs show`.
import type { Statement } from 'better-sqlite3';
import type { DB } from '../connection.ts';

export interface LogLine {
  time: number;
  level: string;
  message: string;
}

export class LogsRepo {
  private readonly s: Record<string, Statement>;
  constructor(db: DB) {
    this.s = {
      insert: db.prepare('INSERT INTO run_logs (run_id, time, level, message) VALUES (?, ?, ?, ?)'),
      tail: db.prepare('SELECT time, level, message FROM (SELECT id, time, level, message FROM run_logs WHERE run_id = ? ORDER BY id DESC LIMIT ?) ORDER BY id'),
    };
  }

  insert(runId: number, level: string, message: string): void {
    this.s.insert!.run(runId, Date.now() / 1000, level, message.slice(0, 4000));
  }

  tail(runId: number, n = 50): LogLine[] {
    return this.s.tail!.all(runId, n) as LogLine[];
  }
}
