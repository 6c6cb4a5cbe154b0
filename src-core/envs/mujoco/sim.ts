// One MuJoCo simulation owned by one environment: step, read and write the state that continues a
// simulation exactly, and free its data on close. The compiled model (read-only while simulating)
// is shared by every simulation of the same MJCF text in a process: compiling takes milliseconds,
// and PPO runs 16-64 environments plus the evaluation ones. Its data (all the simulation state) is
// each environment's own and is deleted by close(). Arrays on MjData are views into the WebAssembly
// heap; fetching one through the binding costs ~0.3 us, so the ones a step uses are kept (`views`)
// and fetched again only when the heap has grown (which detaches every older view).
import type { MjDataLike, MjModelLike, MujocoModule, Physics } from './physics.ts';

/** The MjData arrays that an environment step reads and writes, as live views. */
export interface MjViews {
  readonly qpos: Float64Array;
  readonly qvel: Float64Array;
  readonly ctrl: Float64Array;
  readonly warmstart: Float64Array;
}

/** Compiled models per engine instance and MJCF text (kept for the life of the process). */
const MODELS = new WeakMap<Physics, Map<string, MjModelLike>>();

function compiled(physics: Physics, xml: string, envId: string): MjModelLike {
  let byXml = MODELS.get(physics);
  if (!byXml) MODELS.set(physics, (byXml = new Map()));
  let model = byXml.get(xml);
  if (!model) {
    try {
      model = physics.mujoco.MjModel.from_xml_string(xml);
    } catch (err) {
      throw new Error(`${envId}: MuJoCo could not compile the model: ${(err as Error).message ?? String(err)}`);
    }
    byXml.set(xml, model);
  }
  return model;
}

export class MujocoSim {
  readonly mj: MujocoModule;
  readonly nq: number;
  readonly nv: number;
  readonly nu: number;
  readonly timestep: number;
  private model: MjModelLike | null;
  private data: MjDataLike | null;
  private kept: MjViews | null = null;

  constructor(physics: Physics, xml: string, envId: string) {
    this.mj = physics.mujoco;
    const model = compiled(physics, xml, envId);
    this.model = model;
    this.data = new this.mj.MjData(model);
    this.nq = model.nq;
    this.nv = model.nv;
    this.nu = model.nu;
    this.timestep = model.opt.timestep;
  }

  get m(): MjModelLike {
    if (!this.model) throw new Error('MuJoCo simulation used after close()');
    return this.model;
  }

  get d(): MjDataLike {
    if (!this.data) throw new Error('MuJoCo simulation used after close()');
    return this.data;
  }

  /**
   * qpos, qvel, ctrl and qacc_warmstart as views into the WebAssembly heap. An MjData's arrays never
   * move, but growing the heap (any allocation: another environment's data, a contact list) detaches
   * the old buffer and every view of it reads as length 0: then they are fetched again. Take them
   * again after any call that may allocate; MuJoCo's step, forward and reset do not.
   */
  get views(): MjViews {
    let v = this.kept;
    if (v === null || v.qpos.length === 0) {
      const d = this.d;
      v = this.kept = { qpos: d.qpos, qvel: d.qvel, ctrl: d.ctrl, warmstart: d.qacc_warmstart };
    }
    return v;
  }

  /** Size of the state that continues a simulation exactly: qpos, qvel, qacc_warmstart. */
  get stateSize(): number {
    return this.nq + 2 * this.nv;
  }

  /** mj_resetData: qpos = qpos0, zero velocities, controls, warm start and time. */
  reset(): void {
    this.mj.mj_resetData(this.m, this.d);
  }

  /** Writes qpos, qvel and the solver's warm start (what mj_step reads) from `s` at offset `o`. */
  setState(s: ArrayLike<number>, o = 0): void {
    const { qpos, qvel, warmstart: ws } = this.views;
    for (let i = 0; i < this.nq; i++) qpos[i] = s[o + i]!;
    for (let i = 0; i < this.nv; i++) qvel[i] = s[o + this.nq + i]!;
    for (let i = 0; i < this.nv; i++) ws[i] = s[o + this.nq + this.nv + i]!;
  }

  /** Reads qpos, qvel and the warm start into `out` at offset `o`. */
  getState(out: Float64Array, o = 0): void {
    const v = this.views;
    out.set(v.qpos, o);
    out.set(v.qvel, o + this.nq);
    out.set(v.warmstart, o + this.nq + this.nv);
  }

  /** Recomputes positions, velocities and forces from the current state (no time step). */
  forward(): void {
    this.mj.mj_forward(this.m, this.d);
  }

  step(n = 1): void {
    const m = this.m, d = this.d;
    for (let i = 0; i < n; i++) this.mj.mj_step(m, d);
  }

  /** Frees the data (the shared model stays compiled); further use throws. Safe to call twice. */
  close(): void {
    this.data?.delete();
    this.data = null;
    this.kept = null;
    this.model = null;
  }
}
