// `npm run bench -- suite [--reps N] [--learn N] [--group K|off] [--only NAME] [--algos A,B] [--json]`: what
// the quick suite (resources/experiments/*.quick.yaml) costs on this machine's backend, in
// core-hours (issue 12, section 4). Per distinct run config (runs identical but for seed), the
// speed probe of src-main/evidence/speed-probe.ts (the learning phase from N repetitions, default 5,
// of two trainings that differ only in length; warm-up and evaluation steps; with --group K,
// default 5 and at most the file's seeds, as one seed group of K, per seed) and the run's cost from
// it. An experiment costs the sum over its runs (each run on one core: tfjs-wasm uses one thread
// per process). It prints a line per experiment and the total, against the issue's target of 16
// core-hours.
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { initBackend } from '../src-main/engine/backend.ts';
import { loadPhysics } from '../src-main/engine/mujoco.ts';
import { parseExperimentText } from '../src-core/contract/experiment.ts';
import type { RunConfig } from '../src-core/train/types.ts';
import { groupKey } from '../src-main/runs/grouping.ts';
import { probeSpeed, runCoreSeconds } from '../src-main/evidence/speed-probe.ts';

const args = process.argv.slice(2);
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const reps = Number(flag('--reps') ?? 5);
const learnSteps = Number(flag('--learn') ?? 200);
const groupFlag = flag('--group') ?? '5';
const groupMax = groupFlag === 'off' ? 1 : Number(groupFlag);
const only = flag('--only');
const algos = flag('--algos')?.split(',');
const json = args.includes('--json');
const TARGET_CORE_HOURS = 16;

interface Line {
  experiment: string;
  algo: string;
  budget: number;
  seeds: number;
  group: number;
  learnStepsPerSec: number;
  coreHours: number;
}

async function main(): Promise<void> {
  const info = await initBackend('auto');
  await loadPhysics(); // hopper, opencat: MuJoCo
  const dir = new URL('../resources/experiments/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.quick.yaml') && (!only || f.startsWith(only))).sort();
  if (!json) console.log(`bench suite: backend ${info.backend}, ${reps} repetitions, ${learnSteps} learning steps, seed groups ${groupMax > 1 ? `of up to ${groupMax}` : 'off'}, load average ${loadavg()[0]!.toFixed(2)}; CPU time per core`);
  const lines: Line[] = [];
  for (const f of files) {
    const r = parseExperimentText(readFileSync(new URL(f, dir), 'utf8'));
    if (!r.runs) throw new Error(`${f}: ${r.issues[0]?.message}`);
    const groups = new Map<string, RunConfig[]>();
    for (const run of r.runs) {
      const key = groupKey(run.config, -1);
      groups.set(key, [...(groups.get(key) ?? []), run.config]);
    }
    for (const configs of groups.values()) {
      const cfg = configs[0]!;
      if (algos && !algos.includes(cfg.algo)) continue;
      const K = Math.max(1, Math.min(groupMax, configs.length));
      const m = await probeSpeed(cfg, K, { reps, learnSteps });
      const runSecs = runCoreSeconds(cfg, m);
      const line: Line = {
        experiment: f.replace('.quick.yaml', ''),
        algo: cfg.algo,
        budget: cfg.totalSteps,
        seeds: configs.length,
        group: K,
        learnStepsPerSec: m.learnMs > 0 ? 1000 / m.learnMs : Infinity,
        coreHours: (runSecs * configs.length) / 3600,
      };
      lines.push(line);
      if (!json) console.log(`  ${line.experiment.padEnd(22)} ${line.algo.padEnd(10)} ${String(line.budget).padStart(8)} steps x ${line.seeds} seeds (groups of ${K})  ${line.learnStepsPerSec.toFixed(1).padStart(8)} learning steps/s  ${line.coreHours.toFixed(2).padStart(7)} core-h`);
    }
  }
  const perExperiment = new Map<string, number>();
  for (const l of lines) perExperiment.set(l.experiment, (perExperiment.get(l.experiment) ?? 0) + l.coreHours);
  const total = lines.reduce((a, l) => a + l.coreHours, 0);
  if (json) {
    console.log(JSON.stringify({ backend: info.backend, reps, learnSteps, group: groupMax, lines, experiments: Object.fromEntries(perExperiment), totalCoreHours: total, target: TARGET_CORE_HOURS }));
    return;
  }
  for (const [name, h] of perExperiment) console.log(`${name.padEnd(24)} ${h.toFixed(2).padStart(8)} core-hours`);
  console.log(`${'quick suite'.padEnd(24)} ${total.toFixed(2).padStart(8)} core-hours (target <= ${TARGET_CORE_HOURS}: ${total <= TARGET_CORE_HOURS ? 'pass' : 'FAIL'})`);
}

await main();
