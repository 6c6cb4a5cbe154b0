// Re-trains a stored SAC-family run from one of its checkpoints and probes it at chosen steps: the
// deterministic return of one episode, the mean over probe states of the policy's squashed mean
// action in one dimension, and the mean slope of min(Q1, Q2) along that dimension at the policy's
// actions. The probe states are drawn (seed 5) from the last 10k transitions of the checkpoint's
// replay buffer. Resuming is exact, so the probed steps are those of the stored run; past the run's
// budget (`--to` beyond totalSteps) it trains on. This is how docs/findings.md ("SAC with automatic
// alpha on the kinematic vehicle") found that seed 3's last evaluation caught a transient swing.
// Usage: node scripts/probe-policy-swing.ts --db DB --run ID --from CHECKPOINT --at STEP,STEP,...
//          [--dim 0] [--to STEPS]
// e.g. --db campaign.db --run 4 --from campaign.db.checkpoints/run-4/step-0000200000.ckpt
//      --at 201950,201970,201980,201985,201990,202000 (a store of `lab reproduce vehicle-kinematic
//      --algos sac-auto --seeds 5`, whose run folders keep every checkpoint).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { initBackend } from '../src-main/engine/backend.ts';
import { loadStoredAgent } from '../src-main/preview/engine-policy.ts';
import { landscapeNetworks } from '../src-main/preview/landscape-networks.ts';
import { openStore } from '../src-main/store/index.ts';
import { Rng } from '../src-core/rng.ts';
import { decodeCheckpoint } from '../src-core/train/codec.ts';
import { createGroupTrainer } from '../src-core/train/index.ts';
import type { RunConfig } from '../src-core/train/types.ts';

const PROBES = 2000;
const DELTA = 0.05;

const { values } = parseArgs({ options: { db: { type: 'string' }, run: { type: 'string' }, from: { type: 'string' }, at: { type: 'string' }, dim: { type: 'string' }, to: { type: 'string' } } });
if (!values.db || !values.run || !values.from || !values.at) {
  console.error('usage: node scripts/probe-policy-swing.ts --db DB --run ID --from CHECKPOINT --at STEP,STEP,... [--dim 0] [--to STEPS]');
  process.exit(2);
}
const dim = Number(values.dim ?? 0);
const targets = values.at.split(',').map(Number).sort((a, b) => a - b);
if (targets.some((s) => !Number.isInteger(s) || s < 0) || !Number.isInteger(dim) || dim < 0) {
  console.error('--at: whole steps, --dim: a whole action index');
  process.exit(2);
}

await initBackend('wasm');
const store = openStore(values.db);
const stored = store.runs.require(Number(values.run)).config as unknown as RunConfig;
store.close();
const cfg: RunConfig = { ...stored, totalSteps: Math.max(stored.totalSteps, Number(values.to ?? 0), targets[targets.length - 1]!) };

let state: Uint8Array = new Uint8Array(readFileSync(values.from));
const { arrays } = decodeCheckpoint(state);
const obsAll = (arrays['replay.obs'] as { shape: number[]; data: Float32Array } | undefined) ?? null;
if (!obsAll) throw new Error(`${values.from}: no replay buffer (a compact bundle's checkpoint keeps the networks only)`);
const [count, obsDim] = obsAll.shape as [number, number];
const rng = new Rng(5);
const probe = new Float32Array(PROBES * obsDim);
for (let i = 0; i < PROBES; i++) {
  const j = Math.max(0, count - 10_000) + Math.floor(rng.uniform() * Math.min(count, 10_000));
  probe.set(obsAll.data.subarray(j * obsDim, (j + 1) * obsDim), i * obsDim);
}

let step = -1;
for (const target of targets) {
  if (step < target) {
    const t = createGroupTrainer([cfg], [{}], { resume: [state] });
    await t.run(() => t.globalStep(0) >= target);
    state = t.checkpoint(0);
    step = t.globalStep(0);
    t.dispose();
  }
  const { agent, env } = await loadStoredAgent(state, cfg as unknown as Record<string, unknown>, 0, 'wasm');
  const actDim = env.actionSpace.dim;
  const net = landscapeNetworks(agent, obsDim, actDim);
  if (!net.policy || !net.softQ) throw new Error(`${agent.algo}: no squashed policy and soft critic to probe`);
  let o = env.reset(new Rng(cfg.evalSeed)).observation;
  let ret = 0;
  for (let k = 0; k < 100_000; k++) {
    const r = await agent.act(Float32Array.from(o), 1, 'deterministic', new Rng(0));
    const res = env.step(Float64Array.from(Array.from(r.actions, (x) => Math.max(-1, Math.min(1, x)))));
    ret += res.reward;
    o = res.observation;
    if (res.terminated || res.truncated) break;
  }
  const head = net.policy(probe, PROBES);
  const up = new Float32Array(PROBES * actDim);
  const down = new Float32Array(PROBES * actDim);
  let meanAction = 0;
  for (let i = 0; i < PROBES; i++) {
    for (let d = 0; d < actDim; d++) up[i * actDim + d] = down[i * actDim + d] = Math.tanh(head.mean[i * actDim + d]!);
    meanAction += up[i * actDim + dim]! / PROBES;
    up[i * actDim + dim] = Math.min(1, up[i * actDim + dim]! + DELTA);
    down[i * actDim + dim] = Math.max(-1, down[i * actDim + dim]! - DELTA);
  }
  const qUp = net.softQ(probe, up, PROBES);
  const qDown = net.softQ(probe, down, PROBES);
  let slope = 0;
  let q = 0;
  for (let i = 0; i < PROBES; i++) {
    slope += (qUp[i]! - qDown[i]!) / (up[i * actDim + dim]! - down[i * actDim + dim]!) / PROBES;
    q += (qUp[i]! + qDown[i]!) / 2 / PROBES;
  }
  console.log(`step ${step}: deterministic return ${ret.toFixed(1)} (one episode, start seed ${cfg.evalSeed}); mean action[${dim}] ${meanAction.toFixed(3)}; mean dQ/da[${dim}] ${slope.toFixed(2)}; mean Q ${q.toFixed(1)}; alpha ${net.alpha?.toFixed(3) ?? 'n/a'}`);
  agent.dispose();
}
