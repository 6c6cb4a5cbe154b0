// Handlers of the experiment methods: validate a spec as the form changes (every problem with its
// field path, and the expanded grid with a time estimate at the speed measured here), create (and
// launch), list, get, YAML import/export and the bundled paper experiments (resources/experiments).
import { readdirSync, readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { ApiFailure, type Handlers } from '../../src-core/contract/define.ts';
import { parseExperimentText, totalSteps, validateExperiment, type ExpandedRun, type ExperimentSpec, type SpecIssue } from '../../src-core/contract/experiment.ts';
import type { experimentMethods } from '../../src-core/contract/methods/experiments.ts';
import type { RunStatus } from '../../src-core/contract/schemas.ts';
import type { Services } from './services.ts';
import type { SlurmTarget } from '../../src-core/contract/methods/experiments.ts';
import { checkSubmission, ClusterInputError, storeAndSubmit } from '../cluster/submit.ts';
import { SlurmError } from '../cluster/slurm.ts';

export const PRESET_DIR = new URL('../../resources/experiments/', import.meta.url);

function issueText(i: SpecIssue): string {
  return `${i.line ? `line ${i.line}: ` : ''}${i.path}: ${i.message}`;
}

/** The first issue as a failure naming the field (and the line, for text). */
function invalid(issues: SpecIssue[]): ApiFailure {
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return new ApiFailure('invalid_args', `${issueText(first)}${more}`, first.path);
}

export function estimate(s: Services, runs: readonly ExpandedRun[]) {
  const speeds = new Map<string, number | null>();
  let seconds = 0;
  let known = true;
  for (const r of runs) {
    const k = `${r.config.env.id}|${r.config.algo}`;
    if (!speeds.has(k)) speeds.set(k, s.measuredSpeed(r.config.env.id, r.config.algo).sps);
    const sps = speeds.get(k);
    if (!sps) known = false;
    else seconds += r.config.totalSteps / sps;
  }
  const c = Math.max(1, Math.min(s.runsStatus().concurrency, runs.length));
  return { estimatedSeconds: known && runs.length > 0 ? seconds / c : null, speedSource: known && runs.length > 0 ? ('measured' as const) : ('none' as const) };
}

/** Top-level fields that may be dropped (or replaced) to check the rest of a spec. */
const SETTABLE: Record<string, unknown> = { name: 'experiment', description: undefined, tags: undefined, preset: undefined, budget: undefined, eval: undefined, seeds: undefined, backend: undefined };

/**
 * Every problem a form should show at once. The schema is checked before the environments and
 * hyperparameters, so a bad budget would hide a bad gamma: when the shape check fails only on
 * settable top-level fields, check again without them and add what that finds.
 */
function allIssues(spec: unknown, first: SpecIssue[]): { path: string; message: string }[] {
  const out = first.map(({ path, message }) => ({ path, message }));
  const tops = new Set(first.map((i) => i.path.split(/[.[]/)[0]!));
  if (spec === null || typeof spec !== 'object' || ![...tops].every((t) => t in SETTABLE)) return out;
  const patched: Record<string, unknown> = { ...(spec as Record<string, unknown>) };
  for (const t of tops) {
    if (SETTABLE[t] === undefined) delete patched[t];
    else patched[t] = SETTABLE[t];
  }
  const second = validateExperiment(patched).issues;
  for (const i of second) if (!tops.has(i.path.split(/[.[]/)[0]!) && !out.some((o) => o.path === i.path)) out.push({ path: i.path, message: i.message });
  return out;
}

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
    return { id, name: e.name, description: e.description, createdAt: e.createdAt, notes: e.notes, runCount: runIds.length, statusCounts, tags: e.tags, spec: e.spec, source: e.source };
  };
  return {
    'experiments.validate': ({ spec }) => {
      const r = validateExperiment(spec);
      if (r.issues.length > 0 || !r.spec || !r.runs) return { issues: allIssues(spec, r.issues), expansion: null, normalized: null };
      const seeds = Array.isArray(r.spec.seeds) ? r.spec.seeds.length : r.spec.seeds.count;
      return {
        issues: [],
        expansion: {
          runs: r.runs.length,
          algorithms: r.spec.algorithms.length,
          environments: r.spec.environments.length,
          seeds,
          totalSteps: totalSteps(r.runs),
          ...estimate(s, r.runs),
        },
        normalized: r.spec as unknown as Record<string, unknown>,
      };
    },
    'experiments.create': ({ spec: raw, launch, slurm }) => {
      const r = validateExperiment(raw);
      if (r.issues.length > 0 || !r.spec || !r.runs) throw invalid(r.issues);
      const spec = r.spec;
      const runs = r.runs;
      if (slurm) return submitToSlurm(s, spec, runs, slurm);
      const { id, runIds } = store.tx(() => {
        const id = store.experiments.insert({ name: spec.name, description: spec.description, spec, source: stringify(spec), tags: spec.tags });
        const runIds = runs.map((run) => store.runs.insert(run.config, { experimentId: id, label: run.label, tags: spec.tags }));
        return { id, runIds };
      });
      if (launch) s.manager.enqueue(runIds);
      s.events.emit('runs.changed', { runIds });
      return { id, runIds };
    },
    'experiments.list': () =>
      store.experiments.list().map((e) => {
        const { spec: _spec, source: _source, ...rest } = row(e.id);
        return rest;
      }),
    'experiments.get': ({ id }) => {
      const { source: _source, ...r } = row(id);
      return { ...r, spec: (r.spec ?? {}) as Record<string, unknown> };
    },
    'experiments.importYaml': ({ text }) => {
      const r = parseExperimentText(text);
      if (r.issues.length > 0 || !r.spec) throw invalid(r.issues);
      return { spec: r.spec as unknown as Record<string, unknown> };
    },
    'experiments.exportYaml': ({ spec, id }) => {
      if (id !== undefined) {
        const r = row(id);
        return { text: r.source ?? stringify(r.spec) };
      }
      const v = validateExperiment(spec);
      if (v.issues.length > 0 || !v.spec) throw invalid(v.issues);
      return { text: stringify(spec) };
    },
    'experiments.presets': () => {
      const out = [];
      for (const f of readdirSync(PRESET_DIR).filter((n) => n.endsWith('.yaml')).sort()) {
        const text = readFileSync(new URL(f, PRESET_DIR), 'utf8');
        const r = parseExperimentText(text);
        if (!r.spec) continue; // a broken bundled file is caught by the experiment tests, not here
        out.push({ name: f.replace(/\.yaml$/, ''), title: r.spec.description.split(/[.:(]/)[0]!.trim() || r.spec.name, spec: r.spec as unknown as Record<string, unknown> });
      }
      return out;
    },
  };
}

/** The form field a cluster check names (its message starts with the CLI flag), for the Design form. */
function slurmField(message: string): string {
  const flag = /^--(workdir|time|mem|partition)\b/.exec(message)?.[1] ?? (/^unknown partition/.test(message) ? 'partition' : null);
  return flag ? `slurm.${flag}` : 'slurm';
}

/**
 * `experiments.create` with `slurm`: check the cluster, then store the experiment and submit its
 * runs as one job array, all or nothing (src-main/cluster, docs/cluster.md); the app's cluster
 * ingester follows them from then on. A refusal names the field and stores nothing.
 */
function submitToSlurm(s: Services, spec: ExperimentSpec, runs: readonly ExpandedRun[], t: SlurmTarget) {
  const options = {
    ...(t.partition ? { partition: t.partition } : {}),
    ...(t.time ? { time: t.time } : {}),
    ...(t.cpusPerTask !== undefined ? { cpusPerTask: t.cpusPerTask } : {}),
    ...(t.mem ? { mem: t.mem } : {}),
    sbatchArgs: [],
    requeue: t.requeue,
    ...(spec.backend ? { backend: spec.backend } : {}),
  };
  try {
    const workdir = checkSubmission(t.workdir, options);
    const sub = storeAndSubmit(s.store, spec, spec, stringify(spec), runs, { workdir, options });
    s.events.emit('runs.changed', { runIds: sub.runIds });
    return { id: sub.expId, runIds: sub.runIds, slurm: { jobId: sub.jobId, tasks: sub.groups } };
  } catch (err) {
    if (err instanceof ClusterInputError || err instanceof SlurmError) throw new ApiFailure('invalid_args', err.message, slurmField(err.message));
    throw err;
  }
}
