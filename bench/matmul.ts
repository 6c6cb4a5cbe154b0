// `npm run bench -- matmul [--reps N] [--json]`: the ceiling under the training benchmarks (issue 12).
// Times the matrix products one SAC / SAC-AdaEnt update is made of, on the backend in use (wasm
// here), beside PyTorch on one thread (bench/torch_matmul.py, OPENBLAS_NUM_THREADS=1 and
// OMP_NUM_THREADS=1), as CPU ms and GFLOP/s per product, medians of N repetitions. Also a K = 5
// seed-stacked product done as one batched matMul against K separate ones (what the seed-batched
// updates choose between). If the lab's per-product ratio against torch is r, no update built of
// these products can be faster than about r x torch on this backend: that is the floor the
// `train` targets are read against.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src-main/engine/backend.ts';
import { medianOf as median } from '../src-core/stats/estimators.ts';

const args = process.argv.slice(2);
const reps = args.includes('--reps') ? Math.max(1, Number(args[args.indexOf('--reps') + 1])) : 5;
const asJson = args.includes('--json');

/** [m, k, n]: an (m x k) by (k x n) product. Batch 256, observation 17 + action 6 = 23 inputs. */
const SHAPES: Record<string, [number, number, number]> = {
  in_64: [256, 23, 64],
  hidden_64: [256, 64, 64],
  grad_w_64: [64, 256, 64],
  adaent_hidden_64: [25600, 64, 64],
  in_256: [256, 23, 256],
  hidden_256: [256, 256, 256],
  adaent_hidden_256: [25600, 256, 256],
};


/** Median CPU ms of one call of `fn` (which returns a tensor, read back so the work is done). */
function cpuMs(fn: () => tf.Tensor, flops: number): number {
  for (let i = 0; i < 3; i++) tf.tidy(() => { fn().dataSync(); });
  const calls = Math.max(1, Math.floor(2e8 / flops));
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < calls; i++) tf.tidy(() => { fn().dataSync(); });
    const c = process.cpuUsage(c0);
    times.push((c.user + c.system) / 1000 / calls);
  }
  return median(times);
}

function torchTimes(): Record<string, number> | string {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' };
  const py = spawnSync('/usr/bin/python3', [new URL('./torch_matmul.py', import.meta.url).pathname, '--reps', String(reps), '--shapes', JSON.stringify(SHAPES)], { encoding: 'utf8', timeout: 600_000, env });
  if (py.status !== 0) return `not available (${(py.stderr || py.error?.message || '').trim().split('\n').pop()}); install: apt-get install python3-torch libopenblas0-pthread`;
  return JSON.parse(py.stdout.trim().split('\n').pop()!) as Record<string, number>;
}

async function main(): Promise<void> {
  const info = await initBackend('auto');
  const log = (line: string) => (asJson ? process.stderr.write(line + '\n') : console.log(line));
  log(`bench matmul: backend ${info.backend}${info.wasm ? ` (SIMD ${info.wasm.simd}, threads ${info.wasm.threads})` : ''}, ${reps} repetitions, load average ${loadavg()[0]!.toFixed(2)}`);
  const torch = torchTimes();
  if (typeof torch === 'string') log(`pytorch: ${torch}`);
  else log(`pytorch: BLAS ${torch.blas} (${torch.blas_kind}), one thread`);
  const rows: Record<string, { lab_ms: number; lab_gflops: number; torch_ms?: number; torch_gflops?: number; ratio?: number }> = {};
  for (const [name, [m, k, n]] of Object.entries(SHAPES)) {
    const flops = 2 * m * k * n;
    const a = tf.randomNormal([m, k], 0, 1, 'float32', 1);
    const b = tf.randomNormal([k, n], 0, 1, 'float32', 2);
    const lab = cpuMs(() => tf.matMul(a, b), flops);
    tf.dispose([a, b]);
    const t = typeof torch === 'string' ? undefined : torch[name];
    rows[name] = { lab_ms: lab, lab_gflops: flops / lab / 1e6, ...(t ? { torch_ms: t, torch_gflops: flops / t / 1e6, ratio: lab / t } : {}) };
  }
  // K = 5 seeds' hidden products: one batched matMul against five separate ones
  const K = 5;
  for (const h of [64, 256]) {
    const a = tf.randomNormal([K, 256, h], 0, 1, 'float32', 3);
    const b = tf.randomNormal([K, h, h], 0, 1, 'float32', 4);
    const as = tf.unstack(a);
    const bs = tf.unstack(b);
    const flops = 2 * K * 256 * h * h;
    const batched = cpuMs(() => tf.matMul(a, b), flops);
    const separate = cpuMs(() => tf.concat(as.map((x, i) => tf.matMul(x, bs[i]!))), flops);
    rows[`k5_batched_${h}`] = { lab_ms: batched, lab_gflops: flops / batched / 1e6 };
    rows[`k5_separate_${h}`] = { lab_ms: separate, lab_gflops: flops / separate / 1e6 };
    tf.dispose([a, b, ...as, ...bs]);
  }
  if (asJson) {
    console.log(JSON.stringify(rows));
    return;
  }
  console.log('product                 m x k x n            lab CPU ms  lab GFLOP/s  torch CPU ms  torch GFLOP/s  lab/torch');
  for (const [name, r] of Object.entries(rows)) {
    const shape = SHAPES[name] ? SHAPES[name]!.join(' x ') : name.startsWith('k5') ? `5 x (256 x ${name.split('_').pop()} x ${name.split('_').pop()})` : '';
    const f = (x: number | undefined, d: number) => (x === undefined ? '-' : x.toFixed(d));
    console.log(`${name.padEnd(23)} ${shape.padEnd(20)} ${f(r.lab_ms, 3).padStart(10)}  ${f(r.lab_gflops, 1).padStart(11)}  ${f(r.torch_ms, 3).padStart(12)}  ${f(r.torch_gflops, 1).padStart(13)}  ${f(r.ratio, 2).padStart(9)}`);
  }
}

await main();
