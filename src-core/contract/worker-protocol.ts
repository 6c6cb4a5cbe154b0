// The protocol between the run manager (main) and a training worker process (architecture
// principle 5). Every message carries `seq`, numbered from 1 by its sender without gaps; the
// receiver checks the number and validates the message with these schemas, on both sides.
//
// Transport: Node's child_process IPC and Electron's utilityProcess both carry JSON-like values,
// where typed arrays do not survive and NaN becomes null. So:
// - metric batches and episode batches are columnar arrays; a value null means NaN;
// - trajectories carry each typed array as base64 of its little-endian bytes (exact, NaN kept),
//   Float32 for everything but `states` (Float64), via encodeF32/decodeF32/encodeF64/decodeF64.
//
// Seed groups (issue 12): `start-group` hands one worker K runs that differ only in seed; every
// per-run message then carries the `runId` it belongs to (a one-run worker may leave it out), each
// run ends with its own `done`, and `stop-run` pauses or cancels one member while the others go on.
import { z } from 'zod';
import { trajectoryHeader } from '../train/trajectory_header.ts';
import { ALGO_IDS, EVAL_MODES, type MetricPoint, type RunConfig, type Trajectory, type TrainingEpisode } from '../train/types.ts';
import { PreviewResult } from './methods/scenes.ts';
import { CriticalResult, FAN_MAX_EPISODES, FanResult, LandscapeResult } from './methods/analysis.ts';

export const PROTOCOL_VERSION = 1;

const Seq = z.number().int().positive();
const Num = z.number(); // finite or not: JSON carries only finite numbers, null stands for NaN
const NumOrNaN = z.number().nullable();
const Mode = z.enum(EVAL_MODES as unknown as ['deterministic', 'stochastic']);

export const RunConfigSchema = z.object({
  env: z.object({ id: z.string().min(1), variant: z.string(), params: z.record(z.string(), z.number()) }),
  algo: z.enum(ALGO_IDS as unknown as ['sac', 'sac-auto', 'sac-adaent', 'ppo', 'td3']),
  preset: z.enum(['paper', 'quick', 'custom']),
  seed: z.number().int(),
  totalSteps: z.number().int().positive(),
  evalInterval: z.number().int().positive(),
  evalEpisodes: z.number().int().positive(),
  evalModes: z.array(Mode).min(1),
  recordEpisodes: z.number().int().min(0),
  evalSeed: z.number().int(),
  algoConfig: z.record(z.string(), z.unknown()),
}).loose();

// ---- main -> worker -------------------------------------------------------------------------

export const StartCommand = z.object({
  seq: Seq,
  type: z.literal('start'),
  protocol: z.literal(PROTOCOL_VERSION),
  runId: z.number().int().positive(),
  config: RunConfigSchema,
  /** Folder the worker writes checkpoint files into (it exists). */
  checkpointDir: z.string().min(1),
  /** Checkpoint file to resume from (same run id, same global_step axis). */
  resumeFrom: z.string().optional(),
  /** Requested tensor backend ('auto' | 'webgpu' | 'tensorflow' | 'wasm' | 'cpu'); the worker falls back and says why. */
  backend: z.string().optional(),
});
export const PauseCommand = z.object({ seq: Seq, type: z.literal('pause') });
export const CancelCommand = z.object({ seq: Seq, type: z.literal('cancel') });

/** One run of a seed group: what `start` carries for a single run. */
export const GroupMember = z.object({
  runId: z.number().int().positive(),
  config: RunConfigSchema,
  checkpointDir: z.string().min(1),
  resumeFrom: z.string().optional(),
});
export type GroupMember = z.infer<typeof GroupMember>;
/** K runs of one seed group in this worker (trained as one batched computation where the engine can). */
export const StartGroupCommand = z.object({
  seq: Seq,
  type: z.literal('start-group'),
  protocol: z.literal(PROTOCOL_VERSION),
  runs: z.array(GroupMember).min(1).max(64).refine((r) => new Set(r.map((m) => m.runId)).size === r.length, { message: 'run ids repeat' }),
  backend: z.string().optional(),
});
/** Pause (checkpoint, then stop) or cancel one member of a group; the others continue. */
export const StopRunCommand = z.object({ seq: Seq, type: z.literal('stop-run'), runId: z.number().int().positive(), how: z.enum(['pause', 'cancel']) });

/**
 * A stored-policy preview (src-main/preview): load the policy from a checkpoint file and roll out
 * one episode. A worker process runs either one training run (`start`) or one preview, then exits:
 * main coordinates, it does not compute (architecture principle 5).
 */
export const PreviewJob = z.object({
  checkpointFile: z.string().min(1),
  /** The run's stored config (the checkpoint's own config rebuilds the agent; this one is checked against it). */
  runConfig: z.record(z.string(), z.unknown()),
  mode: Mode,
  /** Seed of the agent's construction and action sampling (streams 2 and 3). */
  seed: z.number().int(),
  /** What acted, as the result names it: 'run 3 at step 20000 (deterministic)'. */
  label: z.string(),
  /** The episode: environment, start seed or state, step limit (scenes.preview's arguments). */
  request: z.object({
    envId: z.string().min(1),
    variant: z.string().optional(),
    params: z.record(z.string(), z.number()).optional(),
    seed: z.number().int(),
    initialState: z.array(z.number()).optional(),
    steps: z.number().int().min(1).optional(),
  }),
});
export type PreviewJob = z.infer<typeof PreviewJob>;
export const PreviewCommand = z.object({
  seq: Seq,
  type: z.literal('preview'),
  protocol: z.literal(PROTOCOL_VERSION),
  job: PreviewJob,
  /** Requested tensor backend (as for `start`; falls back to auto). */
  backend: z.string().optional(),
});

/**
 * A rollout fan (src-main/preview/fan-job.ts): load the policy once, roll out its deterministic
 * episode from the request's start, then `count` stochastic ones from that same start state, episode
 * k sampling with Rng(samplingSeed + k, 3) (the stream a preview's sampling uses).
 */
export const FanJob = PreviewJob.omit({ mode: true }).extend({
  count: z.number().int().min(1).max(FAN_MAX_EPISODES),
  samplingSeed: z.number().int().min(0),
  /** What main knows about the run and the start, echoed into the result. */
  context: z.object({ runId: z.number().int(), step: z.number().int(), algo: z.string(), startLabel: z.string() }),
});
export type FanJob = z.infer<typeof FanJob>;
export const FanCommand = z.object({
  seq: Seq,
  type: z.literal('fan'),
  protocol: z.literal(PROTOCOL_VERSION),
  job: FanJob,
  backend: z.string().optional(),
});

/** A checkpoint file and the run it belongs to, for a landscape job. */
const JobNetwork = z.object({
  checkpointFile: z.string().min(1),
  runConfig: z.record(z.string(), z.unknown()),
  runId: z.number().int(),
  step: z.number().int(),
});
/**
 * A landscape job (src-main/preview/landscape-job.ts, issue 15): evaluate a checkpoint's networks
 * over the action box at one observation ('landscape') or at every step of an episode
 * ('critical'). Main resolves the files and observations; the worker does the tensor work.
 */
export const LandscapeJob = z.object({
  kind: z.enum(['landscape', 'critical']),
  primary: JobNetwork,
  /** Another run's plain Q (a SAC run compared against SAC-AdaEnt or TD3). */
  plain: JobNetwork.optional(),
  /** One observation ('landscape') or one per episode step ('critical'). */
  observations: z.array(z.array(z.number())).min(1),
  axes: z.array(z.number().int().min(0)).min(1).max(2),
  held: z.array(z.number()).optional(),
  points: z.number().int().min(2).optional(),
  seed: z.number().int(),
  /** What main knows about the state, echoed into the result. */
  context: z.object({
    title: z.string(),
    stateLabel: z.string(),
    state: z.array(z.number()).nullable(),
  }),
});
export type LandscapeJob = z.infer<typeof LandscapeJob>;
export const LandscapeCommand = z.object({
  seq: Seq,
  type: z.literal('landscape'),
  protocol: z.literal(PROTOCOL_VERSION),
  job: LandscapeJob,
  backend: z.string().optional(),
});
export const Command = z.discriminatedUnion('type', [StartCommand, StartGroupCommand, StopRunCommand, PauseCommand, CancelCommand, PreviewCommand, FanCommand, LandscapeCommand]);
export type Command = z.infer<typeof Command>;
export type CommandBody = DistributiveOmit<Command, 'seq'>;

// ---- worker -> main -------------------------------------------------------------------------

export const ReadyMessage = z.object({
  seq: Seq,
  type: z.literal('ready'),
  protocol: z.literal(PROTOCOL_VERSION),
  backend: z.string(),
  /** Why a faster backend is not in use (empty when the fastest is). */
  backendReason: z.string(),
  /** The backend the start command asked for (auto when it named none). */
  backendRequested: z.string().optional(),
  /** Set when the requested backend could not start and the automatic choice is used instead: why. */
  backendFallback: z.string().optional(),
  versions: z.record(z.string(), z.string()),
  pid: z.number().int(),
});
export const AckMessage = z.object({ seq: Seq, type: z.literal('ack'), re: Seq });
/** The run a message belongs to, in a seed group's worker (absent: the worker's only run). */
const RunRef = z.number().int().positive().optional();
export const ProgressMessage = z.object({
  seq: Seq,
  runId: RunRef,
  type: z.literal('progress'),
  globalStep: Num,
  totalSteps: Num,
  sps: Num,
  episodes: Num,
  lastEval: z.partialRecord(Mode, Num),
});
/** Columnar metric batch: point i is (keys[key[i]], step[i], wallTime[i], value[i] ?? NaN). */
export const MetricsMessage = z.object({
  seq: Seq,
  runId: RunRef,
  type: z.literal('metrics'),
  keys: z.array(z.string()),
  key: z.array(z.number().int().min(0)),
  step: z.array(Num),
  wallTime: z.array(Num),
  value: z.array(NumOrNaN),
}).refine((m) => m.key.length === m.step.length && m.step.length === m.wallTime.length && m.wallTime.length === m.value.length && m.key.every((k) => k < m.keys.length), {
  message: 'metric columns differ in length or name an unknown key',
});
export const EpisodesMessage = z.object({
  seq: Seq,
  runId: RunRef,
  type: z.literal('episodes'),
  step: z.array(Num),
  return: z.array(NumOrNaN),
  length: z.array(Num),
  wallTime: z.array(Num),
});
export const EvaluationMessage = z.object({
  seq: Seq,
  runId: RunRef,
  type: z.literal('evaluation'),
  step: Num,
  mode: Mode,
  returns: z.array(NumOrNaN),
  lengths: z.array(Num),
  startSeeds: z.array(Num),
  wallTime: Num,
});
const B64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
export const TrajectoryMessage = z.object({
  seq: Seq,
  runId: RunRef,
  type: z.literal('trajectory'),
  step: Num,
  mode: Mode,
  episode: z.number().int().min(0),
  startSeed: Num,
  length: z.number().int().min(0),
  obsDim: z.number().int().min(0),
  actDim: z.number().int().min(0),
  stateDim: z.number().int().min(0),
  observations: B64,
  actions: B64,
  rewards: B64,
  rewardComponents: z.record(z.string(), B64),
  logProbs: B64,
  entropies: B64,
  states: B64,
});
export const CheckpointMessage = z.object({
  seq: Seq,
  runId: RunRef,
  type: z.literal('checkpoint'),
  step: Num,
  /** Absolute path of the complete file (written to a temporary name, then renamed). */
  file: z.string().min(1),
  size: z.number().int().min(0),
});
export const LogMessage = z.object({ seq: Seq, runId: RunRef, type: z.literal('log'), level: z.enum(['info', 'warn', 'error']), message: z.string() });
export const ErrorMessage = z.object({
  seq: Seq,
  /** The member that failed (absent: the whole worker failed). */
  runId: RunRef,
  type: z.literal('error'),
  message: z.string(),
  stack: z.string().optional(),
  /** Previews: the request field a bad-input error names (envId, variant, params, initialState). */
  path: z.string().optional(),
});
/** The episode of a preview job; the worker exits after sending it. */
export const PreviewResultMessage = z.object({ seq: Seq, type: z.literal('preview'), backend: z.string(), result: PreviewResult });
/** The episodes of a fan job; the worker exits after sending them. */
export const FanResultMessage = z.object({ seq: Seq, type: z.literal('fan'), backend: z.string(), result: FanResult });
/** The answer of a landscape job; the worker exits after sending it. */
export const LandscapeResultMessage = z.object({
  seq: Seq,
  type: z.literal('landscape'),
  backend: z.string(),
  landscape: LandscapeResult.optional(),
  critical: CriticalResult.optional(),
});
export const DoneMessage = z.object({
  seq: Seq,
  runId: RunRef,
  type: z.literal('done'),
  /** completed: reached totalSteps; paused: stopped after writing a checkpoint; cancelled: stopped for good. */
  outcome: z.enum(['completed', 'paused', 'cancelled']),
  globalStep: Num,
});
export const WorkerMessage = z.discriminatedUnion('type', [
  ReadyMessage,
  AckMessage,
  ProgressMessage,
  MetricsMessage,
  EpisodesMessage,
  EvaluationMessage,
  TrajectoryMessage,
  CheckpointMessage,
  LogMessage,
  ErrorMessage,
  DoneMessage,
  PreviewResultMessage,
  FanResultMessage,
  LandscapeResultMessage,
]);
export type WorkerMessage = z.infer<typeof WorkerMessage>;
export type WorkerMessageBody = DistributiveOmit<WorkerMessage, 'seq'>;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

// ---- sequence numbering -----------------------------------------------------------------------

/** Numbers outgoing messages 1, 2, 3, ... */
export class SeqCounter {
  private n = 0;
  next(): number {
    return ++this.n;
  }
}

/** Validates incoming messages: schema, then seq = previous + 1. Throws a one-line Error otherwise. */
export class Receiver<T extends { seq: number; type: string }> {
  private last = 0;
  private readonly schema: z.ZodType<T>;
  private readonly who: string;
  constructor(schema: z.ZodType<T>, who: string) {
    this.schema = schema;
    this.who = who;
  }
  accept(raw: unknown): T {
    const r = this.schema.safeParse(raw);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      const type = typeof raw === 'object' && raw !== null ? String((raw as { type?: unknown }).type) : typeof raw;
      throw new Error(`invalid ${this.who} message (${type}): ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    if (r.data.seq !== this.last + 1) throw new Error(`${this.who} message out of sequence: got ${r.data.seq}, expected ${this.last + 1}`);
    this.last = r.data.seq;
    return r.data;
  }
}

// ---- codecs -------------------------------------------------------------------------------------

const nanToNull = (v: number): number | null => (v === v ? v : null);
const nullToNaN = (v: number | null): number => (v === null ? Number.NaN : v);

export function encodeMetrics(batch: readonly MetricPoint[]): Omit<z.infer<typeof MetricsMessage>, 'seq'> {
  const keys: string[] = [];
  const index = new Map<string, number>();
  const key: number[] = [];
  const step: number[] = [];
  const wallTime: number[] = [];
  const value: (number | null)[] = [];
  for (const p of batch) {
    let k = index.get(p.key);
    if (k === undefined) {
      k = keys.length;
      keys.push(p.key);
      index.set(p.key, k);
    }
    key.push(k);
    step.push(p.step);
    wallTime.push(p.wallTime);
    value.push(nanToNull(p.value));
  }
  return { type: 'metrics', keys, key, step, wallTime, value };
}

export function decodeMetrics(m: z.infer<typeof MetricsMessage>): MetricPoint[] {
  const out: MetricPoint[] = new Array(m.key.length);
  for (let i = 0; i < m.key.length; i++) {
    out[i] = { key: m.keys[m.key[i]!]!, step: m.step[i]!, wallTime: m.wallTime[i]!, value: nullToNaN(m.value[i]!) };
  }
  return out;
}

export function encodeEpisodes(eps: readonly TrainingEpisode[]): Omit<z.infer<typeof EpisodesMessage>, 'seq'> {
  return {
    type: 'episodes',
    step: eps.map((e) => e.step),
    return: eps.map((e) => nanToNull(e.return)),
    length: eps.map((e) => e.length),
    wallTime: eps.map((e) => e.wallTime),
  };
}

export function decodeEpisodes(m: z.infer<typeof EpisodesMessage>): TrainingEpisode[] {
  return m.step.map((step, i) => ({ step, return: nullToNaN(m.return[i] ?? null), length: m.length[i]!, wallTime: m.wallTime[i]! }));
}

export function encodeTrajectory(t: Trajectory): Omit<z.infer<typeof TrajectoryMessage>, 'seq'> {
  const comps: Record<string, string> = {};
  for (const [k, v] of Object.entries(t.rewardComponents)) comps[k] = encodeF32(v);
  return {
    type: 'trajectory',
    ...trajectoryHeader(t),
    observations: encodeF32(t.observations),
    actions: encodeF32(t.actions),
    rewards: encodeF32(t.rewards),
    rewardComponents: comps,
    logProbs: encodeF32(t.logProbs),
    entropies: encodeF32(t.entropies),
    states: encodeF64(t.states),
  };
}

export function decodeTrajectory(m: z.infer<typeof TrajectoryMessage>): Trajectory {
  const comps: Record<string, Float32Array> = {};
  for (const [k, v] of Object.entries(m.rewardComponents)) comps[k] = decodeF32(v);
  return {
    ...trajectoryHeader(m),
    observations: decodeF32(m.observations),
    actions: decodeF32(m.actions),
    rewards: decodeF32(m.rewards),
    rewardComponents: comps,
    logProbs: decodeF32(m.logProbs),
    entropies: decodeF32(m.entropies),
    states: decodeF64(m.states),
  };
}

// Typed arrays are little-endian on every platform the lab runs on (x64, arm64).
export function encodeF32(a: Float32Array): string {
  return bytesToBase64(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}
export function encodeF64(a: Float64Array): string {
  return bytesToBase64(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}
export function decodeF32(s: string): Float32Array {
  const b = base64ToBytes(s);
  if (b.length % 4 !== 0) throw new Error('Float32 payload length is not a multiple of 4');
  return new Float32Array(b.buffer, b.byteOffset, b.length / 4);
}
export function decodeF64(s: string): Float64Array {
  const b = base64ToBytes(s);
  if (b.length % 8 !== 0) throw new Error('Float64 payload length is not a multiple of 8');
  return new Float64Array(b.buffer, b.byteOffset, b.length / 8);
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Uint8Array(128);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

/** Standard base64 (RFC 4648, with padding); pure TypeScript so the core needs no Buffer or btoa. */
export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    chunk += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    chunk += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    chunk += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + '=';
  }
  parts.push(chunk);
  return parts.join('');
}

export function base64ToBytes(s: string): Uint8Array {
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const n = (s.length / 4) * 3 - pad;
  if (s.length % 4 !== 0) throw new Error('base64 length is not a multiple of 4');
  // Allocate 8-byte aligned storage so Float64Array views work.
  const out = new Uint8Array(new ArrayBuffer(Math.ceil(n / 8) * 8), 0, n);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    const v = (LOOKUP[s.charCodeAt(i)]! << 18) | (LOOKUP[s.charCodeAt(i + 1)]! << 12) | (LOOKUP[s.charCodeAt(i + 2)]! << 6) | LOOKUP[s.charCodeAt(i + 3)]!;
    if (o < n) out[o++] = v >> 16;
    if (o < n) out[o++] = (v >> 8) & 255;
    if (o < n) out[o++] = v & 255;
  }
  return out;
}

export type { RunConfig };
