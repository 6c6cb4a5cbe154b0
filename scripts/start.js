#!/usr/bin/env node
// `npm start`: makes sure the Electron binary is there (fetching it once if needed), builds the app
// with electron-vite, and launches it. Without internet there is no Electron binary (no npm or
// Debian package ships one): then, or with MAXENT_LAB_BROWSER=1, it serves the same app in the
// browser (`lab serve`) and opens it (scripts/serve-browser.js) instead of stopping.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveInBrowser } from './serve-browser.js';

const root = new URL('..', import.meta.url).pathname;
const electronDir = join(root, 'node_modules', 'electron');
const OFFLINE_HINT = 'MaxEnt Lab: no Electron binary here and it cannot be downloaded (no internet?); serving the app in the browser instead.';

function electronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const bin = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, 'electron');
    return existsSync(bin) ? bin : null;
  }
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

function ensureElectron() {
  if (!existsSync(electronDir)) {
    console.error('MaxEnt Lab: the electron package is not installed; run `npm ci` first.');
    process.exit(1);
  }
  let bin = electronBinary();
  if (bin) return bin;
  console.log('MaxEnt Lab: fetching the Electron binary (first start only)...');
  const r = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 300_000 });
  bin = r.status === 0 ? electronBinary() : null;
  if (!bin) {
    const why = `${r.stderr ?? ''}`.split('\n').find((l) => /error|fail/i.test(l))?.trim() ?? `exit ${r.status}`;
    console.error(`${OFFLINE_HINT} (download: ${why})`);
  }
  return bin;
}

const bin = process.env.MAXENT_LAB_BROWSER === '1' ? null : ensureElectron();
const build = spawnSync(join(root, 'node_modules', '.bin', 'electron-vite'), ['build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('MaxEnt Lab: the build failed (see above).');
  process.exit(build.status ?? 1);
}
if (!bin) {
  const { child } = await serveInBrowser({ root, args: process.argv.slice(2) });
  child.on('exit', (code, signal) => process.exit(signal ? 0 : (code ?? 0)));
} else {
  const child = spawn(bin, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined } });
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
}
