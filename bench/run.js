#!/usr/bin/env node
// `npm run bench -- <name> [args]`: runs bench/<name>.ts (envs, mujoco, train, matmul, suite, memory, store, compare, scenes, webgpu, adaent_n, checkpoint).
// `train --backend webgpu` is the webgpu bench (bench/webgpu.ts: update times beside wasm).
// Benchmarks print tables of medians; they are never part of `npm test`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const argv = process.argv.slice(2);
const b = argv.indexOf('--backend');
const toWebgpu = argv[0] === 'train' && b > 0 && argv[b + 1] === 'webgpu';
const [name, ...rest] = toWebgpu ? ['webgpu', ...argv.slice(1, b), ...argv.slice(b + 2)] : argv;
const available = readdirSync(new URL('.', import.meta.url)).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
if (!name || !existsSync(new URL(`./${name}.ts`, import.meta.url))) {
  console.error(`usage: npm run bench -- <${available.join('|')}> [args]`);
  process.exit(2);
}
const r = spawnSync(process.execPath, ['--expose-gc', new URL(`./${name}.ts`, import.meta.url).pathname, ...rest], { stdio: 'inherit' });
process.exit(r.status ?? 1);
