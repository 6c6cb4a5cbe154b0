// `lab export (RUN_ID [RUN_ID ...] | --experiment ID) --format csv|sb3|json|tensorboard --out DIR [--db PATH]`
// - csv: run-<id>.csv per run, long format: key,step,wall_time,value (NaN written as nan).
// - sb3: run-<id>/monitor.csv (SB3's JSON header line, then r,l,t per training episode) and
//   run-<id>/progress.csv (one row per logged step, SB3 key names; see SB3_PROGRESS_KEYS), the
//   layout SB3's `load_results`/`read_csv` and RL Zoo's plotting scripts read.
// - json: runs.json with the experiment (if any) and each run's record, config and evaluations.
// - tensorboard: one folder per run with a TensorBoard event file (../../export/tensorboard.ts):
//   `tensorboard --logdir DIR` shows the runs beside others' CleanRL or SB3 logs.
import { mkdirSync, existsSync, statSync, writeFileSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { flagString, parseArgs } from '../args.ts';
import { UsageError } from '../errors.ts';
import { openStoreForCli, parseId } from '../../runs/cli-support.ts';
import type { Store } from '../../store/index.ts';
import { exportTensorboard } from '../../export/tensorboard.ts';

export const summary = 'export runs as long CSV, SB3/RL Zoo monitor+progress CSVs, JSON records or TensorBoard event files';

/**
 * Lab metric key -> SB3 logger key. Keys without an SB3 counterpart are written under their lab
 * names. Derived columns: time/total_timesteps (the step), time/time_elapsed (wall time),
 * rollout/ep_rew_mean and rollout/ep_len_mean (mean of the last 100 training episodes, as SB3),
 * train/critic_loss = 0.5 (qf1 + qf2) (SB3 sums half MSEs over critics), train/entropy_loss = -policy/gaussian_entropy (PPO).
 */
export const SB3_PROGRESS_KEYS: Record<string, string> = {
  'charts/SPS': 'time/fps',
  'eval/deterministic/return_mean': 'eval/mean_reward',
  'eval/deterministic/length_mean': 'eval/mean_ep_length',
  'losses/actor_loss': 'train/actor_loss',
  'losses/alpha': 'train/ent_coef',
  'losses/alpha_loss': 'train/ent_coef_loss',
  'losses/value_loss': 'train/value_loss',
  'losses/policy_loss': 'train/policy_gradient_loss',
  'losses/approx_kl': 'train/approx_kl',
  'losses/clipfrac': 'train/clip_fraction',
  'losses/explained_variance': 'train/explained_variance',
};
const SKIP = new Set(['charts/episodic_return', 'charts/episodic_length']); // in monitor.csv and rollout/*

const num = (v: number | undefined): string => (v === undefined ? '' : Number.isNaN(v) ? 'nan' : String(v));

async function writeLines(file: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(file);
  for (const line of lines) if (!out.write(`${line}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

async function exportCsv(store: Store, id: number, dir: string): Promise<string> {
  const file = join(dir, `run-${id}.csv`);
  await writeLines(file, (function* () {
    yield 'key,step,wall_time,value';
    for (const p of store.metrics.all(id)) yield `${csvCell(p.key)},${p.step},${p.wallTime},${num(p.value)}`;
  })());
  return file;
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function exportSb3(store: Store, id: number, dir: string): Promise<string> {
  const run = store.runs.get(id)!;
  const runDir = join(dir, `run-${id}`);
  mkdirSync(runDir, { recursive: true });
  const episodes = store.episodes.list(id);
  const header = { t_start: run.startedAt ?? run.createdAt, env_id: `${run.envId}/${run.variant}` };
  await writeLines(join(runDir, 'monitor.csv'), [`#${JSON.stringify(header)}`, 'r,l,t', ...episodes.map((e) => `${num(e.return)},${e.length},${e.wallTime}`)]);

  // progress.csv: one row per step at which any exported key was logged
  const rows = new Map<number, Map<string, number>>();
  const wall = new Map<number, number>();
  const put = (step: number, key: string, v: number) => {
    let r = rows.get(step);
    if (!r) rows.set(step, (r = new Map()));
    r.set(key, v);
  };
  const qf = new Map<number, number[]>();
  for (const p of store.metrics.all(id)) {
    if (SKIP.has(p.key)) continue;
    wall.set(p.step, Math.max(wall.get(p.step) ?? 0, p.wallTime));
    if (p.key === 'losses/qf1_loss' || p.key === 'losses/qf2_loss') {
      const list = qf.get(p.step) ?? [];
      list.push(p.value);
      qf.set(p.step, list);
    }
    // SB3's train/entropy_loss is PPO's -mean analytic Gaussian entropy: only policy/gaussian_entropy is that
    // quantity (SAC's policy/entropy is a -log pi estimate of the squashed policy; issue 18)
    if (p.key === 'policy/gaussian_entropy') put(p.step, 'train/entropy_loss', -p.value);
    put(p.step, SB3_PROGRESS_KEYS[p.key] ?? p.key, p.value);
  }
  for (const [step, list] of qf) if (list.length === 2) put(step, 'train/critic_loss', 0.5 * (list[0]! + list[1]!));
  const steps = [...rows.keys()].sort((a, b) => a - b);
  // rolling mean over the last 100 training episodes finished at or before each row's step
  let e = 0;
  const window: { r: number; l: number }[] = [];
  for (const step of steps) {
    while (e < episodes.length && episodes[e]!.step <= step) {
      window.push({ r: episodes[e]!.return, l: episodes[e]!.length });
      if (window.length > 100) window.shift();
      e++;
    }
    if (window.length > 0) {
      put(step, 'rollout/ep_rew_mean', window.reduce((a, w) => a + w.r, 0) / window.length);
      put(step, 'rollout/ep_len_mean', window.reduce((a, w) => a + w.l, 0) / window.length);
    }
  }
  const keys = new Set<string>();
  for (const r of rows.values()) for (const k of r.keys()) keys.add(k);
  const columns = ['time/total_timesteps', 'time/time_elapsed', ...[...keys].sort()];
  await writeLines(join(runDir, 'progress.csv'), (function* () {
    yield columns.map(csvCell).join(',');
    for (const step of steps) {
      const r = rows.get(step)!;
      yield [String(step), num(wall.get(step)), ...columns.slice(2).map((k) => num(r.get(k)))].join(',');
    }
  })());
  return runDir;
}

function exportJson(store: Store, ids: number[], experimentId: number | undefined, dir: string): string {
  const file = join(dir, 'runs.json');
  const doc = {
    format: 'maxent-lab-runs',
    exportedAt: new Date().toISOString(),
    experiment: experimentId === undefined ? null : store.experiments.get(experimentId),
    runs: ids.map((id) => ({ ...store.runs.get(id)!, evaluations: store.evaluations.list(id), checkpoints: store.checkpoints.list(id) })),
  };
  writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
  return file;
}

/** The formats written one run at a time (json writes one file for all). */
const PER_RUN = { csv: exportCsv, sb3: exportSb3, tensorboard: exportTensorboard };
const FORMATS = ['csv', 'sb3', 'json', 'tensorboard'];
const USAGE = 'lab export (RUN_ID [RUN_ID ...] | --experiment ID) --format csv|sb3|json|tensorboard --out DIR [--db PATH]';

export async function run(argv: string[]): Promise<number> {
  const written = await exportTo(argv);
  process.stdout.write(`${written.join('\n')}\n`);
  return 0;
}

/** What `lab export ARGV` writes, without printing it (the app's exports call this); returns the paths written. */
export async function exportTo(argv: string[]): Promise<string[]> {
  const args = parseArgs(argv, { experiment: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, db: { type: 'string' } });
  const exp = flagString(args, 'experiment');
  if ((args.positionals.length > 0) === (exp !== undefined)) {
    throw new UsageError(`usage: ${USAGE}`);
  }
  const format = flagString(args, 'format');
  if (!format || !FORMATS.includes(format)) throw new UsageError(`--format: ${format ? `'${format}' is not` : 'give'} one of ${FORMATS.join(', ')}`);
  const out = flagString(args, 'out');
  if (!out) throw new UsageError('--out DIR is required');
  if (existsSync(out) && !statSync(out).isDirectory()) throw new UsageError(`--out: ${out} exists and is not a folder`);
  const runIds = args.positionals.map((p) => parseId(p));
  const expId = exp === undefined ? undefined : parseId(exp, '--experiment');
  const store = openStoreForCli(flagString(args, 'db'), { mustExist: true });
  try {
    let ids: number[];
    if (runIds.length > 0) {
      const missing = runIds.find((id) => !store.runs.get(id));
      if (missing !== undefined) throw new UsageError(`no run with id ${missing}`);
      ids = [...new Set(runIds)];
    } else {
      if (!store.experiments.get(expId!)) throw new UsageError(`no experiment with id ${expId}`);
      ids = store.runs.idsOfExperiment(expId!);
    }
    mkdirSync(out, { recursive: true });
    const written: string[] = [];
    if (format === 'json') written.push(exportJson(store, ids, expId, out));
    else for (const id of ids) written.push(await PER_RUN[format as keyof typeof PER_RUN](store, id, out));
    return written;
  } finally {
    store.close();
  }
}
