// In Chromium through `lab serve`: the Runs view exports the selected runs as one .tar.gz, in the
// format chosen. The download, unpacked with the system's tar, holds exactly the files
// `lab export` writes for the same runs (TensorBoard's event files byte for byte), and the event
// file reads back with every CRC checked and every stored metric point in it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ROOT, startLab, type Lab } from './harness.ts';
import { openStore } from '../../src-main/store/index.ts';
import { TOY_LIKE, writeFixture } from '../main/bundle/fixture.ts';
import { readEventFile } from '../main/export/read-tfevents.ts';
import { fileTree } from '../main/export/file-tree.ts';

let lab: Lab;
let runIds: number[] = [];
let points = 0;
const tmp = mkdtempSync(join(tmpdir(), 'lab-runs-export-'));

beforeAll(async () => {
  lab = await startLab({
    prepare: (db) => {
      const s = openStore(db);
      runIds = writeFixture(s, TOY_LIKE, { checkpoint: false }).runIds;
      points = [...s.metrics.all(runIds[3]!)].length;
      s.close();
    },
  });
}, 120_000);
afterAll(async () => {
  await lab?.close();
  rmSync(tmp, { recursive: true, force: true });
});

test('Runs view: the selected runs as TensorBoard event files, the files lab export writes', async () => {
  const { page } = lab;
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Runs', exact: true }).click();
  const [a, b] = [runIds[0]!, runIds[3]!];
  await page.getByRole('checkbox', { name: `Select run ${a}`, exact: true }).check();
  await page.getByRole('checkbox', { name: `Select run ${b}`, exact: true }).check();
  await page.getByTestId('export-format').selectOption('tensorboard');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-runs').click()]);
  const root = `runs-${a}-${b}-tensorboard`;
  expect(dl.suggestedFilename()).toBe(`${root}.tar.gz`);
  await expect.poll(() => page.getByTestId('export-msg').textContent()).toMatch(new RegExp(`^${root}\\.tar\\.gz: \\d+\\.\\d KiB$`));
  await lab.screenshot('runs-export');

  const tar = join(tmp, 'dl.tar');
  writeFileSync(tar, gunzipSync(readFileSync((await dl.path())!)));
  const got = join(tmp, 'got');
  mkdirSync(got);
  expect(spawnSync('tar', ['-xf', tar, '-C', got]).status).toBe(0);
  const ref = join(tmp, 'ref');
  const cli = spawnSync(process.execPath, ['bin/lab.js', 'export', String(a), String(b), '--format', 'tensorboard', '--out', ref, '--db', lab.dbPath], { cwd: ROOT, encoding: 'utf8' });
  expect(cli.stderr).toBe('');
  expect(fileTree(join(got, root))).toEqual(fileTree(ref));

  const dir = readdirSync(join(got, root)).find((d) => d.startsWith(`run-${b}-`))!;
  expect(dir).toBe(`run-${b}-sac-toy-default-seed0`);
  const [file] = readdirSync(join(got, root, dir));
  const events = readEventFile(readFileSync(join(got, root, dir, file!)));
  expect(events.length).toBe(2 + points); // the file version, the config text, every metric point
  expect(events[1]!.text).toMatch(new RegExp(`^run ${b}: sac`));
  expect(lab.foreignRequests()).toEqual([]);
});
