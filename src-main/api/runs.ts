// Handlers of the run methods: the runs table and one run from the store; start, pause, resume,
// cancel and delete through the run manager; tags and notes written in one transaction each; each
// run's evaluation curve summarised (./eval-summaries.ts).
import { ApiFailure, type Handlers } from '../../src-core/contract/define.ts';
import type { runMethods } from '../../src-core/contract/methods/runs.ts';
import type { RunFilter } from '../store/index.ts';
import { evalSummaries } from './eval-summaries.ts';
import { requireRun, toRunDetail, toRunRow } from './records.ts';
import type { Services } from './services.ts';

const SORT: Record<string, NonNullable<RunFilter['sort']>> = {
  id: 'id',
  envId: 'env',
  algo: 'algo',
  seed: 'seed',
  status: 'status',
  progress: 'step',
  createdAt: 'created',
};

export function runHandlers(s: Services): Handlers<typeof runMethods> {
  const { store } = s;
  const control = (verb: 'start' | 'pause' | 'resume' | 'cancel') => async ({ id }: { id: number }) => {
    requireRun(store, id);
    await s.control[verb](id);
    return { id, status: store.runs.get(id)!.status };
  };
  return {
    'runs.list': (q) => {
      const { total, rows } = store.runs.list({
        ...(q.experimentId !== undefined ? { experimentId: q.experimentId } : {}),
        ...(q.envId !== undefined ? { env: q.envId } : {}),
        ...(q.algo !== undefined ? { algo: q.algo } : {}),
        ...(q.status !== undefined ? { status: q.status } : {}),
        ...(q.tag !== undefined ? { tag: q.tag } : {}),
        ...(q.config ? { config: q.config } : {}),
        sort: SORT[q.sort]!,
        desc: q.dir === 'desc',
        limit: q.limit,
        offset: q.offset,
      });
      return { total, rows: rows.map((r) => toRunRow(r, store.slurm.get(r.id))) };
    },
    'runs.get': ({ id }) => toRunDetail(requireRun(store, id), store.slurm.get(id)),
    'runs.evalSummaries': ({ summary, runIds }) => evalSummaries(store, summary, runIds),
    'runs.start': control('start'),
    'runs.pause': control('pause'),
    'runs.resume': control('resume'),
    'runs.cancel': control('cancel'),
    'runs.delete': async ({ id }) => {
      requireRun(store, id);
      await s.control.delete(id);
      s.events.emit('runs.changed', { runIds: [id] });
      return { id, deleted: true as const };
    },
    'runs.tag': ({ id, tags }) => {
      const run = requireRun(store, id);
      const wanted = [...new Set(tags)];
      store.tx(() => {
        for (const t of run.tags) if (!wanted.includes(t)) store.runs.removeTag(id, t);
        for (const t of wanted) if (!run.tags.includes(t)) store.runs.addTag(id, t);
      });
      s.events.emit('runs.changed', { runIds: [id] });
      return { id, tags: store.runs.get(id)!.tags };
    },
    'runs.note': ({ id, notes }) => {
      requireRun(store, id);
      store.runs.setNotes(id, notes);
      s.events.emit('runs.changed', { runIds: [id] });
      return { id, notes };
    },
    'runs.log': ({ id, tail }) => {
      requireRun(store, id);
      return store.logs.tail(id, tail);
    },
  };
}

/** What a run manager error means for the caller: a state conflict, or something unexpected. */
export function controlFailure(err: unknown): ApiFailure {
  return new ApiFailure('conflict', err instanceof Error ? err.message : String(err));
}
