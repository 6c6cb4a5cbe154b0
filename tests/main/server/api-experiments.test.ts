// The experiment and run methods through the gateway on a temporary store (no training):
// validation that reports every problem at once with field paths, the grid summary, YAML import
// with line numbers that changes nothing, export round trip, create, the bundled paper experiments,
// run tags/notes, and exports in the `lab export` layouts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createServices } from '../../../src-main/api/create-services.ts';
import { createApiGateway } from '../../../src-main/api/index.ts';
import type { Gateway } from '../../../src-main/api/gateway.ts';
import type { Services } from '../../../src-main/api/services.ts';

let tmp: string;
let services: Services;
let gw: Gateway;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'lab-api-'));
  services = await createServices({ host: 'server', dbPath: join(tmp, 'lab.db'), concurrency: 1 });
  gw = createApiGateway(services);
});
afterAll(async () => {
  await services?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const spec = {
  name: 'grid',
  preset: 'quick',
  budget: 1000,
  eval: { interval: 500, episodes: 3 },
  seeds: { count: 5, base: 10 },
  environments: [{ id: 'toy' }],
  algorithms: [{ algo: 'ppo' }, { algo: 'sac', hyperparameters: { alpha: 1 } }, { algo: 'sac-adaent' }],
};

async function ok<T>(method: string, args: unknown): Promise<T> {
  const r = await gw.call(method, args);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value as T;
}

describe('experiments', () => {
  test('validate expands the grid: 3 algorithms x 5 seeds = 15 runs of 1000 steps; no speed measured yet', async () => {
    const v = await ok<{ issues: unknown[]; expansion: Record<string, unknown> }>('experiments.validate', { spec });
    expect(v.issues).toEqual([]);
    expect(v.expansion).toEqual({ runs: 15, algorithms: 3, environments: 1, seeds: 5, totalSteps: 15_000, estimatedSeconds: null, speedSource: 'none' });
  });

  test('validate reports a bad budget and a bad hyperparameter together, each with its path', async () => {
    const bad = { ...spec, budget: -5, algorithms: [{ algo: 'ppo' }, { algo: 'sac', hyperparameters: { gamma: 2 } }] };
    const v = await ok<{ issues: { path: string; message: string }[]; expansion: unknown }>('experiments.validate', { spec: bad });
    expect(v.expansion).toBeNull();
    expect(v.issues.map((i) => i.path).sort()).toEqual(['algorithms[1].hyperparameters.gamma', 'budget']);
    expect(v.issues.find((i) => i.path === 'budget')!.message).toBe('-5 is out of range; allowed >= 1');
    expect(v.issues.find((i) => i.path.includes('gamma'))!.message).toMatch(/^2 is out of range; allowed \[0, 1\]/);
  });

  test('create refuses an invalid spec naming the field, and stores nothing', async () => {
    const r = await gw.call('experiments.create', { spec: { ...spec, seeds: { count: 0 } } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'invalid_args', path: 'seeds.count' });
    expect(await ok('experiments.list', {})).toEqual([]);
  });

  test('malformed YAML is refused with its line; a valid file round-trips through export', async () => {
    const r = await gw.call('experiments.importYaml', { text: 'name: x\nseeds: [1, 2\n' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/^line \d+: \(syntax\): malformed YAML/);
    const { text } = await ok<{ text: string }>('experiments.exportYaml', { spec });
    expect(parse(text)).toEqual(spec);
    const imported = await ok<{ spec: Record<string, unknown> }>('experiments.importYaml', { text });
    expect(imported.spec).toMatchObject({ name: 'grid', budget: 1000, seeds: { count: 5, base: 10 } });
    expect(await ok('experiments.list', {})).toEqual([]);
  });

  test('create stores the experiment and its runs (queued, not started without launch)', async () => {
    const c = await ok<{ id: number; runIds: number[] }>('experiments.create', { spec, launch: false });
    expect(c.runIds).toHaveLength(15);
    const list = await ok<{ id: number; runCount: number; statusCounts: Record<string, number> }[]>('experiments.list', {});
    expect(list).toEqual([expect.objectContaining({ id: c.id, runCount: 15, statusCounts: { queued: 15 } })]);
    const runs = await ok<{ total: number; rows: { algo: string; seed: number; hyper: Record<string, unknown>; lastEval: unknown }[] }>('runs.list', { experimentId: c.id, algo: 'sac', sort: 'seed', dir: 'asc' });
    expect(runs.total).toBe(5);
    expect(runs.rows.map((r) => r.seed)).toEqual([10, 11, 12, 13, 14]);
    expect(runs.rows[0]!.hyper).toMatchObject({ alpha: 1, autoAlpha: false });
    expect(runs.rows[0]!.lastEval).toEqual({});
    expect(services.runsStatus()).toEqual({ active: 0, queued: 0, concurrency: 1 });
    const exp = await ok<{ spec: Record<string, unknown> }>('experiments.get', { id: c.id });
    expect(exp.spec).toMatchObject({ name: 'grid', preset: 'quick' });
    expect((await ok<{ text: string }>('experiments.exportYaml', { id: c.id })).text).toContain('name: grid');
  });

  test('the bundled paper experiments are offered and each is valid', async () => {
    const presets = await ok<{ name: string; spec: Record<string, unknown> }[]>('experiments.presets', {});
    expect(presets.map((p) => p.name)).toContain('toy.quick');
    expect(presets.length).toBeGreaterThanOrEqual(14);
    for (const p of presets) {
      const v = await ok<{ issues: unknown[] }>('experiments.validate', { spec: p.spec });
      expect(v.issues).toEqual([]);
    }
  });
});

describe('runs', () => {
  test('tags and notes are replaced, unknown runs are not_found, bad tags name the field', async () => {
    const { rows } = await ok<{ rows: { id: number }[] }>('runs.list', { limit: 1 });
    const id = rows[0]!.id;
    expect(await ok('runs.tag', { id, tags: ['b', 'a', 'a'] })).toEqual({ id, tags: ['a', 'b'] });
    expect(await ok('runs.tag', { id, tags: ['c'] })).toEqual({ id, tags: ['c'] });
    expect(await ok('runs.note', { id, notes: 'hello' })).toEqual({ id, notes: 'hello' });
    expect(await ok('runs.get', { id })).toMatchObject({ id, tags: ['c'], notes: 'hello', status: 'queued' });
    const nf = await gw.call('runs.pause', { id: 99999 });
    expect(!nf.ok && nf.error).toMatchObject({ code: 'not_found', path: 'id' });
    const badTag = await gw.call('runs.tag', { id, tags: ['ok', ''] });
    expect(!badTag.ok && badTag.error).toMatchObject({ code: 'invalid_args', path: 'tags.1' });
  });

  test('evaluation summaries: one row per run with evaluations, in its mode; bad specs name the field', async () => {
    const { rows } = await ok<{ rows: { id: number }[] }>('runs.list', { limit: 2 });
    const [a, b] = rows.map((r) => r.id) as [number, number];
    const store = services.store;
    store.evaluations.insert(a, { step: 100, mode: 'stochastic', returns: [1, 3], lengths: [5, 5], startSeeds: [1, 2], wallTime: 1 });
    store.evaluations.insert(a, { step: 200, mode: 'stochastic', returns: [6], lengths: [5], startSeeds: [1], wallTime: 2 });
    const got = await ok<{ label: string; rows: unknown[] }>('runs.evalSummaries', { summary: { kind: 'auc' }, runIds: [a, b] });
    // a only (b has no evaluation), stochastic (a has no deterministic one): (2 + 6) / 2 over steps 100-200
    expect(got.rows).toEqual([{ runId: a, mode: 'stochastic', value: 4, fromStep: 100, toStep: 200, evaluations: 2 }]);
    expect(got.label).toMatch(/^area under the evaluation curve divided by the steps it spans/);
    const badK = await gw.call('runs.evalSummaries', { summary: { kind: 'mean-last', k: 0 } });
    expect(!badK.ok && badK.error).toMatchObject({ code: 'invalid_args', path: 'summary.k' });
    const badKind = await gw.call('runs.evalSummaries', { summary: { kind: 'worst' } });
    expect(!badKind.ok && badKind.error).toMatchObject({ code: 'invalid_args', path: 'summary.kind' });
  });

  test('pausing a run that is not running is a conflict; cancel and delete work on queued runs', async () => {
    const { rows } = await ok<{ rows: { id: number }[] }>('runs.list', { limit: 2 });
    const [a, b] = rows.map((r) => r.id);
    const p = await gw.call('runs.pause', { id: a });
    expect(!p.ok && p.error.code).toBe('conflict');
    expect(await ok('runs.cancel', { id: a })).toEqual({ id: a, status: 'cancelled' });
    const again = await gw.call('runs.cancel', { id: a });
    expect(!again.ok && again.error).toMatchObject({ code: 'conflict', message: `run ${a} is already cancelled` });
    expect(await ok('runs.delete', { id: b })).toEqual({ id: b, deleted: true });
    const gone = await gw.call('runs.get', { id: b });
    expect(!gone.ok && gone.error.code).toBe('not_found');
  });

  test('exports use the lab export layouts', async () => {
    const { rows } = await ok<{ rows: { id: number }[] }>('runs.list', { limit: 1 });
    const csv = await ok<{ files: { name: string; text: string }[] }>('exports.run', { runId: rows[0]!.id, format: 'csv' });
    expect(csv.files).toEqual([{ name: `run-${rows[0]!.id}.csv`, text: 'key,step,wall_time,value\n' }]);
    const both = await gw.call('exports.run', { runId: 1, experimentId: 1, format: 'csv' });
    expect(!both.ok && both.error).toMatchObject({ code: 'invalid_args', path: 'runId' });
    const nf = await gw.call('exports.run', { runId: 99999, format: 'json' });
    expect(!nf.ok && nf.error).toMatchObject({ code: 'not_found', path: 'runId' });
  });
});
