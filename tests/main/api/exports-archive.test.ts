// `exports.archive`: the app's export of chosen runs or an experiment in any format as one .tar.gz.
// Unpacked with the system's tar, it holds under one folder exactly the files `lab export` writes
// (byte for byte, TensorBoard's binary event files included); bad targets are refused, named.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../../src-main/api/create-services.ts';
import { createApiGateway } from '../../../src-main/api/index.ts';
import type { Gateway } from '../../../src-main/api/gateway.ts';
import type { Services } from '../../../src-main/api/services.ts';
import { run as exportVerb } from '../../../src-main/cli/verbs/export.ts';
import { tarArchive } from '../../../src-main/export/tar.ts';
import { exportArchive } from '../../../src-main/api/exports.ts';
import { ApiFailure } from '../../../src-core/contract/define.ts';
import { openStore } from '../../../src-main/store/index.ts';
import { captureStdout, seedStore } from '../store/helpers.ts';
import { fileTree } from '../export/file-tree.ts';

let tmp: string;
let services: Services;
let gw: Gateway;
let ids: number[];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'lab-archive-'));
  const s = openStore(join(tmp, 'lab.db'));
  ids = seedStore(s, 3);
  s.close();
  services = await createServices({ host: 'server', dbPath: join(tmp, 'lab.db'), concurrency: 1 });
  gw = createApiGateway(services);
});
afterAll(async () => {
  await services?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** Unpacks a .tar.gz given as base64 with the system's tar into a fresh folder. */
function untar(base64: string, name: string): string {
  const dir = join(tmp, `x-${name}`);
  mkdirSync(dir);
  const file = join(tmp, `${name}.tar`);
  writeFileSync(file, gunzipSync(Buffer.from(base64, 'base64')));
  const r = spawnSync('tar', ['-xf', file, '-C', dir], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return dir;
}

describe('exports.archive', () => {
  it.each(['tensorboard', 'sb3', 'csv', 'json'] as const)('%s: the files lab export writes, under one folder', async (format) => {
    const r = await gw.call('exports.archive', { runIds: [ids[0], ids[2]], format });
    if (!r.ok) throw new Error(r.error.message);
    const v = r.value as { fileName: string; size: number; base64: string };
    const root = `runs-${ids[0]}-${ids[2]}-${format}`;
    expect(v.fileName).toBe(`${root}.tar.gz`);
    expect(v.size).toBe(Buffer.from(v.base64, 'base64').length);
    const got = untar(v.base64, format);
    expect(readdirSync(got)).toEqual([root]);
    const ref = join(tmp, `ref-${format}`);
    await captureStdout(() => exportVerb([String(ids[0]), String(ids[2]), '--format', format, '--out', ref, '--db', join(tmp, 'lab.db')]));
    const want = fileTree(ref);
    expect(Object.keys(want).length).toBeGreaterThan(0);
    if (format === 'json') {
      // exportedAt differs by the milliseconds between the two exports; the rest is the same
      const strip = (hex: string) => JSON.parse(Buffer.from(hex, 'hex').toString('utf8'), (k, x) => (k === 'exportedAt' ? '' : x));
      expect(strip(fileTree(join(got, root))['runs.json']!)).toEqual(strip(want['runs.json']!));
    } else expect(fileTree(join(got, root))).toEqual(want);
  });

  it('an experiment; unknown runs and a double target refused, named', async () => {
    const exp = await gw.call('exports.archive', { experimentId: 1, format: 'csv' });
    if (!exp.ok) throw new Error(exp.error.message);
    const v = exp.value as { fileName: string; base64: string };
    expect(v.fileName).toBe('experiment-1-csv.tar.gz');
    const dir = untar(v.base64, 'exp');
    expect(readdirSync(join(dir, 'experiment-1-csv')).sort()).toEqual(ids.map((id) => `run-${id}.csv`).sort());
    const missing = await gw.call('exports.archive', { runIds: [ids[0], 4242], format: 'sb3' });
    expect(!missing.ok && missing.error).toMatchObject({ code: 'not_found', message: 'no run with id 4242', path: 'runIds' });
    const both = await gw.call('exports.archive', { runIds: [ids[0]], experimentId: 1, format: 'csv' });
    expect(!both.ok && both.error).toMatchObject({ code: 'invalid_args', path: 'runIds' });
    const noExp = await gw.call('exports.archive', { experimentId: 77, format: 'csv' });
    expect(!noExp.ok && noExp.error).toMatchObject({ code: 'not_found', path: 'experimentId' });
  });

  it('an export larger than one download is refused with the lab export command that writes it', async () => {
    const err = await exportArchive(services, { runIds: [ids[0]!, ids[1]!], format: 'csv' }, 100).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiFailure);
    expect((err as ApiFailure).code).toBe('conflict');
    expect((err as ApiFailure).message).toMatch(new RegExp(`^the export is 0\\.0 MiB, more than one download from the app carries \\(0\\.0 MiB\\): write it to a folder with lab export ${ids[0]} ${ids[1]} --format csv --out DIR$`));
    expect((await exportArchive(services, { runIds: [ids[0]!], format: 'csv' })).fileName).toBe(`runs-${ids[0]}-csv.tar.gz`);
  });

  it('tar: a path over 100 bytes goes into the prefix field; an empty file and a 512-byte one keep their sizes', () => {
    const long = `${'a'.repeat(120)}/${'b'.repeat(90)}.txt`;
    const files = [
      { name: long, data: Buffer.from('long name'), mtime: 1.7e9 },
      { name: 'empty', data: new Uint8Array(0), mtime: 1.7e9 },
      { name: 'block', data: Buffer.alloc(512, 7), mtime: 1.7e9 },
    ];
    const file = join(tmp, 'long.tar');
    writeFileSync(file, tarArchive(files));
    const list = spawnSync('tar', ['-tvf', file], { encoding: 'utf8' });
    expect(list.status).toBe(0);
    expect(list.stdout.trim().split('\n').map((l) => l.split(/\s+/).at(-1))).toEqual([long, 'empty', 'block']);
    const dir = join(tmp, 'x-long');
    mkdirSync(dir);
    expect(spawnSync('tar', ['-xf', file, '-C', dir]).status).toBe(0);
    expect(readFileSync(join(dir, long), 'utf8')).toBe('long name');
    expect(readFileSync(join(dir, 'empty')).length).toBe(0);
    expect(readFileSync(join(dir, 'block'))).toEqual(Buffer.alloc(512, 7));
    expect(() => tarArchive([{ name: `${'c'.repeat(101)}`, data: new Uint8Array(1), mtime: 0 }])).toThrow(/too long for a ustar header/);
  });
});
