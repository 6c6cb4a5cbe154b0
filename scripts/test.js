#!/usr/bin/env node
// `npm test`: every check CI runs, in order, with one closing line "tests: N passed, N failed".
// Steps: core purity, type checks (core, node, web + svelte), the desktop build, the Node suite
// (core + main), then the browser suite in Debian's chromium. A failing step fails the run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const results = 'test-results';
mkdirSync(results, { recursive: true });
const bin = (name) => `node_modules/.bin/${name}`;
let passed = 0;
let failed = 0;
const failures = [];

function step(name, cmd, args, vitestJson) {
  const t0 = Date.now();
  if (vitestJson) rmSync(vitestJson, { force: true });
  console.log(`\n=== ${name}: ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (vitestJson && existsSync(vitestJson)) {
    const report = JSON.parse(readFileSync(vitestJson, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
  } else if (r.status === 0) passed += 1;
  else failed += 1;
  if (r.status !== 0) failures.push(name);
  console.log(`=== ${name}: ${r.status === 0 ? 'ok' : `FAILED (exit ${r.status})`} in ${secs} s`);
}

const vitest = (config, out) => [
  'run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`,
];

step('core purity', 'node', ['scripts/check-core-purity.js']);
step('typecheck core', bin('tsc'), ['-p', 'tsconfig.core.json']);
step('typecheck node', bin('tsc'), ['-p', 'tsconfig.node.json']);
if (existsSync('src-renderer')) step('typecheck web', bin('svelte-check'), ['--tsconfig', 'tsconfig.web.json', '--threshold', 'error']);
if (existsSync('electron.vite.config.ts')) step('desktop build', bin('electron-vite'), ['build']);
step('node suite', bin('vitest'), vitest('vitest.config.ts', `${results}/node.json`), `${results}/node.json`);
if (existsSync('tests/e2e') && !process.env.LAB_SKIP_E2E) {
  step('browser suite', bin('vitest'), vitest('vitest.e2e.config.ts', `${results}/e2e.json`), `${results}/e2e.json`);
}

if (failures.length > 0) console.log(`\nfailed steps: ${failures.join(', ')}`);
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(failures.length > 0 ? 1 : 0);
