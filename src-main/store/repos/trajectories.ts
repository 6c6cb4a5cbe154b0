// Evaluation trajectories: per-step arrays stored as little-endian typed-array blobs
// (Float32 for observations, actions, rewards, components, log-probs, entropies; Float64 for states).
import type { Statement } from 'better-sqlite3';
import type { DB } from '../connection.ts';
import type { EvalMode, Trajectory } from '../../../src-core/train/types.ts';

export interface TrajectoryInfo {
  id: number;
  step: number;
  mode: EvalMode;
  episode: number;
  startSeed: number;
  length: number;
}

function blob(a: Float32Array | Float64Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

function f32(b: Buffer): Float32Array {
  // Copy: SQLite's buffer may not be 4-byte aligned.
  const out = new Float32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}

function f64(b: Buffer): Float64Array {
  const out = new Float64Array(b.byteLength / 8);
  new Uint8Array(out.buffer).set(b);
  return out;
}

export class TrajectoriesRepo {
  private readonly s: Record<string, Statement>;
  constructor(db: DB) {
    this.s = {
      insert: db.prepare(
        `INSERT OR REPLACE INTO trajectories (run_id, step, mode, episode, start_seed, length, obs_dim, act_dim, state_dim,
           observations, actions, rewards, component_names, components, log_probs, entropies, states)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      list: db.prepare('SELECT id, step, mode, episode, start_seed, length FROM trajectories WHERE run_id = ? ORDER BY step, mode, episode'),
      get: db.prepare('SELECT * FROM trajectories WHERE id = ?'),
      deleteAfter: db.prepare('DELETE FROM trajectories WHERE run_id = ? AND step > ?'),
    };
  }

  insert(runId: number, t: Trajectory): number {
    const names = Object.keys(t.rewardComponents);
    const comps = new Float32Array(names.length * t.length);
    names.forEach((n, i) => comps.set(t.rewardComponents[n]!.subarray(0, t.length), i * t.length));
    return Number(
      this.s.insert!.run(
        runId, t.step, t.mode, t.episode, t.startSeed, t.length, t.obsDim, t.actDim, t.stateDim,
        blob(t.observations), blob(t.actions), blob(t.rewards), JSON.stringify(names), blob(comps),
        blob(t.logProbs), blob(t.entropies), blob(t.states),
      ).lastInsertRowid,
    );
  }

  list(runId: number): TrajectoryInfo[] {
    return (this.s.list!.all(runId) as Record<string, unknown>[]).map((r) => ({
      id: r.id as number,
      step: r.step as number,
      mode: r.mode as EvalMode,
      episode: r.episode as number,
      startSeed: r.start_seed as number,
      length: r.length as number,
    }));
  }

  get(id: number): (Trajectory & { runId: number }) | undefined {
    const r = this.s.get!.get(id) as Record<string, any> | undefined;
    if (!r) return undefined;
    const T = r.length as number;
    const names = JSON.parse(r.component_names) as string[];
    const comps = f32(r.components);
    const rewardComponents: Record<string, Float32Array> = {};
    names.forEach((n, i) => (rewardComponents[n] = comps.slice(i * T, (i + 1) * T)));
    return {
      runId: r.run_id,
      step: r.step,
      mode: r.mode,
      episode: r.episode,
      startSeed: r.start_seed,
      length: T,
      obsDim: r.obs_dim,
      actDim: r.act_dim,
      stateDim: r.state_dim,
      observations: f32(r.observations),
      actions: f32(r.actions),
      rewards: f32(r.rewards),
      rewardComponents,
      logProbs: f32(r.log_probs),
      entropies: f32(r.entropies),
      states: f64(r.states),
    };
  }

  deleteAfter(runId: number, step: number): void {
    this.s.deleteAfter!.run(runId, step);
  }
}
