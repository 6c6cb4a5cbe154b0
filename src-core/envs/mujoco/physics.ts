// The part of the MuJoCo WebAssembly module (@mujoco/mujoco) that the environments use, as a
// structural type: src-core never imports the module. The process that hosts the environments
// (worker, CLI, preview, tests) loads it once and hands it to the registry (providePhysics).
// Arrays on MjData are live views into the WebAssembly heap; every MjModel/MjData is freed
// with delete() (src-core/envs/mujoco/sim.ts does both).

/** A numeric array view (Float64Array for mjtNum fields, Int32Array for int fields). */
export type MjArray = Float64Array;

export interface MjContactLike {
  geom1: number;
  geom2: number;
  delete(): void;
}

export interface MjContactVecLike {
  size(): number;
  get(i: number): MjContactLike | undefined;
  delete(): void;
}

export interface MjModelLike {
  readonly nq: number;
  readonly nv: number;
  readonly nu: number;
  readonly na: number;
  readonly nbody: number;
  readonly ngeom: number;
  readonly opt: { timestep: number };
  readonly qpos0: MjArray;
  readonly body_parentid: Int32Array;
  readonly geom_bodyid: Int32Array;
  readonly body_mass: MjArray;
  delete(): void;
}

export interface MjDataLike {
  time: number;
  readonly qpos: MjArray;
  readonly qvel: MjArray;
  readonly act: MjArray;
  readonly ctrl: MjArray;
  readonly qacc_warmstart: MjArray;
  readonly xpos: MjArray;
  readonly xquat: MjArray;
  readonly geom_xpos: MjArray;
  readonly geom_xmat: MjArray;
  readonly ncon: number;
  readonly contact: MjContactVecLike;
  delete(): void;
}

/** The MuJoCo module as handed to the registry: what `await loadMujoco()` returns. */
export interface MujocoModule {
  MjModel: { from_xml_string(xml: string): MjModelLike };
  MjData: new (model: MjModelLike) => MjDataLike;
  mj_step(m: MjModelLike, d: MjDataLike): void;
  mj_forward(m: MjModelLike, d: MjDataLike): void;
  mj_kinematics(m: MjModelLike, d: MjDataLike): void;
  mj_resetData(m: MjModelLike, d: MjDataLike): void;
  mj_versionString(): string;
}

/** What the hosting process hands to the registry. */
export interface Physics {
  mujoco: MujocoModule;
}
