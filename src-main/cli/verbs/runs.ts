// `lab runs [--env ID] [--algo A] [--status S] [--tag T] [--experiment ID] [--config key=value ...]
//   [--summary last|best|mean-last:K|auc] [--sort id|created|env|algo|status|seed|step|summary] [--desc]
//   [--limit N] [--offset N] [--json] [--db PATH]`: the runs table, the evaluation return summarised as
// --summary says (default: the last evaluation of each mode). `lab runs show ID [--json]`: one run (config, status, checkpoints, evaluations,
// latest metrics, log tail). `lab runs resume ID|--all-interrupted|--experiment ID [--concurrency N]
// [--backend B]`: continue from the last checkpoint (same run id, same global_step axis), on backend B
// where given (a run whose GPU device was lost continues on wasm). `lab runs cancel ID`,
// `lab runs delete ID` (with metrics, trajectories and checkpoint files). `lab runs sync` stores what
// runs on a Slurm cluster have written to their run folders; resume, cancel and delete of such runs go
// through Slurm (src-main/cluster).
import { flagBool, flagMulti, flagString, parseArgs, parseBackendFlag, parseInteger, parseKeyValues } from '../args.ts';
import { UsageError } from '../errors.ts';
import { driveRuns, openStoreForCli, parseId, storeCall } from '../../runs/cli-support.ts';
import { NodeWorkerHost } from '../../runs/host.ts';
import { RunManager, defaultConcurrency } from '../../runs/manager.ts';
import { RUN_STATUSES, RESUMABLE, type RunFilter, type RunStatus, type RunRecord } from '../../store/repos/runs.ts';
import type { Store } from '../../store/index.ts';
import { staleHeartbeatText } from '../../../src-core/contract/cluster-heartbeat.ts';
import { readHeartbeat } from '../../cluster/run-folder.ts';
import { cancelOnSlurm, deleteOnSlurm, onSlurm, resubmitForCli, syncRuns, watchSlurmRuns } from '../../cluster/cli.ts';
import { evalSummaries } from '../../api/eval-summaries.ts';
import { compareByEval, evalSummaryShort, parseEvalSummary, type EvalSummarySpec } from '../../../src-core/stats/eval-summary.ts';
import type { EvalSummaryRow } from '../../../src-core/contract/methods/runs.ts';

export const summary = 'list, show, resume, cancel or delete stored runs';

const SORTS = ['id', 'created', 'env', 'algo', 'status', 'seed', 'step', 'summary'] as const;

function parseValue(text: string): string | number | boolean {
  if (text === 'true' || text === 'false') return text === 'true';
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}

/** For a running Slurm run whose task's heartbeat is too old: "no heartbeat for N min (Slurm says S)". */
function slurmStaleNote(store: Store, r: RunRecord): string | null {
  const p = r.status === 'running' ? store.slurm.get(r.id) : undefined;
  if (!p) return null;
  const text = staleHeartbeatText(r.status, readHeartbeat(p.folder)?.time, Date.now() / 1000);
  return text && `${text} (Slurm says ${p.state ?? 'nothing'}${p.stateAt ? ` as of ${new Date(p.stateAt * 1000).toISOString()}` : ''}; the run is not marked lost)`;
}

function fmtEval(r: RunRecord): string {
  const parts = Object.entries(r.lastEval).map(([m, v]) => `${m.slice(0, 3)} ${typeof v === 'number' ? v.toFixed(2) : 'n/a'}`);
  return parts.join(', ') || '-';
}

/** "det -894.20 (step 120000)", "sto 12.00 (3 evaluations, steps 80000-100000)". */
function fmtSummary(s: EvalSummaryRow | undefined, spec: EvalSummarySpec): string {
  if (!s) return '-';
  const v = `${s.mode.slice(0, 3)} ${s.value === null ? 'non-finite' : s.value.toFixed(2)}`;
  if (spec.kind === 'last' || spec.kind === 'best') return `${v} (step ${s.toStep})`;
  return `${v} (${s.evaluations} evaluation${s.evaluations === 1 ? '' : 's'}, steps ${s.fromStep}-${s.toStep})`;
}

function parseSummaryFlag(text: string | undefined): EvalSummarySpec | undefined {
  if (text === undefined) return undefined;
  try {
    return parseEvalSummary(text);
  } catch (err) {
    throw new UsageError(`--summary: ${(err as Error).message}`);
  }
}

async function listCmd(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    env: { type: 'string' }, algo: { type: 'string' }, status: { type: 'string' }, tag: { type: 'string' },
    experiment: { type: 'string' }, config: { type: 'multi' }, sort: { type: 'string' }, desc: { type: 'boolean' },
    limit: { type: 'string' }, offset: { type: 'string' }, json: { type: 'boolean' }, db: { type: 'string' }, summary: { type: 'string' },
  });
  if (args.positionals.length > 0) throw new UsageError(`unknown subcommand '${args.positionals[0]}' (list, show, resume, cancel, delete, sync)`);
  const spec = parseSummaryFlag(flagString(args, 'summary'));
  const status = flagString(args, 'status');
  if (status !== undefined && !RUN_STATUSES.includes(status as RunStatus)) throw new UsageError(`--status: '${status}' is not one of ${RUN_STATUSES.join(', ')}`);
  const sort = flagString(args, 'sort') ?? 'id';
  if (!(SORTS as readonly string[]).includes(sort)) throw new UsageError(`--sort: '${sort}' is not one of ${SORTS.join(', ')}`);
  if (sort === 'summary' && !spec) throw new UsageError('--sort summary needs --summary last|best|mean-last:K|auc');
  const bySummary = sort === 'summary';
  const exp = flagString(args, 'experiment');
  const filter: RunFilter = {
    env: flagString(args, 'env'),
    algo: flagString(args, 'algo'),
    status: status as RunStatus | undefined,
    tag: flagString(args, 'tag'),
    experimentId: exp === undefined ? undefined : parseId(exp, '--experiment'),
    config: parseKeyValues(flagMulti(args, 'config'), '--config').map(([path, v]) => ({ path: path.replace(/^config\./, ''), value: parseValue(v) })),
    sort: bySummary ? 'id' : (sort as RunFilter['sort']),
    desc: flagBool(args, 'desc'),
  };
  const limit = flagString(args, 'limit') === undefined ? undefined : parseInteger(flagString(args, 'limit')!, '--limit', 1);
  const offset = flagString(args, 'offset') === undefined ? undefined : parseInteger(flagString(args, 'offset')!, '--offset', 0);
  // sorted by the summary, every matching run is read and summarised, then paged here
  if (!bySummary) Object.assign(filter, { limit, offset });
  const store = openStoreForCli(flagString(args, 'db'), { mustExist: true });
  try {
    store.runs.recoverOrphans();
    const listed = await storeCall(() => store.runs.list(filter));
    const { total } = listed;
    let rows = listed.rows;
    const summarised = spec && evalSummaries(store, spec, rows.map((r) => r.id));
    const summaryOf = new Map(summarised?.rows.map((s) => [s.runId, s]));
    if (bySummary) {
      const ranked = (id: number) => ({ id, mode: summaryOf.get(id)?.mode ?? null, value: summaryOf.get(id)?.value ?? null });
      rows = [...rows].sort((a, b) => compareByEval(ranked(a.id), ranked(b.id), flagBool(args, 'desc')));
      rows = rows.slice(offset ?? 0, limit === undefined ? undefined : (offset ?? 0) + limit);
    }
    if (flagBool(args, 'json')) {
      const out = summarised ? { total, summary: { ...spec, label: summarised.label }, rows: rows.map((r) => ({ ...r, evalSummary: summaryOf.get(r.id) ?? null })) } : { total, rows };
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      return 0;
    }
    if (rows.length === 0) {
      process.stdout.write(`no runs match (${total} total)\n`);
      return 0;
    }
    const table = [
      ['id', 'exp', 'env', 'algo', 'seed', 'status', 'step', spec ? `eval return (${evalSummaryShort(spec)})` : 'last eval return', 'tags'],
      ...rows.map((r) => [
        String(r.id), r.experimentId === null ? '-' : String(r.experimentId), `${r.envId}${r.variant !== 'default' ? `/${r.variant}` : ''}`, r.algo,
        String(r.seed), r.status, `${r.globalStep}/${r.totalSteps}`, spec ? fmtSummary(summaryOf.get(r.id), spec) : fmtEval(r), r.tags.join(','),
      ]),
    ];
    const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
    process.stdout.write(`${table.map((row) => row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n')}\n`);
    if (total > rows.length) process.stdout.write(`(${rows.length} of ${total} shown)\n`);
    if (summarised) process.stdout.write(`eval return (${evalSummaryShort(spec!)}): ${summarised.label}; deterministic (det) where the run has deterministic evaluations, else stochastic (sto)\n`);
    for (const r of rows) {
      const stale = slurmStaleNote(store, r);
      if (stale) process.stdout.write(`run ${r.id}: ${stale}\n`);
    }
    return 0;
  } finally {
    store.close();
  }
}

function showRun(store: Store, id: number, json: boolean): void {
  const r = store.runs.get(id);
  if (!r) throw new UsageError(`no run with id ${id}`);
  const detail = {
    ...r,
    checkpoints: store.checkpoints.list(id).map((c) => ({ step: c.step, file: c.file, size: c.size })),
    evaluations: store.evaluations.list(id).map((e) => ({ step: e.step, mode: e.mode, meanReturn: e.meanReturn, stdReturn: e.stdReturn, episodes: e.returns.length })),
    latestMetrics: store.metrics.latest(id),
    episodes: store.episodes.count(id),
    log: store.logs.tail(id, 20),
    slurm: store.slurm.get(id) ?? null,
  };
  if (json) {
    process.stdout.write(`${JSON.stringify(detail, null, 2)}\n`);
    return;
  }
  const out: string[] = [];
  out.push(`run ${r.id}${r.label ? ` "${r.label}"` : ''}: ${r.status}${r.reason ? ` (${r.reason})` : ''}`);
  out.push(`  environment ${r.envId} variant ${r.variant}, params ${JSON.stringify(r.envParams)}`);
  out.push(`  algorithm ${r.algo}, preset ${r.preset}, seed ${r.seed}; step ${r.globalStep}/${r.totalSteps}`);
  out.push(`  backend ${r.backend ?? '-'}; versions ${r.versions ? JSON.stringify(r.versions) : '-'}`);
  out.push(`  experiment ${r.experimentId ?? '-'}; tags ${r.tags.join(', ') || '-'}`);
  const p = detail.slurm;
  if (p) {
    const stale = slurmStaleNote(store, r);
    out.push(`  Slurm: job ${p.jobId ?? '-'} task ${p.taskId ?? '-'} (submission ${p.attempt}), state ${p.state ?? '-'}${p.stateReason ? ` (${p.stateReason})` : ''}; run folder ${p.folder}${stale ? `; ${stale}` : ''}`);
  }
  out.push(`  config ${JSON.stringify(r.config)}`);
  out.push(`  checkpoints: ${detail.checkpoints.map((c) => c.step).join(', ') || 'none'}`);
  out.push(`  training episodes: ${detail.episodes}`);
  out.push('  evaluations (step mode: mean return over episodes):');
  for (const e of detail.evaluations.slice(-10)) out.push(`    ${e.step} ${e.mode}: ${e.meanReturn.toFixed(3)} (std ${e.stdReturn.toFixed(3)}, ${e.episodes} episodes)`);
  out.push('  latest metrics:');
  for (const m of detail.latestMetrics) out.push(`    ${m.key} = ${m.value} (step ${m.step})`);
  if (detail.log.length > 0) {
    out.push('  log:');
    for (const l of detail.log) out.push(`    ${l.level}: ${l.message.split('\n')[0]}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

async function showCmd(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { json: { type: 'boolean' }, db: { type: 'string' } });
  if (args.positionals.length !== 1) throw new UsageError('usage: lab runs show ID [--json] [--db PATH]');
  const id = parseId(args.positionals[0]);
  const store = openStoreForCli(flagString(args, 'db'), { mustExist: true });
  try {
    store.runs.recoverOrphans();
    showRun(store, id, flagBool(args, 'json'));
    return 0;
  } finally {
    store.close();
  }
}

async function resumeCmd(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    'all-interrupted': { type: 'boolean' }, experiment: { type: 'string' }, concurrency: { type: 'string' },
    backend: { type: 'string' }, db: { type: 'string' },
  });
  const all = flagBool(args, 'all-interrupted');
  const exp = flagString(args, 'experiment');
  if ([args.positionals.length > 0, all, exp !== undefined].filter(Boolean).length !== 1 || args.positionals.length > 1) {
    throw new UsageError('usage: lab runs resume ID|--all-interrupted|--experiment ID [--concurrency N] [--backend B] [--db PATH]');
  }
  const c = flagString(args, 'concurrency');
  const concurrency = c === undefined ? defaultConcurrency() : parseInteger(c, '--concurrency', 1);
  const backend = parseBackendFlag(flagString(args, 'backend'));
  const id = args.positionals.length === 1 ? parseId(args.positionals[0]) : undefined;
  const expId = exp === undefined ? undefined : parseId(exp, '--experiment');
  const store = openStoreForCli(flagString(args, 'db'), { mustExist: true });
  try {
    store.runs.recoverOrphans();
    let ids: number[];
    if (id !== undefined) {
      const r = store.runs.get(id);
      if (!r) throw new UsageError(`no run with id ${id}`);
      if (!RESUMABLE.includes(r.status)) throw new UsageError(`run ${id} is ${r.status}; only paused, interrupted, failed or queued runs can be resumed`);
      ids = [id];
    } else if (all) ids = store.runs.idsWithStatus('interrupted');
    else {
      if (!store.experiments.get(expId!)) throw new UsageError(`no experiment with id ${expId}`);
      ids = store.runs.idsOfExperiment(expId!).filter((i) => RESUMABLE.includes(store.runs.get(i)!.status));
    }
    if (ids.length === 0) {
      process.stdout.write('nothing to resume\n');
      return 0;
    }
    const dbHint = flagString(args, 'db') ? ` --db ${flagString(args, 'db')}` : '';
    const slurmIds = onSlurm(store, ids);
    if (slurmIds.length > 0) {
      // runs placed on Slurm are submitted again (docs/cluster.md); local ones run here as usual
      const submitted = await resubmitForCli(store, slurmIds);
      ids = ids.filter((i) => !slurmIds.includes(i));
      if (ids.length === 0) return submitted.length === 0 ? (process.stdout.write('nothing to resume on Slurm\n'), 0) : await watchSlurmRuns(store, submitted, `lab runs sync --wait${dbHint}`);
    }
    process.stdout.write(`resuming ${ids.length} run${ids.length > 1 ? 's' : ''} (${ids.join(', ')}), ${concurrency} at a time\n`);
    const hint = ids.length === 1 ? `lab runs resume ${ids[0]}${dbHint}` : expId !== undefined ? `lab runs resume --experiment ${expId}${dbHint}` : `lab runs resume ${ids.join(' / ')}${dbHint}`;
    return await driveRuns(store, ids, { concurrency, backend, resumeHint: hint });
  } finally {
    store.close();
  }
}

async function stopCmd(argv: string[], what: 'cancel' | 'delete'): Promise<number> {
  const args = parseArgs(argv, { db: { type: 'string' } });
  if (args.positionals.length !== 1) throw new UsageError(`usage: lab runs ${what} ID [--db PATH]`);
  const id = parseId(args.positionals[0]);
  const store = openStoreForCli(flagString(args, 'db'), { mustExist: true });
  try {
    const manager = new RunManager({ store, host: new NodeWorkerHost(), concurrency: 1 });
    if (!store.runs.get(id)) throw new UsageError(`no run with id ${id}`);
    let onSlurmNote = '';
    if (store.slurm.get(id)) {
      if (what === 'cancel') onSlurmNote = (await storeCall(() => cancelOnSlurm(store, id))).reason;
      else onSlurmNote = await storeCall(() => deleteOnSlurm(store, id, () => manager.delete(id)));
    } else await storeCall(() => (what === 'cancel' ? manager.cancel(id) : manager.delete(id)));
    // on Slurm, say what happened to its task (scancel, or its seed group goes on without it)
    if (what === 'cancel') process.stdout.write(onSlurmNote ? `run ${id} ${onSlurmNote}\n` : `run ${id} cancelled\n`);
    else process.stdout.write(`run ${id} deleted with its metrics, trajectories and checkpoint files${onSlurmNote ? `; ${onSlurmNote}` : ''}\n`);
    return 0;
  } finally {
    store.close();
  }
}

/** `lab runs sync [--experiment ID] [--wait]`: store what the run folders of Slurm runs hold (docs/cluster.md). */
async function syncCmd(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { experiment: { type: 'string' }, wait: { type: 'boolean' }, db: { type: 'string' } });
  if (args.positionals.length > 0) throw new UsageError('usage: lab runs sync [--experiment ID] [--wait] [--db PATH]');
  const exp = flagString(args, 'experiment');
  const expId = exp === undefined ? undefined : parseId(exp, '--experiment');
  const store = openStoreForCli(flagString(args, 'db'), { mustExist: true });
  try {
    if (expId !== undefined && !store.experiments.get(expId)) throw new UsageError(`no experiment with id ${expId}`);
    const dbHint = flagString(args, 'db') ? ` --db ${flagString(args, 'db')}` : '';
    return await syncRuns(store, expId, flagBool(args, 'wait'), `lab runs sync${exp ? ` --experiment ${exp}` : ''} --wait${dbHint}`);
  } finally {
    store.close();
  }
}

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'show':
      return showCmd(rest);
    case 'resume':
      return resumeCmd(rest);
    case 'cancel':
      return stopCmd(rest, 'cancel');
    case 'delete':
      return stopCmd(rest, 'delete');
    case 'list':
      return listCmd(rest);
    case 'sync':
      return syncCmd(rest);
    default:
      return listCmd(argv);
  }
}
