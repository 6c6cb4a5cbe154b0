// `npm run bench -- checkpoint [--steps N] [--reps R]`: an off-policy run's checkpoint with its
// replay buffer as arrays (checkpoint version 1, and 'full' mode) beside the compact one (the buffer
// as its episodes: src-core/train/replay_log.ts), per environment: bytes, time to write (digest and
// encode), and time to rebuild the buffer on resume (decode, re-simulate, digest). The buffer is
// filled with N transitions of uniform random [-1, 1] actions, resetting at every episode end as the
// training loop does; networks are left out (the same ~0.2 MB in both). Medians of R repetitions.
import { ReplayBuffer } from '../src-core/algos/common/replay_buffer.ts';
import { makeEnv } from '../src-core/envs/registry.ts';
import { Rng } from '../src-core/rng.ts';
import { toEnvAction } from '../src-core/train/action_map.ts';
import { decodeCheckpoint, encodeCheckpoint } from '../src-core/train/codec.ts';
import { ReplayLog, type ReplayLogMeta } from '../src-core/train/replay_log.ts';
import { medianOf as median } from '../src-core/stats/estimators.ts';
import { loadPhysics } from '../src-main/engine/mujoco.ts';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v <= 0) {
    console.error(`bench checkpoint: --${name} needs a positive integer`);
    process.exit(2);
  }
  return v;
}

const steps = flag('steps', 100_000);
const reps = flag('reps', 5);
await loadPhysics();

function fill(id: string): { buffer: ReplayBuffer; log: ReplayLog } {
  const env = makeEnv(id);
  const d = env.actionSpace.dim;
  const buffer = new ReplayBuffer(1_000_000, env.observationSpace.dim, d, 256);
  const log = new ReplayLog(buffer.capacity, d);
  const envRng = new Rng(1, 1);
  const actRng = new Rng(1, 2);
  const envAction = new Float64Array(d);
  const reset = () => {
    log.beginEpisode(envRng.getState(), env.sessionState?.() ?? null);
    return Float32Array.from(env.reset(envRng).observation);
  };
  let obs = reset();
  for (let t = 0; t < steps; t++) {
    const a = new Float32Array(d);
    for (let k = 0; k < d; k++) a[k] = actRng.uniformRange(-1, 1);
    const res = env.step(toEnvAction('squash', a, env.actionSpace, envAction));
    buffer.add(obs, a, res.reward, res.observation, res.terminated);
    log.push(a);
    obs = Float32Array.from(res.observation);
    if (res.terminated || res.truncated || env.elapsedSteps >= env.maxEpisodeSteps) obs = reset();
  }
  env.close?.();
  return { buffer, log };
}

function timed(f: () => void): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

const mb = (n: number) => (n / 1e6).toFixed(2);
console.log(`checkpoint of an off-policy run's replay buffer after ${steps} transitions (medians of ${reps}; networks excluded)`);
console.log('env        | arrays MB | compact MB | ratio | write arrays ms | write compact ms | rebuild s');
for (const id of ['vehicle', 'quadrotor', 'acrobot', 'hopper', 'opencat']) {
  const { buffer, log } = fill(id);
  let fullBytes = 0;
  let compactBytes: Uint8Array = new Uint8Array(0);
  const writeFull = median(Array.from({ length: reps }, () => timed(() => {
    const b = buffer.save('replay');
    fullBytes = encodeCheckpoint({ buffer: { mode: 'full', ...b.json } }, b.tensors).length;
  })));
  const writeCompact = median(Array.from({ length: reps }, () => timed(() => {
    const s = log.save('replay', buffer.digest());
    compactBytes = encodeCheckpoint({ buffer: s.meta }, s.arrays);
  })));
  const rebuild = median(Array.from({ length: Math.min(reps, 3) }, () => timed(() => {
    const { meta, arrays } = decodeCheckpoint(compactBytes);
    const m = (meta as { buffer: ReplayLogMeta }).buffer;
    const target = new ReplayBuffer(buffer.capacity, buffer.obsDim, buffer.actDim, 256);
    const env = makeEnv(id);
    ReplayLog.load(buffer.capacity, buffer.actDim, 'replay', m, arrays).rebuild(target, env, 'squash');
    env.close?.();
    if (target.digest() !== m.digest) throw new Error(`${id}: rebuilt buffer differs`);
  })));
  console.log(
    `${id.padEnd(10)} | ${mb(fullBytes).padStart(9)} | ${mb(compactBytes.length).padStart(10)} | ${(fullBytes / compactBytes.length).toFixed(1).padStart(5)} | ${writeFull.toFixed(1).padStart(15)} | ${writeCompact.toFixed(1).padStart(16)} | ${(rebuild / 1000).toFixed(2).padStart(9)}`,
  );
}
