// `quick` presets: smaller budgets and, where needed, networks, chosen so each task's qualitative
// result still shows in minutes on a laptop CPU. Each override is documented beside it. Budgets are
// learning steps, after the warm-up, as in paper.ts.
import type { TaskPreset } from './paper.ts';
import { PAPER } from './paper.ts';

type QuickOverride = { [K in keyof TaskPreset]?: K extends 'budget' | 'notes' ? TaskPreset[K] : Partial<TaskPreset[K]> };

/** Shared by the large tasks: [64, 64] networks (4-10x cheaper updates), a tenth of the warm-up. */
const SMALL_NETS = { hidden: [64, 64] };

export const QUICK_OVERRIDES: Record<string, QuickOverride> = {
  toy: {
    // 30k steps (15k episodes). Measured on this engine: SAC (alpha 1) settles on the safe -1
    // branch within ~1k steps and stays; SAC-AdaEnt switches to the +1 branch at ~14k (its
    // critics need that long to resolve the +-0.1 band at s1); PPO with the settings below at 16-22k.
    budget: { learningSteps: 30_000, evalInterval: 1_000 },
    // batch 64 instead of 256: AdaEnt's 100-sample comparison costs 100 x batch critic rows.
    sac: { batchSize: 64 },
    // PPO: the reference settings (lr 1e-5, state-conditioned sigma starting near 1) end on -1 here
    // AND in a PyTorch replica of Tianshou 0.5.0's PPO (2 seeds, up to 100k steps): s0 learns "right"
    // (worth -1) long before s1's sigma is below the ~0.06 at which its +-0.1 band beats -1, and
    // then s1 is no longer visited. The quick preset uses the reference script's own alternative
    // (`--conditioned-sigma 0`: a state-independent log sigma initialised at -2, sigma 0.135) with
    // lr 1e-3: PPO still goes "right" first, then, once the shared sigma has shrunk enough for
    // s1's band to pay, comes back to the +1 branch (3 of 3 seeds by 22k steps, measured).
    ppo: { stateSigma: false, initLogStd: -2, lr: 1e-3 },
    td3: { batchSize: 64 },
    notes: 'toy quick: 30k steps, SAC batch 64, PPO with a state-independent log sigma starting at -2 and lr 1e-3',
  },
  pendulum: {
    // SAC and TD3 solve Pendulum (return > -300) in ~5-10k steps with 64x64 networks.
    budget: { learningSteps: 15_000, evalInterval: 2_500 },
    sac: { ...SMALL_NETS },
    ppo: { ...SMALL_NETS },
    td3: { ...SMALL_NETS },
    notes: 'pendulum quick: 15k learning steps (after the 1k warm-up for SAC and TD3), [64, 64] networks',
  },
  vehicle: {
    // 200k steps (a tenth of 2M): enough for PPO to track and SAC to drift off visibly.
    budget: { learningSteps: 200_000, evalInterval: 10_000 },
    sac: { ...SMALL_NETS, warmupSteps: 2_000 },
    ppo: { ...SMALL_NETS },
    td3: { ...SMALL_NETS, warmupSteps: 2_000 },
    notes: 'vehicle quick: 200k learning steps after a 2k warm-up (SAC, TD3), [64, 64]',
  },
  quadrotor: {
    budget: { learningSteps: 200_000, evalInterval: 10_000 },
    sac: { ...SMALL_NETS, warmupSteps: 2_000 },
    ppo: { ...SMALL_NETS },
    td3: { ...SMALL_NETS, warmupSteps: 2_000 },
    notes: 'quadrotor quick: 200k learning steps after a 2k warm-up (SAC, TD3), [64, 64]',
  },
  acrobot: {
    budget: { learningSteps: 200_000, evalInterval: 10_000 },
    sac: { ...SMALL_NETS, warmupSteps: 5_000 },
    ppo: { ...SMALL_NETS },
    td3: { ...SMALL_NETS, warmupSteps: 5_000 },
    notes: 'acrobot quick: 200k learning steps after a 5k warm-up (SAC, TD3), [64, 64]',
  },
  obstacle2d: {
    // The reference budget is already small (50k learning steps); only the networks shrink and the
    // warm-up (exploration over the wall happens during the random warm-up) stays at half. Until
    // issue 18 the 30k counted the warm-up (17.5k learning steps); now 30k follow it.
    budget: { learningSteps: 30_000, evalInterval: 1_000 },
    sac: { ...SMALL_NETS, warmupSteps: 12_500 },
    ppo: { ...SMALL_NETS },
    td3: { ...SMALL_NETS, warmupSteps: 12_500 },
    notes: 'obstacle2d quick: 30k learning steps after a 12.5k warm-up (SAC, TD3), [64, 64]',
  },
  hopper: {
    budget: { learningSteps: 300_000, evalInterval: 10_000 },
    sac: { ...SMALL_NETS },
    ppo: { ...SMALL_NETS },
    td3: { ...SMALL_NETS },
    notes: 'hopper quick: 300k learning steps after the 10k warm-up (SAC, TD3), [64, 64]',
  },
  opencat: {
    // 300k learning steps (as Hopper's quick budget), [64, 64] for every algorithm; warm-up as the paper.
    budget: { learningSteps: 300_000, evalInterval: 10_000 },
    sac: { ...SMALL_NETS },
    ppo: { ...SMALL_NETS },
    td3: { ...SMALL_NETS },
    notes: 'opencat quick: 300k steps, [64, 64]',
  },
};

export function quickPreset(envId: string): TaskPreset {
  const base = PAPER[envId]!;
  const q = QUICK_OVERRIDES[envId] ?? {};
  return {
    budget: q.budget ?? base.budget,
    sac: { ...base.sac, ...q.sac },
    adaent: { ...base.adaent, ...q.adaent },
    ppo: { ...base.ppo, ...q.ppo },
    td3: { ...base.td3, ...q.td3 },
    notes: q.notes ?? base.notes,
  };
}
