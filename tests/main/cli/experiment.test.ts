// `lab experiment`: validation of files and presets; bad input is one line, exit code 2, and
// leaves the store exactly as it was.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../../src-main/cli/verbs/experiment.ts';
import { UsageError } from '../../../src-main/cli/errors.ts';
import { openStore } from '../../../src-main/store/index.ts';
import { captureStdout, seedStore, tempDir } from '../store/helpers.ts';

const LAB = new URL('../../../bin/lab.js', import.meta.url).pathname;
let t: ReturnType<typeof tempDir>;
let db: string;
beforeEach(() => {
  t = tempDir();
  db = join(t.dir, 'lab.db');
  const s = openStore(db);
  seedStore(s, 2);
  s.db.pragma('wal_checkpoint(TRUNCATE)');
  s.close();
});
afterEach(() => t.cleanup());

const file = (name: string, text: string) => {
  const p = join(t.dir, name);
  writeFileSync(p, text);
  return p;
};
const good = `name: g
preset: quick
budget: 100
eval: {interval: 50}
environments: [{id: toy}]
algorithms:
  - algo: ppo
`;

async function fails(argv: string[], message: RegExp): Promise<void> {
  const before = readFileSync(db);
  await expect(run(argv)).rejects.toThrow(message);
  await expect(run(argv)).rejects.toBeInstanceOf(UsageError);
  expect(readFileSync(db).equals(before)).toBe(true); // store unchanged
}

describe('lab experiment', () => {
  it('validates every bundled preset by name and a file, without storing anything', async () => {
    const { out, value } = await captureStdout(() => run(['validate', 'toy.quick']));
    expect(value).toBe(0);
    expect(out).toMatch(/^toy-quick: valid; 15 runs, 450000 environment steps/);
    const g = await captureStdout(() => run(['validate', file('g.yaml', good), '--json']));
    expect(JSON.parse(g.out).runs[0].config.totalSteps).toBe(100);
  });

  it('rejects bad input with one line naming the problem and leaves the store unchanged', async () => {
    await fails(['run', 'nosuchpreset', '--db', db], /no experiment file or preset named 'nosuchpreset' \(presets: acrobot, acrobot.quick/);
    await fails(['run', file('m.yaml', 'name: m\nalgorithms: [\n  - algo: ppo\nenvironments: {\n'), '--db', db], /^m\.yaml:\d+: \(syntax\): malformed YAML/);
    await fails(['run', file('r.yaml', good.replace('budget: 100', 'budget: 100\neval: {interval: 50, episodes: 5000}').replace('eval: {interval: 50}\n', '')), '--db', db], /r\.yaml:4: eval\.episodes: 5000 is out of range; allowed <= 1000/);
    await fails(['run', file('h.yaml', `${good}    hyperparameters: {gamma: 2}\n`), '--db', db], /h\.yaml:8: algorithms\[0\]\.hyperparameters\.gamma: 2 is out of range; allowed \[0, 1\]/);
    await fails(['run', file('u.yaml', `${good}    hyperparameters: {learning_rte: 0.1}\n`), '--db', db], /u\.yaml:8: algorithms\[0\]\.hyperparameters\.learning_rte: unknown hyperparameter for ppo/);
    await fails(['run', file('ok.yaml', good), '--db', db, '--concurrency', '0'], /--concurrency: '0' is not an integer >= 1/);
  });

  it('refuses a database path that is a directory or read-only', async () => {
    const dir = join(t.dir, 'adir');
    mkdirSync(dir);
    await expect(run(['run', file('ok.yaml', good), '--db', dir])).rejects.toThrow(/is a directory/);
    chmodSync(db, 0o444);
    await fails(['run', file('ok.yaml', good), '--db', db], /read-only/);
    chmodSync(db, 0o644);
  });

  it('exits with code 2 and one stderr line, nothing on stdout (real process)', () => {
    const r = spawnSync(process.execPath, [LAB, 'experiment', 'run', file('h.yaml', `${good}    hyperparameters: {gamma: 2}\n`), '--db', db], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual(['lab: h.yaml:8: algorithms[0].hyperparameters.gamma: 2 is out of range; allowed [0, 1]']);
  });
});
