// `lab train`: train one agent on one environment, showing a progress bar (steps, steps/s, ETA,
// last evaluation return per mode) and writing the run folder (config.json, metrics.csv,
// evaluations.csv, checkpoints/; see src-main/engine/run_folder.ts). Ctrl-C writes a checkpoint
// and prints the exact command that resumes the run. Bad flags: one line, exit 2.
import path from 'node:path';
import type { BackendInfo, BackendName } from '../../engine/backend.ts';
import { RunFolder } from '../../engine/run_folder.ts';
// Light imports only until the flags are valid: tfjs loads (seconds) after validation.
import { resolveRunConfig } from '../../../src-core/train/run_config.ts';
import type { Progress, RunConfig } from '../../../src-core/train/types.ts';
import { PRESET_NAMES, type PresetName } from '../../../src-core/presets/index.ts';
import { flagMulti, flagString, parseArgs, parseInteger, parseKeyValues } from '../args.ts';
import { UsageError } from '../errors.ts';
import { openTrainStore } from '../../runs/train-sink.ts';
import { combineCallbacks } from '../../runs/store-sink.ts';

export const summary = 'train an agent (sac, sac-auto, sac-adaent, ppo, td3) on an environment; writes a run folder';

const USAGE =
  'usage: lab train --env ID [--variant V] --algo sac|sac-auto|sac-adaent|ppo|td3 [--preset paper|quick] ' +
  '[--set key=value ...] [--seed N] [--steps N] [--backend auto|tensorflow|wasm|cpu] [--out DIR] [--db PATH] | --resume DIR [--backend B] [--db PATH]';

const FLAGS = {
  env: { type: 'string' },
  variant: { type: 'string' },
  algo: { type: 'string' },
  preset: { type: 'string' },
  set: { type: 'multi' },
  seed: { type: 'string' },
  steps: { type: 'string' },
  backend: { type: 'string' },
  out: { type: 'string' },
  resume: { type: 'string' },
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

const BACKEND_CHOICES: readonly string[] = ['auto', 'webgpu', 'tensorflow', 'wasm', 'cpu'];

function parseBackend(text: string | undefined): BackendName | 'auto' {
  const b = text ?? 'auto';
  if (!BACKEND_CHOICES.includes(b as BackendName)) throw new UsageError(`--backend: '${b}' is not one of ${BACKEND_CHOICES.join(', ')}`);
  return b as BackendName | 'auto';
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

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, FLAGS);
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}' (${USAGE})`);
  const resumeDir = flagString(args, 'resume');
  const backendChoice = parseBackend(flagString(args, 'backend'));
  let folder: RunFolder;
  let config: RunConfig;
  let resume: { step: number; bytes: Uint8Array } | undefined;
  if (resumeDir !== undefined) {
    const extra = [...args.flags.keys()].filter((k) => k !== 'resume' && k !== 'backend' && k !== 'db');
    if (extra.length > 0) throw new UsageError(`--resume continues the run as configured in ${resumeDir}; do not combine it with --${extra[0]}`);
    folder = new RunFolder(resumeDir);
    config = usage(() => folder.readMeta().config);
    resume = usage(() => folder.latestCheckpoint());
  } else {
    config = newRunConfig(args);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
    folder = new RunFolder(flagString(args, 'out') ?? path.join('runs', `${config.env.id}-${config.algo}-s${config.seed}-${stamp}`));
  }
  const { initBackend, webgpuTrainingBlocked } = await import('../../engine/backend.ts');
  if (backendChoice === 'webgpu') throw new UsageError(`--backend webgpu: ${await webgpuTrainingBlocked()}`);
  const { createTrainer } = await import('../../../src-core/train/trainer.ts');
  let backend: BackendInfo;
  try {
    backend = await initBackend(backendChoice);
  } catch (err) {
    throw new UsageError(`--backend ${backendChoice}: ${err instanceof Error ? err.message : String(err)}`);
  }
  backend.versions.backendRequested = backendChoice; // recorded with the run, as the run manager does
  const { ensurePhysicsFor, physicsVersion } = await import('../../engine/mujoco.ts');
  await ensurePhysicsFor(config.env.id); // hopper, opencat: MuJoCo
  const mujocoVersion = await physicsVersion();
  if (mujocoVersion) backend.versions.mujoco = mujocoVersion;
  const trainStore = openTrainStore(flagString(args, 'db'));
  if (resume) folder.truncateAfter(resume.step);
  else usage(() => folder.create({ config, backend, createdAt: new Date().toISOString() }));
  const sink = trainStore.begin({ folderDir: folder.dir, config, resumeStep: resume?.step, backend });

  const tty = process.stderr.isTTY === true;
  let lastLine = '';
  let lastPrinted = 0;
  const showProgress = (p: Progress, force = false) => {
    lastLine = progressLine(p);
    const now = Date.now();
    if (tty) process.stderr.write(`\r${lastLine}\x1b[K`);
    else if (force || now - lastPrinted > 10_000) {
      process.stderr.write(lastLine + '\n');
      lastPrinted = now;
    }
  };
  const trainer = createTrainer(
    config,
    combineCallbacks(
      {
        onMetrics: (batch) => folder.appendMetrics(batch),
        onEvaluation: (e) => folder.appendEvaluation(e),
        onCheckpoint: ({ step, bytes }) => {
          sink.checkpoint(step, folder.writeCheckpoint(step, bytes));
        },
        onProgress: (p) => showProgress(p),
        onLog: (level, message) => process.stderr.write(`${level}: ${message}\n`),
      },
      sink.callbacks,
    ),
    { resume: resume?.bytes },
  );
  let stop = false;
  const onSigint = () => {
    if (stop) process.exit(130); // a second Ctrl-C abandons the checkpoint
    stop = true;
  };
  process.on('SIGINT', onSigint);
  // announced only once Ctrl-C is handled, so an interrupt right after this line still checkpoints
  process.stderr.write(`${resume ? `resuming at step ${resume.step}` : 'training'}: ${config.algo} on ${config.env.id} (${config.env.variant}), preset ${config.preset}, seed ${config.seed}, backend ${backend.backend}, ${config.totalSteps} steps -> ${folder.dir}\n`);
  let outcome;
  try {
    outcome = await trainer.run(() => stop);
  } finally {
    process.off('SIGINT', onSigint);
    trainer.dispose();
    sink.finish(outcome === 'completed' ? 'completed' : outcome === 'stopped' ? 'stopped' : 'failed');
  }
  if (tty) process.stderr.write('\n');
  if (outcome === 'stopped') {
    const cmd = `lab train --resume ${JSON.stringify(folder.dir).slice(1, -1)}${backendChoice !== 'auto' ? ` --backend ${backendChoice}` : ''}`;
    process.stderr.write(`stopped at step ${trainer.globalStep}; checkpoint written to ${folder.checkpointDir}\nresume with: ${cmd}\n`);
    return 130;
  }
  process.stdout.write(`${lastLine}\ndone: ${folder.dir} (run ${sink.runId} in ${sink.dbPath})\n`);
  return 0;
}
