// `lab fan` and `lab critical` as a user runs them (node bin/lab.js), on the Paper results fixture (a
// compact toy bundle whose SAC-AdaEnt seed 0 carries hand-set weights, no other run any): a shipped
// run picked by task, algorithm and seed gives the app's paper.fan / paper.critical answer to the
// digit; the same run imported into a store and named by id gives the same numbers; bad input names
// its flag, exit 2, nothing on stdout.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CriticalArgs, FanArgs } from '../../../src-core/contract/methods/analysis.ts';
import { criticalCsv } from '../../../src-core/analysis/critical-table.ts';
import { paperHandlers } from '../../../src-main/api/paper.ts';
import type { Services } from '../../../src-main/api/services.ts';
import { PaperResults } from '../../../src-main/evidence/paper-store.ts';
import { openStore } from '../../../src-main/store/index.ts';
import { writePaperResults } from '../evidence/paper-fixture.ts';
import { lab } from './lab-cli.ts';

const results = mkdtempSync(join(tmpdir(), 'lab-fan-cli-'));
const db = join(mkdtempSync(join(tmpdir(), 'lab-fan-cli-db-')), 'lab.db');
const paper = new PaperResults(results, join(results, 'no-pieces'));
const h = paperHandlers({ paper } as unknown as Services);
const shipped = ['--results', results, '--task', 'toy', '--algo', 'sac-adaent', '--seed', '0'];
let importedId = 0;

beforeAll(async () => {
  await writePaperResults(results);
  const bundle = readdirSync(results).find((f) => f.endsWith('.labbundle'))!;
  expect((await lab('import', join(results, bundle), '--db', db)).code).toBe(0);
  const store = openStore(db);
  importedId = store.runs.list({ sort: 'id' }).rows.map((r) => store.runs.require(r.id)).find((r) => r.algo === 'sac-adaent' && r.seed === 0)!.id;
  store.close();
}, 120_000);
afterAll(async () => {
  await paper.close();
  rmSync(results, { recursive: true, force: true });
});

interface FanJson {
  source: string;
  runId: number;
  step: number;
  deterministic: { return: number; length: number; states?: number[] };
  stochastic: { samplingSeed: number; return: number; terminated: boolean; states?: number[] }[];
  summary: { deterministic: number; count: number; mean: number; median: number; lowest: number; highest: number; terminated: number };
}

describe('lab fan', () => {
  it('a shipped run by task, algorithm and seed: the app\'s paper.fan answer, with the summary of its stochastic returns', async () => {
    const r = await lab('fan', ...shipped, '--start-seed', '0', '--count', '16', '--sampling-seed', '5', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as FanJson;
    const run = (await h['paper.runs']({ task: 'toy' })).find((x) => x.algo === 'sac-adaent' && x.seed === 0)!;
    const app = await h['paper.fan'](FanArgs.parse({ run: { runId: run.id, step: 3000 }, start: { kind: 'seed', seed: 0 }, count: 16, samplingSeed: 5 }));
    expect(j.step).toBe(3000); // the latest checkpoint when --step is not given
    expect(j.source).toContain(results);
    expect(j.deterministic.return).toBe(app.deterministic.return);
    expect(j.stochastic.map((e) => [e.samplingSeed, e.return])).toEqual(app.stochastic.map((e) => [e.samplingSeed, e.return]));
    expect(j.stochastic[0]!.samplingSeed).toBe(5);
    expect(j.deterministic.states).toBeUndefined(); // --json leaves the per-step arrays out
    const returns = app.stochastic.map((e) => e.return).sort((a, b) => a - b);
    expect(j.summary.mean).toBeCloseTo(returns.reduce((a, b) => a + b, 0) / 16, 12);
    expect(j.summary.median).toBe((returns[7]! + returns[8]!) / 2);
    expect([j.summary.lowest, j.summary.highest, j.summary.count, j.summary.deterministic]).toEqual([returns[0], returns[15], 16, -1]);
    // the hand-set actor goes right (-1) deterministically; its samples spread over the toy's three returns
    expect(j.deterministic.return).toBe(-1);
    expect(new Set(returns).size).toBeGreaterThan(1);
  }, 120_000);

  it('the same run imported into a store, by id: the same episodes, as text; --with-states adds the states', async () => {
    const r = await lab('fan', String(importedId), '--db', db, '--count', '16', '--sampling-seed', '5');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`# rollout fan of run ${importedId} (sac-adaent, seed 0) at step 3000, toy/default, from the store ${db}`);
    expect(lines[1]).toBe("# start: the environment's reset from seed 0; K = 16 stochastic episodes, sampling seeds 5-20");
    expect(lines[2]).toMatch(/^deterministic episode: return -1, length \d+, /);
    const rows = lines.slice(lines.indexOf('# k sampling_seed return length end') + 1).map((l) => l.split(' '));
    expect(rows.map((c) => Number(c[1]))).toEqual(Array.from({ length: 16 }, (_, k) => 5 + k));
    const viaResults = JSON.parse((await lab('fan', ...shipped, '--count', '16', '--sampling-seed', '5', '--json')).stdout) as FanJson;
    expect(rows.map((c) => Number(c[2]))).toEqual(viaResults.stochastic.map((e) => e.return));
    const full = JSON.parse((await lab('fan', String(importedId), '--db', db, '--count', '2', '--json', '--with-states')).stdout) as FanJson;
    expect(full.deterministic.states!.length).toBe(full.deterministic.length + 1); // the toy's state is one number
  }, 120_000);

  it('bad input names what is wrong: exit 2, nothing on stdout', async () => {
    const cases: [string[], RegExp][] = [
      [['--results', results, '--task', 'toy', '--algo', 'ppo', '--seed', '0'], /shipped run \d+ \(ppo, seed 0\) kept no weights/],
      [['--results', results, '--task', 'vehicle', '--algo', 'sac', '--seed', '0'], /--task: no shipped run of task 'vehicle' in .* \(tasks there: toy\)/],
      [['--results', results, '--task', 'toy', '--algo', 'sac-adaent', '--seed', '7'], /--algo\/--seed: no shipped sac-adaent run of seed 7 on toy .*shipped there, algorithm:seed: .*sac-adaent:0/],
      [['--results', results, '--task', 'toy'], /--results needs --task, --algo and --seed/],
      [[String(importedId), '--db', db, '--count', '0'], /^lab: --count: '0' is not an integer >= 1/],
      [[String(importedId), '--db', db, '--count', '65'], /^lab: --count: .*\(1 to 64\)/],
      [[String(importedId), '--db', db, '--step', '999'], /^lab: --step: run \d+ has no checkpoint at step 999 \(stored: 3000\)/],
      [[String(importedId), '--db', db, '--start-state', '[0.5, 2]'], /^lab: --start-state: /],
      [[String(importedId), '--db', db, '--start-seed', '1', '--start-state', '[0]'], /give --start-seed or --start-state, not both/],
      [['999', '--db', db], /run 999 does not exist in /],
      [[String(importedId), '--db', db, '--with-states'], /--with-states adds the per-step states and rewards to --json/],
      [['1', ...shipped], /a RUN_ID names a run of a store/],
      [['--task', 'toy'], /--task picks a shipped run: give it with --results DIR/],
    ];
    for (const [args, message] of cases) {
      const r = await lab('fan', ...args);
      expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(r.stderr).toMatch(message);
    }
  }, 240_000);
});

interface CriticalJson {
  episode: string;
  runId: number;
  step: number;
  trajectory: { step: number; mode: string; episode: number };
  cosine: (number | null)[];
  critical: boolean[];
  threshold: number;
  summary: { steps: number; critical: number; scored: number; switched: number; switchShare: number; entropySwitched: number | null; entropyElsewhere: number | null; entropyEpisode: number };
}

describe('lab critical', () => {
  it("a shipped run's recorded episode: the app's paper.critical scores, the switch share and the recorded entropy by switch", async () => {
    const r = await lab('critical', ...shipped, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as CriticalJson;
    const run = (await h['paper.runs']({ task: 'toy' })).find((x) => x.algo === 'sac-adaent' && x.seed === 0)!;
    const app = await h['paper.critical'](CriticalArgs.parse({ run: { runId: run.id, step: 3000 }, trajectoryId: run.trajectory!.id }));
    expect(j.trajectory).toMatchObject({ step: 3000, mode: 'deterministic', episode: 0 }); // the latest recorded deterministic episode
    expect(j.step).toBe(3000); // its own evaluation's checkpoint
    expect(j.cosine).toEqual(app.cosine);
    expect(j.critical).toEqual([true, true]); // hand-set: every state critical
    const below = app.cosine.map((c) => c !== null && c < app.threshold!);
    const entropies = [0.3, 0.2]; // the fixture's recorded one-sample entropies (float32)
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
    expect(j.summary).toMatchObject({ steps: 2, critical: 2, scored: 2, switched: below.filter(Boolean).length, switchShare: below.filter(Boolean).length / 2 });
    expect(j.summary.switched).toBeGreaterThan(0);
    expect(j.summary.entropySwitched).toBeCloseTo(mean(entropies.filter((_, t) => below[t]))!, 6);
    expect(j.summary.entropyEpisode).toBeCloseTo(0.25, 6);
    // text: the summary in words
    const text = (await lab('critical', ...shipped)).stdout;
    expect(text).toContain(`AdaEnt's switch (cosine below ${app.threshold}): ${j.summary.switched} of 2 scored steps (${(50 * j.summary.switched).toFixed(1)}%)`);
  }, 120_000);

  it("the same run imported into a store, by id: the app's CSV, row for row", async () => {
    const r = await lab('critical', String(importedId), '--db', db, '--csv');
    expect(r.stderr).toBe('');
    const j = JSON.parse((await lab('critical', ...shipped, '--json')).stdout) as CriticalJson & Parameters<typeof criticalCsv>[0];
    const rows = r.stdout.trimEnd().split('\n').filter((l) => !l.startsWith('#'));
    const expected = criticalCsv(j, 'x', { rewards: [0, 1], entropies: [Math.fround(0.3), Math.fround(0.2)] }).trimEnd().split('\n').filter((l) => !l.startsWith('#'));
    expect(rows).toEqual(expected);
    expect(rows[0]).toBe('step,plain_q_peakedness,soft_plain_cosine,critical,adaent_switch,reward,policy_entropy');
    expect(r.stdout.split('\n')[0]).toBe(`# MaxEnt Lab critical states along run ${importedId} (sac-adaent, seed 0)'s deterministic evaluation episode 0 at step 3000, scored with its checkpoint at step 3000; the store ${db}`);
    // --plain-from names the run whose plain critics score the steps (here the run's own: the same cosines)
    const plain = JSON.parse((await lab('critical', String(importedId), '--db', db, '--plain-from', String(importedId), '--plain-step', '3000', '--json')).stdout) as CriticalJson & { sources: { runId: number; step: number }[]; title: string };
    expect(plain.sources.map((x) => [x.runId, x.step])).toEqual([[importedId, 3000], [importedId, 3000]]);
    expect(plain.title).toMatch(/with the plain Q of run \d+ \(sac-adaent\) at step 3000/);
    expect(plain.cosine).toEqual(j.cosine);
  }, 120_000);

  it('bad input names what is wrong: exit 2, nothing on stdout', async () => {
    const cases: [string[], RegExp][] = [
      [['--results', results, '--task', 'toy', '--algo', 'ppo', '--seed', '0'], /shipped run \d+ \(ppo, seed 0\) kept no weights/],
      [[...shipped, '--eval-step', '999'], /recorded no deterministic episode 0 at evaluation step 999 \(recorded episodes, step mode #episode: 3000 deterministic #0\)/],
      [[...shipped, '--mode', 'greedy'], /--mode: 'greedy' is not deterministic or stochastic/],
      [[...shipped, '--plain-step', '3000'], /--plain-step goes with --plain-from/],
      [[...shipped, '--plain-from', 'ppo'], /--plain-from: 'ppo' is not ALGO:SEED/],
      [[...shipped, '--plain-from', 'ppo:0'], /--plain-from: shipped run \d+ \(ppo, seed 0\) kept no weights/],
      [[...shipped, '--plain-from', 'td3:9'], /--plain-from: no shipped td3 run of seed 9 on toy/],
      [[...shipped, '--step', '1234'], /--step: run \d+ has no checkpoint at step 1234/],
      [[...shipped, '--csv', '--json'], /give --csv or --json, not both/],
      [[String(importedId), '--db', db, '--plain-from', '999'], /--plain-from: run 999 does not exist in /],
    ];
    for (const [args, message] of cases) {
      const r = await lab('critical', ...args);
      expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(r.stderr).toMatch(message);
    }
  }, 240_000);
});
