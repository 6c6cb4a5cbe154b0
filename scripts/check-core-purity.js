#!/usr/bin/env node
// Enforces the core's purity (architecture principle 1): nothing under src-core may import
// electron, a node:* or Node built-in module, a native module, or touch the DOM or Math.random.
// Exit 1 with one line per offence. Run by `npm test` (and so by CI).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const core = join(root, 'src-core');
const NATIVE = ['@mujoco/mujoco', 'better-sqlite3', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'ws', 'electron'];
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const FORBIDDEN_CODE = [
  [/\bMath\.random\b/, 'Math.random (use src-core/rng.ts)'],
  [/\b(window|document|navigator|localStorage)\s*[.[]/, 'a DOM global'],
  [/\bprocess\s*\.\s*(env|argv|exit|stdout|stderr|cwd)\b/, 'the Node process object'],
  [/\brequire\s*\(/, 'require()'],
];

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.(ts|js|mts|mjs)$/.test(name)) yield p;
  }
}

const offences = [];
for (const file of files(core)) {
  const text = readFileSync(file, 'utf8');
  const rel = relative(root, file);
  const importRe = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(importRe)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (builtins.has(spec) || spec.startsWith('node:')) offences.push(`${rel}: imports Node built-in '${spec}'`);
    else if (NATIVE.some((n) => spec === n || spec.startsWith(`${n}/`))) offences.push(`${rel}: imports '${spec}' (native or platform module)`);
  }
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  for (const [re, what] of FORBIDDEN_CODE) if (re.test(code)) offences.push(`${rel}: uses ${what}`);
}

if (offences.length > 0) {
  for (const o of offences) console.error(`core purity: ${o}`);
  process.exit(1);
}
console.log('core purity: ok (src-core imports no electron, node:*, native module or DOM)');
