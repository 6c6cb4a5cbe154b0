// The replay buffer of an off-policy seed as the episodes that filled it: for each episode still
// (partly) in the buffer, the env generator state just before its reset and the env's session state
// (OpenCat's penalty weight), and every action taken since the first of them, as the agent's float32
// actions. A checkpoint stores this instead of the buffer's arrays (4 bytes per transition and
// action dimension instead of 4 x (2 x obs + act + 2)), and resuming rebuilds the buffer by
// re-simulating those episodes, which the environments' determinism makes exact; a digest of the
// buffer taken when the checkpoint was written checks the rebuilt one.
import { Rng, type RngState } from '../rng.ts';
import type { Env } from '../envs/types.ts';
import type { ReplayBuffer } from '../algos/common/replay_buffer.ts';
import type { ArrayMap } from './codec.ts';
import { toEnvAction } from './action_map.ts';

interface EpisodeStart {
  /** Index of the episode's first transition (transitions counted from the run's first step). */
  at: number;
  rng: RngState;
  session: number[] | null;
}

/** Checkpoint metadata of a replay log (the arrays are in the checkpoint's array map). */
export interface ReplayLogMeta {
  mode: 'episodes';
  /** Transitions added since the run began. */
  total: number;
  episodes: number;
  sessionDim: number;
  /** ReplayBuffer.digest() of the buffer when the checkpoint was written. */
  digest: string;
}

export class ReplayLog {
  readonly actDim: number;
  readonly capacity: number;
  private starts: EpisodeStart[] = [];
  private actions: Float32Array;
  /** Transition index of actions[0]. */
  private base = 0;
  /** Transitions logged (the buffer's adds since the run began). */
  total = 0;

  constructor(capacity: number, actDim: number) {
    this.capacity = capacity;
    this.actDim = actDim;
    this.actions = new Float32Array(Math.min(capacity, 4096) * actDim);
  }

  /** An episode begins at the next transition, from this generator state (taken before the reset). */
  beginEpisode(rng: RngState, session: number[] | null): void {
    const last = this.starts[this.starts.length - 1];
    if (last && last.at === this.total) this.starts.pop(); // an episode with no transition (not expected)
    this.starts.push({ at: this.total, rng: [...rng] as RngState, session: session ? [...session] : null });
  }

  push(action: ArrayLike<number>): void {
    const d = this.actDim;
    let used = (this.total - this.base) * d;
    if (used + d > this.actions.length) {
      this.trim();
      used = (this.total - this.base) * d;
      if (used + d > this.actions.length) {
        const grown = new Float32Array(Math.max(this.actions.length * 2, used + d));
        grown.set(this.actions.subarray(0, used));
        this.actions = grown;
      }
    }
    for (let k = 0; k < d; k++) this.actions[used + k] = action[k]!;
    this.total += 1;
  }

  /** Forget the episodes whose every transition the buffer has overwritten. */
  private trim(): void {
    const windowStart = Math.max(0, this.total - this.capacity);
    let i = 0;
    while (i + 1 < this.starts.length && this.starts[i + 1]!.at <= windowStart) i++;
    if (i === 0) return;
    this.starts = this.starts.slice(i);
    const nb = this.starts[0]!.at;
    this.actions.copyWithin(0, (nb - this.base) * this.actDim, (this.total - this.base) * this.actDim);
    this.base = nb;
  }

  /** Metadata and arrays (under `prefix`) for a checkpoint; `digest` is the buffer's. */
  save(prefix: string, digest: string): { meta: ReplayLogMeta; arrays: ArrayMap } {
    this.trim();
    const n = this.starts.length;
    const sessionDim = this.starts[0]?.session?.length ?? 0;
    const at = new Float64Array(n);
    const rng = new Float64Array(n * 5); // NaN (no cached normal) is a float64 like any other
    const session = new Float64Array(n * sessionDim);
    this.starts.forEach((s, i) => {
      at[i] = s.at;
      rng.set(s.rng, i * 5);
      if (sessionDim > 0) session.set(s.session!, i * sessionDim);
    });
    const count = this.total - this.base;
    return {
      meta: { mode: 'episodes', total: this.total, episodes: n, sessionDim, digest },
      arrays: {
        [`${prefix}.log.at`]: { shape: [n], data: at },
        [`${prefix}.log.rng`]: { shape: [n, 5], data: rng },
        [`${prefix}.log.session`]: { shape: [n, sessionDim], data: session },
        [`${prefix}.log.actions`]: { shape: [count, this.actDim], data: this.actions.slice(0, count * this.actDim) },
      },
    };
  }

  /** A log from a checkpoint's metadata and arrays; throws on a malformed one. */
  static load(capacity: number, actDim: number, prefix: string, meta: ReplayLogMeta, arrays: ArrayMap): ReplayLog {
    const get = (k: string) => {
      const a = arrays[`${prefix}.log.${k}`];
      if (!a) throw new Error(`checkpoint: replay log array '${prefix}.log.${k}' missing`);
      return a.data;
    };
    const at = get('at');
    const rng = get('rng');
    const session = get('session');
    const actions = get('actions');
    const n = meta.episodes;
    const first = n > 0 ? at[0]! : meta.total;
    if (at.length !== n || rng.length !== n * 5 || session.length !== n * meta.sessionDim || actions.length !== (meta.total - first) * actDim) {
      throw new Error('checkpoint: replay log arrays of the wrong size');
    }
    for (let i = 1; i < n; i++) if (!(at[i]! > at[i - 1]!)) throw new Error('checkpoint: replay log episodes out of order');
    if (n > 0 && first > Math.max(0, meta.total - capacity)) throw new Error('checkpoint: replay log does not reach back to the oldest transition of the buffer');
    const log = new ReplayLog(capacity, actDim);
    log.starts = Array.from({ length: n }, (_, i) => ({
      at: at[i]!,
      rng: Array.from(rng.subarray(i * 5, i * 5 + 5)) as RngState,
      session: meta.sessionDim > 0 ? Array.from(session.subarray(i * meta.sessionDim, (i + 1) * meta.sessionDim)) : null,
    }));
    log.actions = Float32Array.from(actions);
    log.base = first;
    log.total = meta.total;
    return log;
  }

  /**
   * Refill `buffer` by re-simulating the logged episodes on `env` (a fresh instance of the run's
   * environment): each from its generator and session state, with its logged actions, adding the
   * transitions the buffer holds exactly as the training loop added them. `onEpisode` is told after
   * each episode how many of the log's transitions have been re-simulated (a long rebuild's progress).
   */
  rebuild(buffer: ReplayBuffer, env: Env, scaling: 'squash' | 'raw', onEpisode?: (done: number, total: number) => void): void {
    const d = this.actDim;
    const windowStart = Math.max(0, this.total - this.capacity);
    buffer.clear(windowStart % this.capacity);
    const envAction = new Float64Array(d);
    for (let i = 0; i < this.starts.length; i++) {
      const s = this.starts[i]!;
      const end = i + 1 < this.starts.length ? this.starts[i + 1]!.at : this.total;
      if (s.session) env.restoreSessionState?.(s.session);
      let obs = Float32Array.from(env.reset(Rng.fromState(s.rng)).observation);
      for (let t = s.at; t < end; t++) {
        const a = this.actions.subarray((t - this.base) * d, (t - this.base + 1) * d);
        const res = env.step(toEnvAction(scaling, a, env.actionSpace, envAction));
        if (t >= windowStart) buffer.add(obs, a, res.reward, res.observation, res.terminated);
        obs = Float32Array.from(res.observation);
      }
      onEpisode?.(end - this.base, this.total - this.base);
    }
  }
}
