// `npm run bench -- adaent_n [--only toy|vehicle] [--toy-steps N] [--vehicle-steps N] [--states N] [--reps N] [--json]`:
// how SAC-AdaEnt's switch decision depends on N, the number of sampled actions in the cosine
// (issue 12, section 3). Trains one SAC-AdaEnt run per task with its quick preset (bounded
// budgets, seed 0), then, at states drawn from that run's replay buffer, decides the switch
// (cosine < threshold) with N = 100 and with N = 100 again, 32 and 16 (fresh noise each, --reps
// times) and reports the share of states decided as with N = 100. The N = 100 vs N = 100 line is
// the sampling noise of the paper's own setting. A quick preset may use a smaller N only where
// agreement >= 95% is measured (src-core/presets/quick.ts).
// `--db PATH --runs ID,ID`: measure instead at the latest checkpoints of stored SAC-AdaEnt runs (for
// example the campaign's, trained to the end of their budget), one row per run.
import { initBackend } from '../src-main/engine/backend.ts';
import { Rng } from '../src-core/rng.ts';
import { createSeedBatchedAgent } from '../src-core/algos/index.ts';
import type { SeedSacAdaEntAgent } from '../src-core/algos/sac_adaent/sac_adaent.ts';
import { createTrainer, decodeCheckpoint, resolveRunConfig } from '../src-core/train/index.ts';
import { makeEnv } from '../src-core/envs/registry.ts';
import { readFileSync } from 'node:fs';
import type { RunConfig } from '../src-core/train/types.ts';
import { openStore } from '../src-main/store/index.ts';

const args = process.argv.slice(2);
const num = (flag: string, dflt: number) => (args.includes(flag) ? Number(args[args.indexOf(flag) + 1]) : dflt);
const ONLY = args.includes('--only') ? args[args.indexOf('--only') + 1]! : null;
const TASKS: [string, number][] = ([['toy', num('--toy-steps', 6_000)], ['vehicle', num('--vehicle-steps', 4_000)]] as [string, number][]).filter(([t]) => !ONLY || t === ONLY);
if (TASKS.length === 0) throw new Error(`--only ${ONLY}: the tasks are toy and vehicle`);
const STATES = num('--states', 1024);
const REPS = num('--reps', 3);
const NS = [100, 32, 16];

type Loaded = { agent: SeedSacAdaEntAgent; states: Float32Array; n: number; threshold: number; obsDim: number };

async function trained(env: string, steps: number): Promise<Loaded> {
  const cfg = resolveRunConfig({ env, algo: 'sac-adaent', preset: 'quick', seed: 0, overrides: { totalSteps: steps, evalInterval: steps, evalEpisodes: 1 } });
  let bytes: Uint8Array | null = null;
  const t = createTrainer(cfg, { onCheckpoint: (c) => void (bytes = c.bytes) });
  await t.run();
  t.dispose();
  return fromCheckpoint(cfg, bytes!);
}

/** A stored run's latest checkpoint, with its config and step. */
function stored(db: string, runId: number): { cfg: RunConfig; bytes: Uint8Array; step: number } {
  const store = openStore(db, { mustExist: true });
  try {
    const run = store.runs.require(runId);
    if (run.algo !== 'sac-adaent') throw new Error(`run ${runId} is ${run.algo}, not sac-adaent`);
    const cp = store.checkpoints.latest(runId);
    if (!cp) throw new Error(`run ${runId} has no checkpoint`);
    return { cfg: run.config, bytes: new Uint8Array(readFileSync(cp.file)), step: cp.step };
  } finally {
    store.close();
  }
}

function fromCheckpoint(cfg: RunConfig, bytes: Uint8Array): Loaded {
  const { meta, arrays } = decodeCheckpoint(bytes);
  const probe = makeEnv(cfg.env.id, cfg.env.variant, cfg.env.params);
  const obsDim = probe.observationSpace.dim;
  const agent = createSeedBatchedAgent('sac-adaent', cfg.algoConfig, obsDim, probe.actionSpace.dim, [new Rng(0, 0)]) as SeedSacAdaEntAgent;
  const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const [k, v] of Object.entries(arrays)) if (k.startsWith('agent/')) tensors[k.slice(6)] = v as { shape: number[]; data: Float32Array };
  agent.loadState(0, { tensors, json: (meta as { agent: Record<string, unknown> }).agent });
  const buf = arrays['replay.obs']!.data as Float32Array;
  const count = buf.length / obsDim;
  const pick = new Rng(99);
  const states = new Float32Array(STATES * obsDim);
  for (let i = 0; i < STATES; i++) {
    const j = pick.int(count);
    states.set(buf.subarray(j * obsDim, (j + 1) * obsDim), i * obsDim);
  }
  return { agent, states, n: STATES, threshold: (cfg.algoConfig as { threshold: number }).threshold, obsDim };
}

async function main(): Promise<void> {
  await initBackend('auto');
  const out: Record<string, Record<string, number>> = {};
  const db = args.includes('--db') ? args[args.indexOf('--db') + 1]! : null;
  const runIds = args.includes('--runs') ? args[args.indexOf('--runs') + 1]!.split(',').map(Number) : [];
  const sources: { name: string; steps: number; load: () => Promise<Loaded> }[] = db
    ? runIds.map((id) => {
        const s = stored(db, id);
        return { name: `run ${id} (${s.cfg.env.id}, seed ${s.cfg.seed})`, steps: s.step, load: async () => fromCheckpoint(s.cfg, s.bytes) };
      })
    : TASKS.map(([env, steps]) => ({ name: env, steps, load: () => trained(env, steps) }));
  for (const { name: env, steps, load } of sources) {
    const t0 = Date.now();
    const { agent, states, n, threshold } = await load();
    const rng = new Rng(7);
    const ref = await agent.switchCosines(0, states, n, 100, rng);
    const refSwitch = Array.from(ref, (c) => c < threshold);
    const row: Record<string, number> = { train_steps: steps, states: n, switch_rate_n100: refSwitch.filter(Boolean).length / n };
    for (const N of NS) {
      const agree: number[] = [];
      for (let r = 0; r < REPS; r++) {
        const c = await agent.switchCosines(0, states, n, N, rng);
        let same = 0;
        for (let i = 0; i < n; i++) if ((c[i]! < threshold) === refSwitch[i]) same++;
        agree.push(same / n);
      }
      row[`agreement_n${N}`] = agree.reduce((a, b) => a + b, 0) / agree.length;
      row[`agreement_n${N}_min`] = Math.min(...agree);
    }
    agent.dispose();
    out[env] = row;
    if (!args.includes('--json')) console.log(`${env}: trained ${steps} steps (${((Date.now() - t0) / 1000).toFixed(0)} s); ${JSON.stringify(row)}`);
  }
  if (args.includes('--json')) console.log(JSON.stringify(out));
}

await main();
