// `lab train`: train one agent on one environment, showing a progress bar (steps, steps/s, ETA,
// last evaluation return per mode) and writing the run folder (config.json, metrics.csv,
// evaluations.csv, checkpoints/; see src-main/engine/run_folder.ts). Ctrl-C writes a checkpoint
// and prints the exact command that resumes the run. Bad flags: one line, exit 2.
// `--seeds 0,1,2,3,4` trains those seeds as one seed group (issue 12: one batched computation in
// this process); each seed is its own run, with its own folder (OUT/seed-N) and store record, and
// resumes alone or with the others (`--resume DIR ...`, one folder per seed).
import path from 'node:path';
import type { BackendInfo, BackendName } from '../../engine/backend.ts';
import { RunFolder } from '../../engine/run_folder.ts';
// Light imports only until the flags are valid: tfjs loads (seconds) after validation.
import { resolveRunConfig } from '../../../src-core/train/run_config.ts';
import type { Progress, RunConfig } from '../../../src-core/train/types.ts';
import { PRESET_NAMES, type PresetName } from '../../../src-core/presets/index.ts';
import { flagMulti, flagString, parseArgs, parseBackendFlag, parseInteger, parseKeyValues } from '../args.ts';
import { UsageError } from '../errors.ts';
import { openTrainStore } from '../../runs/train-sink.ts';
import { combineCallbacks } from '../../runs/store-sink.ts';

export const summary = 'train an agent (sac, sac-auto, sac-adaent, ppo, td3) on an environment; writes a run folder';

const USAGE =
  'usage: lab train --env ID [--variant V] --algo sac|sac-auto|sac-adaent|ppo|td3 [--preset paper|quick] ' +
  '[--set key=value ...] [--seed N | --seeds N,N,...] [--steps N] [--backend auto|webgpu|tensorflow|wasm|cpu] [--out DIR] [--db PATH] | --resume DIR [--resume DIR ...] [--backend B] [--db PATH]';

const FLAGS = {
  env: { type: 'string' },
  variant: { type: 'string' },
  algo: { type: 'string' },
  preset: { type: 'string' },
  set: { type: 'multi' },
  seed: { type: 'string' },
  seeds: { type: 'string' },
  steps: { type: 'string' },
  backend: { type: 'string' },
  out: { type: 'string' },
  resume: { type: 'multi' },
  db: { type: 'string' }, // the run is also recorded in the lab database (--db, $LAB_DB or the per-user default)
} as const;

function usage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

function formatDuration(secs: number): string {
  if (!Number.isFinite(secs)) return '--';
  const s = Math.round(secs);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s % 60).padStart(2, '0')}s`;
}

function progressLine(p: Progress): string {
  const frac = Math.min(1, p.globalStep / p.totalSteps);
  const width = 24;
  const filled = Math.round(frac * width);
  const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
  const eta = p.sps > 0 ? (p.totalSteps - p.globalStep) / p.sps : Number.POSITIVE_INFINITY;
  const ev = (m: 'deterministic' | 'stochastic') => (p.lastEval[m] === undefined ? '--' : p.lastEval[m]!.toFixed(2));
  return `[${bar}] ${p.globalStep}/${p.totalSteps} steps  ${p.sps.toFixed(0)} steps/s  ETA ${formatDuration(eta)}  eval return det ${ev('deterministic')} sto ${ev('stochastic')}`;
}

function parseBackend(text: string | undefined): BackendName | 'auto' {
  return parseBackendFlag(text) ?? 'auto';
}

/** The distinct seeds of `--seeds 0,1,2` (at least one). */
function parseSeeds(text: string): number[] {
  const seeds = text.split(',').map((t) => parseInteger(t.trim(), '--seeds', 0));
  if (new Set(seeds).size !== seeds.length) throw new UsageError(`--seeds: '${text}' repeats a seed`);
  return seeds;
}

function newRunConfigs(args: ReturnType<typeof parseArgs>): RunConfig[] {
  const seedsText = flagString(args, 'seeds');
  if (seedsText === undefined) return [newRunConfig(args)];
  if (flagString(args, 'seed') !== undefined) throw new UsageError('give --seed N or --seeds N,N,..., not both');
  const base = newRunConfig(args);
  return parseSeeds(seedsText).map((seed) => ({ ...base, seed }));
}

function newRunConfig(args: ReturnType<typeof parseArgs>): RunConfig {
  const env = flagString(args, 'env');
  const algo = flagString(args, 'algo');
  if (!env) throw new UsageError(`--env is required (${USAGE})`);
  if (!algo) throw new UsageError(`--algo is required (${USAGE})`);
  const preset = flagString(args, 'preset') ?? 'paper';
  if (!PRESET_NAMES.includes(preset as PresetName)) throw new UsageError(`--preset: '${preset}' is not one of ${PRESET_NAMES.join(', ')}`);
  const overrides: Record<string, unknown> = {};
  for (const [k, v] of parseKeyValues(flagMulti(args, 'set'), '--set')) {
    if (k in overrides) throw new UsageError(`--set: '${k}' given more than once`);
    overrides[k] = v;
  }
  const steps = flagString(args, 'steps');
  if (steps !== undefined) overrides.totalSteps = parseInteger(steps, '--steps', 1);
  const seedText = flagString(args, 'seed');
  const seed = seedText === undefined ? undefined : parseInteger(seedText, '--seed', 0);
  return usage(() => resolveRunConfig({ env, variant: flagString(args, 'variant'), algo, preset: preset as PresetName, seed, overrides }));
}

/** One seed's run folder, resume point and store record. */
interface SeedJob {
  config: RunConfig;
  folder: RunFolder;
  resume?: { step: number; bytes: Uint8Array };
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, FLAGS);
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}' (${USAGE})`);
  const resumeDirs = flagMulti(args, 'resume');
  const backendChoice = parseBackend(flagString(args, 'backend'));
  let jobs: SeedJob[];
  if (resumeDirs.length > 0) {
    const extra = [...args.flags.keys()].filter((k) => k !== 'resume' && k !== 'backend' && k !== 'db');
    if (extra.length > 0) throw new UsageError(`--resume continues the run as configured in ${resumeDirs[0]}; do not combine it with --${extra[0]}`);
    jobs = resumeDirs.map((dir) => {
      const folder = new RunFolder(dir);
      return { folder, config: usage(() => folder.readMeta().config), resume: usage(() => folder.latestCheckpoint()) };
    });
  } else {
    const configs = newRunConfigs(args);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
    const c0 = configs[0]!;
    const out = flagString(args, 'out') ?? path.join('runs', `${c0.env.id}-${c0.algo}-s${configs.map((c) => c.seed).join('_')}-${stamp}`);
    jobs = configs.map((config) => ({ config, folder: new RunFolder(configs.length === 1 ? out : path.join(out, `seed-${config.seed}`)) }));
  }
  const { initBackend } = await import('../../engine/backend.ts');
  if (backendChoice === 'webgpu') {
    // asked in a child process first: no adapter is then one clear line, without Dawn's native noise
    const { probeWebgpu } = await import('../../engine/webgpu-probe.ts');
    const { adapter, reason } = await probeWebgpu();
    if (!adapter) throw new UsageError(`--backend webgpu: ${reason}`);
  }
  const { createGroupTrainer, canShareGroup } = await import('../../../src-core/train/index.ts');
  for (const j of jobs.slice(1)) {
    if (!canShareGroup(jobs[0]!.config, j.config)) throw new UsageError(`--resume: ${j.folder.dir} is not the same run as ${jobs[0]!.folder.dir} with another seed, so they cannot train as one group`);
  }
  let backend: BackendInfo;
  try {
    const c0 = jobs[0]!.config;
    backend = await initBackend(backendChoice, { algo: c0.algo, hidden: (c0.algoConfig as { hidden?: number[] }).hidden ?? [], K: jobs.length });
  } catch (err) {
    throw new UsageError(`--backend ${backendChoice}: ${err instanceof Error ? err.message : String(err)}`);
  }
  backend.versions.backendRequested = backendChoice; // recorded with the run, as the run manager does
  if (jobs.length > 1) backend.versions.seedGroup = jobs.map((j) => j.config.seed).join(',');
  const { ensurePhysicsFor, physicsVersion } = await import('../../engine/mujoco.ts');
  await ensurePhysicsFor(jobs[0]!.config.env.id); // hopper, opencat: MuJoCo
  const mujocoVersion = await physicsVersion();
  if (mujocoVersion) backend.versions.mujoco = mujocoVersion;
  const trainStore = openTrainStore(flagString(args, 'db'));
  const sinks = jobs.map((j) => {
    if (j.resume) j.folder.truncateAfter(j.resume.step);
    else usage(() => j.folder.create({ config: j.config, backend, createdAt: new Date().toISOString() }));
    return trainStore.begin({ folderDir: j.folder.dir, config: j.config, resumeStep: j.resume?.step, backend });
  });

  const tty = process.stderr.isTTY === true;
  let lastLine = '';
  let lastPrinted = 0;
  const latest: (Progress | null)[] = jobs.map(() => null);
  const showProgress = (k: number, p: Progress) => {
    latest[k] = p;
    if (k !== 0) return; // the seeds advance in lockstep: the first one's line speaks for the group
    lastLine = progressLine(p) + (jobs.length > 1 ? `  (${jobs.length} seeds)` : '');
    const now = Date.now();
    if (tty) process.stderr.write(`\r${lastLine}\x1b[K`);
    else if (now - lastPrinted > 10_000) {
      process.stderr.write(lastLine + '\n');
      lastPrinted = now;
    }
  };
  const group = createGroupTrainer(
    jobs.map((j) => j.config),
    jobs.map((j, k) =>
      combineCallbacks(
        {
          onMetrics: (batch) => j.folder.appendMetrics(batch),
          onEvaluation: (e) => j.folder.appendEvaluation(e),
          onCheckpoint: ({ step, bytes }) => {
            sinks[k]!.checkpoint(step, j.folder.writeCheckpoint(step, bytes));
          },
          onProgress: (p) => showProgress(k, p),
          onLog: (level, message) => process.stderr.write(`${level}: ${jobs.length > 1 ? `seed ${j.config.seed}: ` : ''}${message}\n`),
        },
        sinks[k]!.callbacks,
      ),
    ),
    { resume: jobs.map((j) => j.resume?.bytes) },
  );
  let stop = false;
  const onSigint = () => {
    if (stop) process.exit(130); // a second Ctrl-C abandons the checkpoint
    stop = true;
  };
  process.on('SIGINT', onSigint);
  // announced only once Ctrl-C is handled, so an interrupt right after this line still checkpoints
  const c0 = jobs[0]!.config;
  const seeds = jobs.length > 1 ? `seeds ${jobs.map((j) => j.config.seed).join(', ')} (one seed group)` : `seed ${c0.seed}`;
  const resumed = jobs[0]!.resume ? `resuming at step ${jobs[0]!.resume.step}` : 'training';
  process.stderr.write(`${resumed}: ${c0.algo} on ${c0.env.id} (${c0.env.variant}), preset ${c0.preset}, ${seeds}, backend ${backend.backend}, ${c0.totalSteps} steps -> ${jobs.length > 1 ? path.dirname(jobs[0]!.folder.dir) : jobs[0]!.folder.dir}\n`);
  for (const f of backend.fallbacks) process.stderr.write(`backend ${backend.backend}, fallback: ${f}\n`);
  let outcomes: string[] | undefined;
  try {
    outcomes = await group.run(() => stop);
  } finally {
    process.off('SIGINT', onSigint);
    group.dispose();
    sinks.forEach((sink, k) => {
      const o = outcomes?.[k];
      sink.finish(o === 'completed' ? 'completed' : o === 'stopped' ? 'stopped' : 'failed');
    });
  }
  if (tty) process.stderr.write('\n');
  if (outcomes.some((o) => o === 'stopped')) {
    const dirs = jobs.map((j) => ` --resume ${JSON.stringify(j.folder.dir).slice(1, -1)}`).join('');
    const cmd = `lab train${dirs}${backendChoice !== 'auto' ? ` --backend ${backendChoice}` : ''}`;
    const at = jobs.map((_, k) => group.globalStep(k));
    process.stderr.write(`stopped at step ${at.join(', ')}; checkpoint${jobs.length > 1 ? 's' : ''} written to ${jobs.map((j) => j.folder.checkpointDir).join(', ')}\nresume with: ${cmd}\n`);
    return 130;
  }
  for (const [k, j] of jobs.entries()) process.stdout.write(`${k === 0 ? `${lastLine}\n` : ''}done: ${j.folder.dir} (run ${sinks[k]!.runId} in ${sinks[k]!.dbPath})\n`);
  return 0;
}
