// `lab fan`: the rollout fan of a stored policy from the command line, the same computation as the
// Analysis view's "Rollout fans" (contract analysis.fan, src-main/preview/fans.ts): from one start
// state, the policy's deterministic episode and K stochastic ones, episode k sampling its actions
// with seed samplingSeed + k. Every seed is in the command, so its numbers are the app's for the same
// request. The run is one of a store's (../run-source.ts) or a shipped one of results/; the episodes
// run in one short-lived worker process, as in the app. Bad input is a UsageError naming the flag.
import { FanArgs, FAN_MAX_EPISODES, type FanEpisode, type FanResult } from '../../../src-core/contract/methods/analysis.ts';
import { fanReturns, type FanReturns } from '../../../src-core/analysis/fan-returns.ts';
import { storeFans } from '../../api/analysis.ts';
import type { FanRequest } from '../../preview/fans.ts';
import { NodeWorkerHost } from '../../runs/host.ts';
import { flagBool, flagString, parseArgs, parseInteger } from '../args.ts';
import { UsageError } from '../errors.ts'; // --help is answered by ../main.ts from ../usage.ts
import { analysisErrorForCli, CLI_WORKER_TIMEOUT_MS, issueAsUsage, pickRun, RUN_FLAGS } from '../run-source.ts';

export const summary = "a stored policy's rollout fan: its deterministic episode and K stochastic ones from one start state";

/** The contract's argument paths as the flags that set them. */
const FLAG_OF: Record<string, string> = {
  'run.step': '--step',
  'start.seed': '--start-seed',
  'start.state': '--start-state',
  count: '--count',
  samplingSeed: '--sampling-seed',
  steps: '--steps',
};

function parseStartState(text: string): number[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`--start-state: '${text}' is not valid JSON (expected an array of numbers, the environment's full state)`);
  }
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    throw new UsageError(`--start-state: expected a JSON array of finite numbers, got ${text}`);
  }
  return value as number[];
}

function request(args: ReturnType<typeof parseArgs>, runId: number, step: number): FanRequest {
  const seedText = flagString(args, 'start-seed');
  const stateText = flagString(args, 'start-state');
  if (seedText !== undefined && stateText !== undefined) throw new UsageError('give --start-seed or --start-state, not both');
  const start = stateText !== undefined ? { kind: 'state' as const, state: parseStartState(stateText) } : { kind: 'seed' as const, seed: seedText === undefined ? 0 : parseInteger(seedText, '--start-seed') };
  const int = (flag: string, min: number) => {
    const text = flagString(args, flag);
    return text === undefined ? undefined : parseInteger(text, `--${flag}`, min);
  };
  const count = int('count', 1);
  const samplingSeed = int('sampling-seed', 0);
  const steps = int('steps', 1);
  const raw = { run: { runId, step }, start, ...(count !== undefined ? { count } : {}), ...(samplingSeed !== undefined ? { samplingSeed } : {}), ...(steps !== undefined ? { steps } : {}) };
  const parsed = FanArgs.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw issueAsUsage(issue, FLAG_OF, issue.path.join('.') === 'count' ? ` (1 to ${FAN_MAX_EPISODES})` : '');
  }
  return parsed.data;
}

function episodeEnd(e: FanEpisode): string {
  return e.nonFinite ? 'non-finite' : e.terminated ? 'terminated' : e.truncated ? 'truncated' : 'step limit';
}

function text(f: FanResult, where: string, s: FanReturns): string {
  const k = f.stochastic.length;
  const seeds = k === 1 ? `sampling seed ${f.stochastic[0]!.samplingSeed}` : `sampling seeds ${f.stochastic[0]!.samplingSeed}-${f.stochastic[k - 1]!.samplingSeed}`;
  const d = f.deterministic;
  const lines = [
    `# rollout fan of ${f.label}, ${f.envId}/${f.variant}, from ${where}`,
    `# start: ${f.startLabel}; K = ${k} stochastic episodes, ${seeds}`,
    `deterministic episode: return ${d.return}, length ${d.length}, ${episodeEnd(d)}`,
    `stochastic episodes' return: mean ${s.mean}, median ${s.median}, lowest ${s.lowest}, highest ${s.highest}, sample std ${s.std}; terminated ${s.terminated} of ${k}${s.nonFinite ? `, non-finite ${s.nonFinite}` : ''}`,
    '# k sampling_seed return length end',
    ...f.stochastic.map((e, i) => `${i} ${e.samplingSeed} ${e.return} ${e.length} ${episodeEnd(e)}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** The result without its per-step arrays (--json), or whole (--json --with-states). */
function jsonOf(f: FanResult, where: string, s: FanReturns, withStates: boolean): string {
  const strip = (e: FanEpisode) => (withStates ? e : (({ states: _s, rewards: _r, ...rest }) => rest)(e));
  return `${JSON.stringify({ source: where, ...f, deterministic: strip(f.deterministic), stochastic: f.stochastic.map(strip), summary: s })}\n`;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    ...RUN_FLAGS,
    step: { type: 'string' },
    'start-seed': { type: 'string' },
    'start-state': { type: 'string' },
    count: { type: 'string' },
    'sampling-seed': { type: 'string' },
    steps: { type: 'string' },
    json: { type: 'boolean' },
    'with-states': { type: 'boolean' },
  });
  if (flagBool(args, 'with-states') && !flagBool(args, 'json')) throw new UsageError('--with-states adds the per-step states and rewards to --json');
  const source = await pickRun(args, 'fan');
  try {
    const why = source.noWeights(source.runId);
    if (why) throw new UsageError(why);
    const stepText = flagString(args, 'step');
    const step = stepText === undefined ? source.store.checkpoints.latest(source.runId)!.step : parseInteger(stepText, '--step');
    const req = request(args, source.runId, step);
    const host = new NodeWorkerHost();
    const service = storeFans(source.store, () => host, CLI_WORKER_TIMEOUT_MS);
    let result: FanResult;
    try {
      result = await service.fan(req);
    } catch (err) {
      throw analysisErrorForCli(err, FLAG_OF, 'rollout');
    }
    const s = fanReturns(result);
    process.stdout.write(flagBool(args, 'json') ? jsonOf(result, source.where, s, flagBool(args, 'with-states')) : text(result, source.where, s));
    return 0;
  } finally {
    await source.close();
  }
}
