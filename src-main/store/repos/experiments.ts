// Experiments: a named grid spec (validated JSON), the text it came from, tags and notes.
import type { Statement } from 'better-sqlite3';
import type { DB } from '../connection.ts';

export interface ExperimentRecord {
  id: number;
  name: string;
  description: string;
  spec: unknown;
  source: string | null;
  tags: string[];
  notes: string;
  createdAt: number;
}

interface Row {
  id: number;
  name: string;
  description: string;
  spec: string;
  source: string | null;
  tags: string;
  notes: string;
  created_at: number;
}

export class ExperimentsRepo {
  private readonly db: DB;
  private readonly s: Record<'insert' | 'get' | 'list' | 'del' | 'notes' | 'tags' | 'delMetrics' | 'delTiles' | 'runIds', Statement>;
  /** Called with the ids of the runs an experiment delete removed (the store drops the metrics repository's cached state for them). */
  onRunsDeleted: (ids: number[]) => void = () => {};
  constructor(db: DB) {
    this.db = db;
    this.s = {
      runIds: db.prepare('SELECT id FROM runs WHERE experiment_id = ?').pluck(),
      delMetrics: db.prepare('DELETE FROM metrics WHERE run_id IN (SELECT id FROM runs WHERE experiment_id = ?)'),
      delTiles: db.prepare('DELETE FROM metric_tiles WHERE run_id IN (SELECT id FROM runs WHERE experiment_id = ?)'),
      insert: db.prepare('INSERT INTO experiments (name, description, spec, source, tags, notes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      get: db.prepare('SELECT * FROM experiments WHERE id = ?'),
      list: db.prepare('SELECT * FROM experiments ORDER BY id DESC'),
      del: db.prepare('DELETE FROM experiments WHERE id = ?'),
      notes: db.prepare('UPDATE experiments SET notes = ? WHERE id = ?'),
      tags: db.prepare('UPDATE experiments SET tags = ? WHERE id = ?'),
    };
  }

  insert(e: { name: string; description?: string; spec: unknown; source?: string | null; tags?: string[]; notes?: string }): number {
    return Number(
      this.s.insert.run(e.name, e.description ?? '', JSON.stringify(e.spec), e.source ?? null, JSON.stringify(e.tags ?? []), e.notes ?? '', Date.now() / 1000)
        .lastInsertRowid,
    );
  }

  get(id: number): ExperimentRecord | undefined {
    const r = this.s.get.get(id) as Row | undefined;
    return r && toRecord(r);
  }

  list(): ExperimentRecord[] {
    return (this.s.list.all() as Row[]).map(toRecord);
  }

  setNotes(id: number, notes: string): void {
    this.s.notes.run(notes, id);
  }

  setTags(id: number, tags: string[]): void {
    this.s.tags.run(JSON.stringify(tags), id);
  }

  /** Deletes the experiment, its runs and all their data. */
  delete(id: number): void {
    const runIds = this.db.transaction(() => {
      const ids = this.s.runIds.all(id) as number[];
      this.s.delMetrics.run(id);
      this.s.delTiles.run(id);
      this.s.del.run(id);
      return ids;
    })();
    this.onRunsDeleted(runIds);
  }
}

function toRecord(r: Row): ExperimentRecord {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    spec: JSON.parse(r.spec),
    source: r.source,
    tags: JSON.parse(r.tags),
    notes: r.notes,
    createdAt: r.created_at,
  };
}
