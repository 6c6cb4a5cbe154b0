// `npm run bench -- mujoco [--reps N] [--steps N] [--native BIN] [--json]`: where the time of a
// MuJoCo environment step goes (issue 16). Per CPU-second of this process, median of N repetitions
// (default 7), every measure taken once per repetition in turn so that the ratios are side by side:
//   raw RK4      mj_step of the Hopper model as the spec has it (Gymnasium's RK4, 0.002 s), in the
//                loop of bench/native/mujoco_step.c (controls changed every 4 steps, reset on falling)
//   raw Euler    the same model and loop with the integrator switched to Euler: NOT the spec's
//                model, only to show what RK4's four model evaluations per step cost
//   env          HopperEnv.step (4 mj_step each) with random actions, reset at episode end, as
//                `bench envs` and a training loop step it
//   env, no physics  the same with mj_step replaced by a no-op: the environment's own cost per
//                step (action, observation, reward, health rule, views of MuJoCo's arrays)
// and the same env / no-physics pair for OpenCat (3 mj_step per env step, its own model), plus
// one read of MuJoCo's contact list through the binding (OpenCat counts its arm contacts so, once per
// env step; with mj_step a no-op the robot has no contacts, so that pair leaves the read out).
// --native BIN runs bench/native/mujoco_step (built by bench/native/build.sh from Debian's MuJoCo
// 2.2.2) on the same Hopper MJCF, RK4 and Euler, as an anchor for the WebAssembly build's speed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPhysics } from '../src-main/engine/mujoco.ts';
import type { MjDataLike, MjModelLike, Physics } from '../src-core/envs/mujoco/physics.ts';
import { toMjcf } from '../src-core/envs/mujoco/mjcf.ts';
import { HOPPER_MODEL } from '../src-core/envs/hopper/model.ts';
import { HopperEnv } from '../src-core/envs/hopper/env.ts';
import { HOPPER_FRAME_SKIP } from '../src-core/envs/hopper/params.ts';
import { OpenCatEnv } from '../src-core/envs/opencat/env.ts';
import { OPENCAT_MODEL } from '../src-core/envs/opencat/model.ts';
import { OPENCAT_PHYSICS_STEPS, OPENCAT_START_ANGLE } from '../src-core/envs/opencat/params.ts';
import { Rng } from '../src-core/rng.ts';
import type { Env } from '../src-core/envs/types.ts';
import { medianOf as median } from '../src-core/stats/estimators.ts';

const HOPPER_TARGET = 10_000; // env steps/s, issue 16
const MJ_INT_EULER = 0, MJ_INT_RK4 = 1; // mjtIntegrator

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}
function positive(name: string, fallback: number): number {
  const raw = flag(name);
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v <= 0) {
    console.error(`bench mujoco: --${name} needs a positive integer, got ${raw}`);
    process.exit(2);
  }
  return v;
}
const reps = positive('reps', 7);
const envSteps = positive('steps', 4000);
const nativeBin = flag('native');
const asJson = process.argv.includes('--json');

const physics = await loadPhysics();
const mj = physics.mujoco as Physics['mujoco'] & { mj_versionString(): string };
/** The engine with mj_step a no-op: what is left of an env step is the environment's own work. */
const noPhysics: Physics = { mujoco: Object.create(physics.mujoco, { mj_step: { value: () => {} } }) };
const hopperXml = toMjcf(HOPPER_MODEL);

/** The controls of bench/native/mujoco_step.c: the same generator, the same 4,096 x 3 table. */
const CONTROLS = (() => {
  const c = new Float64Array(3 * 4096);
  let s = 12345;
  for (let i = 0; i < c.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    c[i] = (s / 4294967296) * 2 - 1;
  }
  return c;
})();

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** mj_step per CPU-second in the native anchor's loop. */
function rawStepRate(m: MjModelLike, d: MjDataLike, steps: number): number {
  const reset = (): void => {
    mj.mj_resetData(m, d);
    mj.mj_forward(m, d);
  };
  reset();
  const qpos = d.qpos, ctrl = d.ctrl; // no allocation happens in this loop: the views stay valid
  const t0 = cpuSeconds();
  for (let i = 0; i < steps; i++) {
    if ((i & 3) === 0) {
      const k = ((i >> 2) & 4095) * 3;
      ctrl[0] = CONTROLS[k]!;
      ctrl[1] = CONTROLS[k + 1]!;
      ctrl[2] = CONTROLS[k + 2]!;
      if (!(qpos[1]! > 0.7 && Math.abs(qpos[2]!) < 0.2)) reset();
    }
    mj.mj_step(m, d);
  }
  return steps / (cpuSeconds() - t0);
}

/** Environment steps per CPU-second with pre-drawn random actions, reset at episode end. */
function envStepRate(env: Env, actions: Float64Array[], rng: Rng, steps: number): number {
  let checksum = 0;
  env.reset(rng);
  const t0 = cpuSeconds();
  for (let i = 0; i < steps; i++) {
    const r = env.step(actions[i & (actions.length - 1)]!);
    checksum += r.reward;
    if (r.terminated || r.truncated) env.reset(rng);
  }
  const rate = steps / (cpuSeconds() - t0);
  if (Number.isNaN(checksum)) process.stdout.write(''); // keeps the loop's result alive
  return rate;
}

/** Reads per CPU-second of the contact list (d.contact: a vector of copies) of OpenCat standing. */
function contactReadRate(reads: number): { rate: number; ncon: number } {
  const m = mj.MjModel.from_xml_string(toMjcf(OPENCAT_MODEL));
  const d = new mj.MjData(m);
  mj.mj_resetData(m, d);
  const qpos = d.qpos, ctrl = d.ctrl;
  for (let j = 0; j < 8; j++) qpos[7 + j] = ctrl[j] = j % 2 === 0 ? OPENCAT_START_ANGLE : 0;
  for (let i = 0; i < 240; i++) mj.mj_step(m, d); // one second: standing on its paws
  const ncon = d.ncon;
  let seen = 0;
  const t0 = cpuSeconds();
  for (let r = 0; r < reads; r++) {
    const list = d.contact;
    for (let i = 0; i < list.size(); i++) {
      const c = list.get(i)!;
      seen += c.geom1 + c.geom2;
      c.delete();
    }
    list.delete();
  }
  const rate = reads / (cpuSeconds() - t0);
  d.delete();
  m.delete();
  if (Number.isNaN(seen)) process.stdout.write('');
  return { rate, ncon };
}

function withIntegrator(integrator: number): { m: MjModelLike; d: MjDataLike } {
  const m = mj.MjModel.from_xml_string(hopperXml) as MjModelLike & { opt: { integrator: number } };
  m.opt.integrator = integrator;
  return { m, d: new mj.MjData(m) };
}

function actionsFor(env: Env): Float64Array[] {
  const rng = new Rng(7);
  return Array.from({ length: 4096 }, () => env.actionSpace.sample(rng));
}

interface Measure {
  name: string;
  unit: 'mj_step' | 'env step' | 'read';
  /** Physics steps per unit (to express a rate as microseconds per env step). */
  perEnvStep: number;
  steps: number;
  run(steps: number): number;
  rates: number[];
}

const rk4 = withIntegrator(MJ_INT_RK4);
const euler = withIntegrator(MJ_INT_EULER);
const hopper = new HopperEnv(physics);
const hopperBare = new HopperEnv(noPhysics);
const opencat = new OpenCatEnv(physics);
const opencatBare = new OpenCatEnv(noPhysics);
const hopperActions = actionsFor(hopper);
const opencatActions = actionsFor(opencat);
const rng = new Rng(123);
const measures: Measure[] = [
  { name: 'hopper raw mj_step, RK4 (the spec\'s model)', unit: 'mj_step', perEnvStep: HOPPER_FRAME_SKIP, steps: HOPPER_FRAME_SKIP * envSteps, run: (n) => rawStepRate(rk4.m, rk4.d, n), rates: [] },
  { name: 'hopper raw mj_step, Euler (not the spec\'s)', unit: 'mj_step', perEnvStep: HOPPER_FRAME_SKIP, steps: HOPPER_FRAME_SKIP * envSteps, run: (n) => rawStepRate(euler.m, euler.d, n), rates: [] },
  { name: 'hopper env step', unit: 'env step', perEnvStep: 1, steps: envSteps, run: (n) => envStepRate(hopper, hopperActions, rng, n), rates: [] },
  { name: 'hopper env step, mj_step a no-op', unit: 'env step', perEnvStep: 1, steps: 25 * envSteps, run: (n) => envStepRate(hopperBare, hopperActions, rng, n), rates: [] },
  { name: 'opencat env step', unit: 'env step', perEnvStep: 1, steps: envSteps, run: (n) => envStepRate(opencat, opencatActions, rng, n), rates: [] },
  { name: 'opencat env step, mj_step a no-op', unit: 'env step', perEnvStep: 1, steps: 25 * envSteps, run: (n) => envStepRate(opencatBare, opencatActions, rng, n), rates: [] },
  { name: 'opencat contact list read (standing)', unit: 'read', perEnvStep: 1, steps: envSteps, run: (n) => contactReadRate(n).rate, rates: [] },
];

for (const m of measures) m.run(Math.max(1, m.steps >> 2)); // warm-up
for (let r = 0; r < reps; r++) {
  for (const m of measures) {
    (globalThis as { gc?: () => void }).gc?.();
    m.rates.push(m.run(m.steps));
  }
}
for (const env of [hopper, hopperBare, opencat, opencatBare]) env.close();
for (const s of [rk4, euler]) {
  s.d.delete();
  s.m.delete();
}


interface NativeResult { version: string; integrator: number; median: number; rates: number[] }
function runNative(bin: string): { rk4: NativeResult; euler: NativeResult } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-mujoco-'));
  try {
    const file = join(dir, 'hopper.xml');
    // MuJoCo 2.2 has no <size memory> (it sizes its arena from njmax/nconmax); the arena's size
    // does not change what a step computes
    writeFileSync(file, hopperXml.replace(/<size memory="[^"]*"\/>/, ''));
    const run = (integrator: number): NativeResult =>
      JSON.parse(execFileSync(bin, [file, String(integrator), String(HOPPER_FRAME_SKIP * envSteps), String(reps)], { encoding: 'utf8' })) as NativeResult;
    return { rk4: run(MJ_INT_RK4), euler: run(MJ_INT_EULER) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
let native: { rk4: NativeResult; euler: NativeResult } | null = null;
if (nativeBin) {
  try {
    native = runNative(nativeBin);
  } catch (err) {
    console.error(`bench mujoco: the native anchor ${nativeBin} failed (build it with bench/native/build.sh): ${(err as Error).message}`);
    process.exit(1);
  }
}

const med = (name: string): number => median(measures.find((m) => m.name.startsWith(name))!.rates);
const rawRk4 = med('hopper raw mj_step, RK4');
const rawEuler = med('hopper raw mj_step, Euler');
const hopperEnv = med('hopper env step');
const hopperOwn = med('hopper env step, mj_step');
const opencatEnv = med('opencat env step');
const opencatOwn = med('opencat env step, mj_step');
const contactRead = med('opencat contact list read');
const standingContacts = contactReadRate(1).ncon;
const us = (rate: number): number => 1e6 / rate;
const summary = {
  mujoco: mj.mj_versionString(),
  node: process.version,
  reps,
  hopper: {
    raw_rk4_mj_step_per_s: rawRk4,
    raw_euler_mj_step_per_s: rawEuler,
    rk4_over_euler_cost: rawEuler / rawRk4,
    env_steps_per_s: hopperEnv,
    ceiling_env_steps_per_s: rawRk4 / HOPPER_FRAME_SKIP,
    physics_us_per_env_step: us(rawRk4 / HOPPER_FRAME_SKIP),
    own_us_per_env_step: us(hopperOwn),
    own_share: us(hopperOwn) / us(hopperEnv),
    target_env_steps_per_s: HOPPER_TARGET,
    rk4_mj_step_per_s_needed: HOPPER_TARGET * HOPPER_FRAME_SKIP,
  },
  opencat: {
    env_steps_per_s: opencatEnv,
    own_us_per_env_step: us(opencatOwn),
    own_share: us(opencatOwn) / us(opencatEnv),
    contact_read_us: us(contactRead),
    contact_read_share: us(contactRead) / us(opencatEnv),
    standing_contacts: standingContacts,
    physics_steps_per_env_step: OPENCAT_PHYSICS_STEPS,
  },
  native: native && {
    mujoco: native.rk4.version,
    rk4_mj_step_per_s: native.rk4.median,
    euler_mj_step_per_s: native.euler.median,
    wasm_over_native_rk4: rawRk4 / native.rk4.median,
    wasm_over_native_euler: rawEuler / native.euler.median,
  },
};

if (asJson) {
  console.log(JSON.stringify(summary, null, 2));
} else {
  const f = (x: number): string => Math.round(x).toLocaleString('en-US');
  const rows = measures.map((m) => [m.name, `${f(median(m.rates))} ${m.unit}/CPU-s`, `${f(Math.min(...m.rates))} .. ${f(Math.max(...m.rates))}`, `${(us(median(m.rates)) * m.perEnvStep).toFixed(1)} us`]);
  if (native) {
    rows.push([`native MuJoCo ${native.rk4.version} raw mj_step, RK4`, `${f(native.rk4.median)} mj_step/CPU-s`, `${f(Math.min(...native.rk4.rates))} .. ${f(Math.max(...native.rk4.rates))}`, `${(us(native.rk4.median) * HOPPER_FRAME_SKIP).toFixed(1)} us`]);
    rows.push([`native MuJoCo ${native.euler.version} raw mj_step, Euler`, `${f(native.euler.median)} mj_step/CPU-s`, `${f(Math.min(...native.euler.rates))} .. ${f(Math.max(...native.euler.rates))}`, `${(us(native.euler.median) * HOPPER_FRAME_SKIP).toFixed(1)} us`]);
  }
  const header = ['measure', 'median', `range over ${reps} reps`, 'per env step'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((c, i) => (i ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  const h = summary.hopper, o = summary.opencat;
  console.log(`MuJoCo ${summary.mujoco} (WebAssembly), Node ${summary.node}, single thread, rates per CPU-second`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  console.log('');
  console.log(`hopper: physics ${h.physics_us_per_env_step.toFixed(1)} us + environment's own ${h.own_us_per_env_step.toFixed(2)} us per env step (own share ${(100 * h.own_share).toFixed(1)}%)`);
  console.log(`hopper: ceiling with zero environment overhead ${f(h.ceiling_env_steps_per_s)} env steps/s; the ${f(HOPPER_TARGET)} target needs ${f(h.rk4_mj_step_per_s_needed)} RK4 mj_step/s (${(h.rk4_mj_step_per_s_needed / rawRk4).toFixed(1)}x this build)`);
  console.log(`hopper: RK4 costs ${h.rk4_over_euler_cost.toFixed(2)}x an Euler step (the model with Euler would give ${f(rawEuler / HOPPER_FRAME_SKIP)} env steps/s, but Hopper-v4 is RK4)`);
  if (summary.native) console.log(`native anchor: WebAssembly runs at ${(100 * summary.native.wasm_over_native_rk4).toFixed(0)}% of native MuJoCo ${summary.native.mujoco} on RK4 (${(100 * summary.native.wasm_over_native_euler).toFixed(0)}% on Euler); native RK4 ceiling ${f(summary.native.rk4_mj_step_per_s / HOPPER_FRAME_SKIP)} env steps/s`);
  console.log(`opencat: environment's own ${o.own_us_per_env_step.toFixed(2)} us of ${us(opencatEnv).toFixed(1)} us per env step (own share ${(100 * o.own_share).toFixed(1)}%), plus the contact list read: ${o.contact_read_us.toFixed(1)} us with ${o.standing_contacts} contacts (${(100 * o.contact_read_share).toFixed(0)}% of a step)`);
}
