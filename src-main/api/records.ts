// Conversions from store records to the contract's JSON shapes (no typed arrays, NaN -> null).
import type { RunDetail, RunRow } from '../../src-core/contract/schemas.ts';
import { ApiFailure } from '../../src-core/contract/define.ts';
import type { RunRecord, Store } from '../store/index.ts';
import type { SlurmTaskRecord } from '../store/repos/slurm-tasks.ts';
import { readHeartbeat } from '../cluster/run-folder.ts';

/** Hyperparameters shown as columns of the runs table, when the algorithm has them. */
export const KEY_HYPERPARAMETERS = ['alpha', 'autoAlpha', 'entCoef', 'gamma', 'actorLr', 'lr', 'batchSize', 'hidden'] as const;

export function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

export function arrayOf(a: ArrayLike<number>): (number | null)[] {
  const out = new Array<number | null>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = Number.isFinite(a[i]!) ? a[i]! : null;
  return out;
}

function hyper(config: Record<string, unknown>): RunRow['hyper'] {
  const out: RunRow['hyper'] = {};
  for (const k of KEY_HYPERPARAMETERS) {
    const v = config[k];
    if (v === undefined) continue;
    if (Array.isArray(v)) out[k] = v.join('x');
    else if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v === null) out[k] = v;
  }
  return out;
}

/** A run as a table row; `slurm` is its placement when it runs on a Slurm cluster. */
export function toRunRow(r: RunRecord, slurm?: SlurmTaskRecord): RunRow {
  const lastEval: RunRow['lastEval'] = {};
  for (const [mode, v] of Object.entries(r.lastEval) as [keyof RunRow['lastEval'], number | null][]) {
    lastEval[mode] = v === null || v === undefined ? null : finiteOrNull(v);
  }
  return {
    id: r.id,
    experimentId: r.experimentId,
    label: r.label,
    envId: r.envId,
    variant: r.variant,
    algo: r.algo,
    preset: r.preset,
    seed: r.seed,
    status: r.status,
    reason: r.reason,
    globalStep: r.globalStep,
    totalSteps: r.totalSteps,
    hyper: hyper((r.config.algoConfig ?? {}) as Record<string, unknown>),
    lastEval,
    tags: r.tags,
    notes: r.notes,
    backend: r.backend,
    // what the last worker was asked for (recorded when it started), else what the config asks for;
    // unknown (omitted) for runs recorded without it (older runs, `lab train`)
    ...(r.versions?.backendRequested || r.config.backend ? { backendRequested: r.versions?.backendRequested ?? r.config.backend } : {}),
    backendFallback: r.versions?.backendFallback ?? null,
    backendEarlier: r.versions?.backendEarlier ?? null,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    ...(slurm
      ? {
          slurm: {
            engine: 'slurm' as const, jobId: slurm.jobId, taskId: slurm.taskId, attempt: slurm.attempt, state: slurm.state, stateReason: slurm.stateReason, stateAt: slurm.stateAt, folder: slurm.folder,
            // a running run's heartbeat, so Runs and Live can flag one that stalled (src-core/contract/cluster-heartbeat.ts)
            ...(r.status === 'running' ? { heartbeatAt: readHeartbeat(slurm.folder)?.time ?? null } : {}),
          },
        }
      : {}),
  };
}

export function toRunDetail(r: RunRecord, slurm?: SlurmTaskRecord): RunDetail {
  const versions: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.versions ?? {})) if (typeof v === 'string') versions[k] = v;
  return { ...toRunRow(r, slurm), params: r.envParams, config: r.config as unknown as Record<string, unknown>, versions };
}

/** The run, or a not_found failure naming the argument. */
export function requireRun(store: Store, id: number, path = 'id'): RunRecord {
  const r = store.runs.get(id);
  if (!r) throw new ApiFailure('not_found', `no run with id ${id}`, path);
  return r;
}
