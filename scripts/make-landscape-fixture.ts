// Makes tests/fixtures/landscape/toy-adaent-seed1-13000.ckpt: a toy SAC-AdaEnt checkpoint trained
// past its switch, for tests/main/preview/landscape-toy.test.ts (issue 15). It trains the quick
// preset (seed 1, wasm backend) for 13,000 steps with `lab train` (~5 minutes here; seed 1 switched
// to the +1 branch at ~11k steps, docs/findings.md) and keeps the networks and their optimiser state
// but drops the replay buffer (850 KB the landscape does not need).
// Usage: node scripts/make-landscape-fixture.ts [--from CHECKPOINT]  (--from: strip an existing file)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeCheckpoint, encodeCheckpoint, type ArrayMap } from '../src-core/train/codec.ts';

const OUT = new URL('../tests/fixtures/landscape/toy-adaent-seed1-13000.ckpt', import.meta.url).pathname;
const STEPS = 13_000;

let source = process.argv[process.argv.indexOf('--from') + 1];
if (!process.argv.includes('--from')) {
  const dir = mkdtempSync(join(tmpdir(), 'landscape-fixture-'));
  const lab = new URL('../bin/lab.js', import.meta.url).pathname;
  execFileSync(process.execPath, [lab, 'train', '--env', 'toy', '--algo', 'sac-adaent', '--preset', 'quick', '--seed', '1', '--steps', String(STEPS), '--backend', 'wasm', '--out', join(dir, 'run'), '--db', join(dir, 'lab.db')], { stdio: 'inherit' });
  source = join(dir, 'run', 'checkpoints', `step-${String(STEPS).padStart(10, '0')}.ckpt`);
}
const { meta, arrays } = decodeCheckpoint(new Uint8Array(readFileSync(source!)));
const kept: ArrayMap = {};
for (const [k, v] of Object.entries(arrays)) if (k.startsWith('agent/')) kept[k] = v;
writeFileSync(OUT, encodeCheckpoint(meta, kept));
console.log(`wrote ${OUT} from ${source}`);
