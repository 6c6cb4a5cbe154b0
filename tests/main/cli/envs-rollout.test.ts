// `lab envs` and `lab rollout` as a user runs them (node bin/lab.js): outputs, check values
// through the CLI, and every bad-input case (one line on stderr, exit 2, nothing on stdout).
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src-main/cli/errors.ts';
import * as rolloutVerb from '../../../src-main/cli/verbs/rollout.ts';

const root = new URL('../../../', import.meta.url).pathname;

interface LabRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/lab.js ...args` as a user would. */
function labAsync(...args: string[]): Promise<LabRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/lab.js', ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

const dir = mkdtempSync(join(tmpdir(), 'lab-rollout-'));
const actionsFile = join(dir, 'actions.json');
writeFileSync(actionsFile, JSON.stringify([[2.5, 3], [0.5, -3]]));
const badJson = join(dir, 'bad.json');
writeFileSync(badJson, '[[1, 2], [3');
const badLength = join(dir, 'len.json');
writeFileSync(badLength, JSON.stringify([[1, 2], [3]]));

// Every command the tests run, launched up front three at a time (each is a separate Node process).
const quadArgs = (seed: string) => ['rollout', '--env', 'quadrotor', '--const', '2,2,2,2', '--steps', '3', '--seed', seed, '--json'];
const COMMANDS: Record<string, string[]> = {
  envsJson: ['envs', '--json'],
  envsText: ['envs'],
  vehicle: ['rollout', '--env', 'vehicle', '--const', '0,0', '--json'],
  kinematic: ['rollout', '--env', 'vehicle', '--variant', 'kinematic', '--const', '0,0', '--json'],
  acrobot: ['rollout', '--env', 'acrobot', '--init-state', `[${Math.PI / 2 + 0.1}, 0, 0, 0]`, '--const', '0', '--steps', '200', '--json'],
  pendulum: ['rollout', '--env', 'pendulum', '--init-state', '[1, 0]', '--const', '0', '--param', 'g=10'],
  obstacle: ['rollout', '--env', 'obstacle2d', '--actions', actionsFile, '--json'],
  // MuJoCo in the CLI: a tilted hopper (torso angle 0.25 rad, past 0.2) is unhealthy at its first step
  hopper: ['rollout', '--env', 'hopper', '--init-state', `[0, 1.25, 0.25, ${new Array(15).fill(0).join(', ')}]`, '--const', '0,0,0', '--json'],
  seed5: quadArgs('5'),
  seed6: quadArgs('6'),
};
// the bad-input kinds, through the real command
const BAD: [string, string[], RegExp][] = [
  ['unknown environment', ['--env', 'cartpole', '--const', '0'], /unknown environment 'cartpole' \(known: toy, vehicle/],
  ['unknown variant', ['--env', 'vehicle', '--variant', 'hover', '--const', '0,0'], /unknown variant 'hover'/],
  ['unknown parameter', ['--env', 'pendulum', '--param', 'mass=2', '--const', '0'], /unknown parameter 'mass'/],
  ['non-number parameter', ['--env', 'pendulum', '--param', 'g=abc', '--const', '0'], /--param g: 'abc' is not a number/],
  ['wrong action length', ['--env', 'vehicle', '--const', '0'], /--const: 1 values given, the action has 2/],
  ['wrong state length', ['--env', 'acrobot', '--init-state', '[1, 2]', '--const', '0'], /--init-state: 2 values given, expected 4/],
  ['malformed state JSON', ['--env', 'acrobot', '--init-state', '[1, 2', '--const', '0'], /--init-state: '\[1, 2' is not valid JSON/],
  ['missing file', ['--env', 'obstacle2d', '--actions', join(dir, 'nope.json')], /--actions: cannot read '.*nope\.json': no such file/],
  ['malformed actions file', ['--env', 'obstacle2d', '--actions', badJson], /is not valid JSON/],
];
for (const [name, args] of BAD) COMMANDS[`bad: ${name}`] = ['rollout', ...args];

const results = new Map<string, LabRun>();
beforeAll(async () => {
  const queue = Object.entries(COMMANDS);
  const worker = async (): Promise<void> => {
    for (let item = queue.shift(); item; item = queue.shift()) results.set(item[0], await labAsync(...item[1]));
  };
  await Promise.all([worker(), worker(), worker()]);
});

function lab(name: string): LabRun {
  const r = results.get(name);
  if (!r) throw new Error(`no result for command '${name}'`);
  return r;
}

describe('lab envs', () => {
  it('--json lists every environment with variants, spaces, limits and parameters', () => {
    const r = lab('envsJson');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { id: string; maxEpisodeSteps: number; variants: { name: string; action: { low: number[] } }[]; params: { name: string }[] }[];
    expect(list.map((e) => e.id)).toEqual(['toy', 'vehicle', 'quadrotor', 'acrobot', 'obstacle2d', 'pendulum', 'hopper', 'opencat']);
    const quad = list.find((e) => e.id === 'quadrotor')!;
    expect(quad.maxEpisodeSteps).toBe(40);
    expect(quad.variants.map((v) => v.name)).toEqual(['rotors', 'simplified']);
    expect(quad.variants[0]!.action.low).toEqual([0, 0, 0, 0]);
    expect(list.find((e) => e.id === 'pendulum')!.params.map((p) => p.name)).toContain('g');
  });

  it('text output names each environment and its episode limit', () => {
    const r = lab('envsText');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^vehicle: .*\n[\s\S]*episode limit: 200 steps, reported as terminated/m);
    expect(r.stdout).toMatch(/variant kinematic/);
  });
});

describe('lab rollout', () => {
  it('hopper on MuJoCo: --init-state with a tilted torso terminates at the first step', () => {
    const r = lab('hopper');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.length).toBe(1);
    expect(out.terminated).toBe(true);
    expect(out.final_observation.length).toBe(11);
    expect(out.rewards[0]).toBeGreaterThan(0.5); // healthy 1 plus a small forward term
  });

  it('vehicle, constant [0, 0]: return -76858.5645 with the JSON keys', () => {
    const r = lab('vehicle');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).sort()).toEqual(['final_observation', 'length', 'return', 'rewards', 'terminated', 'truncated']);
    expect(out.length).toBe(200);
    expect(out.rewards.length).toBe(200);
    expect(out.terminated).toBe(true);
    expect(out.truncated).toBe(false);
    expect(out.final_observation.length).toBe(6);
    expect(relErr(out.return, -76858.5645)).toBeLessThan(1e-6);
  });

  it('kinematic variant, --init-state and --param; text output', () => {
    const k = JSON.parse(lab('kinematic').stdout);
    expect(relErr(k.return, -77901.5273)).toBeLessThan(1e-6);
    const a = JSON.parse(lab('acrobot').stdout);
    expect(a.length).toBe(200);
    expect(a.truncated).toBe(false);
    expect(relErr(a.return, -2088.7922)).toBeLessThan(1e-6);
    const p = lab('pendulum');
    expect(p.code).toBe(0);
    expect(p.stdout).toMatch(/^return: -1067\.452/m);
    expect(p.stdout).toMatch(/^length: 200$/m);
    expect(p.stdout).toMatch(/^truncated: true$/m);
  });

  it('--actions FILE: obstacle2d check value, stopping at termination', () => {
    const out = JSON.parse(lab('obstacle').stdout);
    expect(out.rewards[1]).toBe(500);
    expect(out.length).toBe(2);
    expect(out.terminated).toBe(true);
    expect(relErr(out.return, 499.9586)).toBeLessThan(1e-6);
  });

  it('--seed changes random starts; the same seed repeats them (in-process for the repeat)', async () => {
    const five = JSON.parse(lab('seed5').stdout).return;
    const six = JSON.parse(lab('seed6').stdout).return;
    expect(five).not.toBe(six);
    const written: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (written.push(chunk), true)) as typeof process.stdout.write;
    try {
      await rolloutVerb.run(quadArgs('5').slice(1));
    } finally {
      process.stdout.write = original;
    }
    expect(JSON.parse(written.join('')).return).toBe(five);
  });

  for (const [name, , message] of BAD) {
    it(`bad input: ${name} -> one line on stderr, exit 2, empty stdout`, () => {
      const r = lab(`bad: ${name}`);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n').length).toBe(1);
      expect(r.stderr).toMatch(message);
    });
  }

  // more bad input, in-process (cheaper than a process each): the verb throws a UsageError before printing
  const more: [string, string[], RegExp][] = [
    ['out-of-range parameter', ['--env', 'pendulum', '--param', 'g=-1', '--const', '0'], /'g' = -1 is outside/],
    ['non-number action', ['--env', 'vehicle', '--const', '0,x'], /--const entry 1: 'x' is not a number/],
    ['non-number in state', ['--env', 'pendulum', '--init-state', '[1, "a"]', '--const', '0'], /entry 1 \(theta_d\) is not a finite number/],
    ['toy state out of range', ['--env', 'toy', '--init-state', '[7]', '--const', '0'], /integer state index 0\.\.5/],
    ['wrong action length in file', ['--env', 'obstacle2d', '--actions', badLength], /action 1 in '.*len\.json': 1 values given, the action has 2/],
    ['both action sources', ['--env', 'toy', '--const', '0', '--actions', actionsFile], /exactly one of --const/],
    ['no action source', ['--env', 'toy'], /exactly one of --const/],
    ['bad steps', ['--env', 'toy', '--const', '0', '--steps', '0'], /--steps: '0' is not an integer >= 1/],
    ['missing env', ['--const', '0'], /--env is required/],
    ['unknown flag', ['--env', 'toy', '--const', '0', '--speed', '3'], /unknown flag --speed/],
  ];
  for (const [name, args, message] of more) {
    it(`bad input: ${name} -> UsageError`, async () => {
      const written: string[] = [];
      const original = process.stdout.write.bind(process.stdout);
      process.stdout.write = ((chunk: string) => (written.push(chunk), true)) as typeof process.stdout.write;
      try {
        await expect(rolloutVerb.run(args)).rejects.toThrow(message);
        await expect(rolloutVerb.run(args)).rejects.toBeInstanceOf(UsageError);
      } finally {
        process.stdout.write = original;
      }
      expect(written).toEqual([]);
    });
  }
});
