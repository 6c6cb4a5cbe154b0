// `lab critical`: critical-state scores along a run's recorded evaluation episode from the command
// line, the same computation as the Replay view's "Score critical steps" (contract
// analysis.critical, src-main/preview/landscapes.ts): per step, the plain-Q peakedness and the
// soft/plain min-shifted cosine over AdaEnt's sampled actions at a stored checkpoint, the critical
// steps, and AdaEnt's switch (cosine below its threshold) beside the episode's recorded reward and
// one-sample entropy. Prints the summary docs/findings.md's state-by-state table reads (how often the
// actor would follow the plain critics along the episode; the recorded entropy there and elsewhere),
// or the app's CSV (--csv), or both as JSON. A SAC run takes the plain critics of another run
// (--plain-from). The run is a store's or a shipped one of results/ (../run-source.ts).
import { CriticalArgs, type CriticalResult } from '../../../src-core/contract/methods/analysis.ts';
import { criticalCsv, criticalSummary, type CriticalSummary } from '../../../src-core/analysis/critical-table.ts';
import { storeLandscapes } from '../../api/analysis.ts';
import { trajectoryData } from '../../api/metrics.ts';
import { NodeWorkerHost } from '../../runs/host.ts';
import type { Store } from '../../store/index.ts';
import type { TrajectoryInfo } from '../../store/repos/trajectories.ts';
import { flagBool, flagString, parseArgs, parseInteger } from '../args.ts';
import { UsageError } from '../errors.ts'; // --help is answered by ../main.ts from ../usage.ts
import { analysisErrorForCli, CLI_WORKER_TIMEOUT_MS, issueAsUsage, pickRun, RUN_FLAGS, type RunSource } from '../run-source.ts';

export const summary = "critical-state scores along a run's recorded evaluation episode, with AdaEnt's switch and the recorded entropy";

/** The contract's argument paths as the flags that set them. */
const FLAG_OF: Record<string, string> = { 'run.step': '--step', 'plainFrom.step': '--plain-step', 'plainFrom.runId': '--plain-from', trajectoryId: '--eval-step', seed: '--sampling-seed' };

/** The recorded episode: the evaluation at --eval-step (default the latest), --mode, --episode. */
function pickEpisode(store: Store, runId: number, args: ReturnType<typeof parseArgs>): TrajectoryInfo {
  const mode = flagString(args, 'mode') ?? 'deterministic';
  if (mode !== 'deterministic' && mode !== 'stochastic') throw new UsageError(`--mode: '${mode}' is not deterministic or stochastic`);
  const stepText = flagString(args, 'eval-step');
  const episodeText = flagString(args, 'episode');
  const index = episodeText === undefined ? 0 : parseInteger(episodeText, '--episode');
  const all = store.trajectories.list(runId);
  const ofMode = all.filter((t) => t.mode === mode);
  const step = stepText === undefined ? Math.max(...ofMode.map((t) => t.step)) : parseInteger(stepText, '--eval-step');
  const hit = ofMode.find((t) => t.step === step && t.episode === index);
  if (!hit) {
    const have = all.map((t) => `${t.step} ${t.mode} #${t.episode}`).join(', ') || 'none';
    throw new UsageError(`run ${runId} recorded no ${mode} episode ${index} at evaluation step ${Number.isFinite(step) ? step : '(none)'} (recorded episodes, step mode #episode: ${have})`);
  }
  return hit;
}

/** The checkpoint: --step, else the episode's own evaluation step where kept, else the nearest kept. */
function pickCheckpoint(store: Store, runId: number, episodeStep: number, stepText: string | undefined): number {
  if (stepText !== undefined) return parseInteger(stepText, '--step');
  const kept = store.checkpoints.list(runId).map((c) => c.step);
  return kept.includes(episodeStep) ? episodeStep : kept.toSorted((a, b) => Math.abs(a - episodeStep) - Math.abs(b - episodeStep))[0]!;
}

function plainSource(source: RunSource, args: ReturnType<typeof parseArgs>): { runId: number; step: number } | undefined {
  const ref = flagString(args, 'plain-from');
  const stepText = flagString(args, 'plain-step');
  if (ref === undefined) {
    if (stepText !== undefined) throw new UsageError('--plain-step goes with --plain-from');
    return undefined;
  }
  const runId = source.other(ref, '--plain-from');
  const why = source.noWeights(runId);
  if (why) throw new UsageError(`--plain-from: ${why}`);
  return { runId, step: stepText === undefined ? source.store.checkpoints.latest(runId)!.step : parseInteger(stepText, '--plain-step') };
}

const fixed = (v: number | null, digits = 3) => (v === null ? 'n/a' : v.toFixed(digits));

function text(c: CriticalResult, episode: string, s: CriticalSummary): string {
  const lines = [
    `# critical states along ${episode}`,
    `# ${c.title}`,
    `# ${c.definition}`,
    ...c.missing.map((m) => `# missing: ${m}`),
    `steps: ${s.steps}; critical: ${s.critical}`,
    c.threshold === null || s.scored === 0
      ? "AdaEnt's switch: not computable here (no cosine: see the missing lines above; a SAC run takes another run's plain critics with --plain-from)"
      : `AdaEnt's switch (cosine below ${c.threshold}): ${s.switched} of ${s.scored} scored steps (${fixed(s.switchShare === null ? null : 100 * s.switchShare, 1)}%)`,
    `recorded entropy (one-sample -log pi), mean: where it switches ${fixed(s.entropySwitched)}, elsewhere ${fixed(s.entropyElsewhere)}, whole episode ${fixed(s.entropyEpisode)}`,
    '(per step: --csv)',
  ];
  return `${lines.join('\n')}\n`;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    ...RUN_FLAGS,
    step: { type: 'string' },
    'eval-step': { type: 'string' },
    mode: { type: 'string' },
    episode: { type: 'string' },
    'plain-from': { type: 'string' },
    'plain-step': { type: 'string' },
    'sampling-seed': { type: 'string' },
    csv: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (flagBool(args, 'csv') && flagBool(args, 'json')) throw new UsageError('give --csv or --json, not both');
  const source = await pickRun(args, 'critical');
  try {
    const { store, runId } = source;
    const why = source.noWeights(runId);
    if (why) throw new UsageError(why);
    const ep = pickEpisode(store, runId, args);
    const step = pickCheckpoint(store, runId, ep.step, flagString(args, 'step'));
    const plainFrom = plainSource(source, args);
    const seedText = flagString(args, 'sampling-seed');
    const parsed = CriticalArgs.safeParse({ run: { runId, step }, trajectoryId: ep.id, ...(plainFrom ? { plainFrom } : {}), ...(seedText !== undefined ? { seed: parseInteger(seedText, '--sampling-seed') } : {}) });
    if (!parsed.success) throw issueAsUsage(parsed.error.issues[0]!, FLAG_OF);
    const host = new NodeWorkerHost();
    let c: CriticalResult;
    try {
      c = await storeLandscapes(store, () => host, CLI_WORKER_TIMEOUT_MS).critical(parsed.data);
    } catch (err) {
      throw analysisErrorForCli(err, FLAG_OF, 'scoring');
    }
    const t = trajectoryData(store, ep.id);
    const run = store.runs.require(runId);
    const episode = `run ${runId} (${run.algo}, seed ${run.seed})'s ${ep.mode} evaluation episode ${ep.episode} at step ${ep.step}, scored with its checkpoint at step ${step}; ${source.where}`;
    const s = criticalSummary(c, t.entropies);
    if (flagBool(args, 'csv')) process.stdout.write(criticalCsv(c, episode, { rewards: t.rewards, entropies: t.entropies }));
    else if (flagBool(args, 'json')) process.stdout.write(`${JSON.stringify({ episode, runId, step, trajectory: ep, ...c, summary: s })}\n`);
    else process.stdout.write(text(c, episode, s));
    return 0;
  } finally {
    await source.close();
  }
}
