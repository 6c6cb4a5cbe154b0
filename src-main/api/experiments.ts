// Handlers of the experiment methods: validate a spec as the form changes, create (and launch),
// list, get, YAML import/export and the bundled paper experiments.
import { ApiFailure, type Handlers } from '../../src-core/contract/define.ts';
import type { experimentMethods } from '../../src-core/contract/methods/experiments.ts';
import type { RunStatus } from '../../src-core/contract/schemas.ts';
import type { Services } from './services.ts';

export function experimentHandlers(s: Services): Handlers<typeof experimentMethods> {
  const { store } = s;
  const row = (id: number) => {
    const e = store.experiments.get(id);
    if (!e) throw new ApiFailure('not_found', `no experiment with id ${id}`, 'id');
    const runIds = store.runs.idsOfExperiment(id);
    const statusCounts: Partial<Record<RunStatus, number>> = {};
    for (const rid of runIds) {
      const st = store.runs.get(rid)!.status;
      statusCounts[st] = (statusCounts[st] ?? 0) + 1;
    }
    return { id, name: e.name, description: e.description, createdAt: e.createdAt, notes: e.notes, runCount: runIds.length, statusCounts, tags: e.tags, spec: e.spec };
  };
  const pending = (name: string) => () => {
    throw new ApiFailure('unavailable', `${name}: waiting for the experiment schema (src-core/contract/experiment.ts)`);
  };
  return {
    'experiments.validate': pending('experiments.validate'),
    'experiments.create': pending('experiments.create'),
    'experiments.list': () =>
      store.experiments.list().map((e) => {
        const { spec: _spec, ...rest } = row(e.id);
        return rest;
      }),
    'experiments.get': ({ id }) => {
      const r = row(id);
      return { ...r, spec: (r.spec ?? {}) as Record<string, unknown> };
    },
    'experiments.importYaml': pending('experiments.importYaml'),
    'experiments.exportYaml': pending('experiments.exportYaml'),
    'experiments.presets': pending('experiments.presets'),
  };
}
