// A compact bundle's checkpoint of a completed run keeps its networks only (src-main/bundle/export.ts,
// networksOnly): on real checkpoints of briefly trained toy runs (PPO with a rollout in flight,
// SAC-AdaEnt with its replay buffer), the stored policy loaded from it acts exactly as the full
// checkpoint does, the file is much smaller, and training cannot resume from it.
import { describe, expect, it } from 'vitest';
import { decodeCheckpoint } from '../../../src-core/train/codec.ts';
import { createTrainer, resolveRunConfig } from '../../../src-core/train/index.ts';
import { networksOnly } from '../../../src-main/bundle/export.ts';
import { initBackend } from '../../../src-main/engine/backend.ts';
import { loadStoredAgent } from '../../../src-main/preview/engine-policy.ts';
import { Rng } from '../../../src-core/rng.ts';

async function trained(algo: string, steps: number, extra: Record<string, unknown>) {
  await initBackend('wasm');
  const cfg = resolveRunConfig({ env: 'toy', algo, preset: 'quick', seed: 3, overrides: { totalSteps: steps, evalInterval: steps, evalEpisodes: 1, ...extra } });
  const trainer = createTrainer(cfg);
  await trainer.run();
  const bytes = trainer.checkpoint();
  trainer.dispose();
  return { cfg, full: Buffer.from(bytes) };
}

async function actions(bytes: Buffer, cfg: object): Promise<number[]> {
  const { agent } = await loadStoredAgent(new Uint8Array(bytes), cfg as Record<string, unknown>, 0, 'wasm');
  const out: number[] = [];
  for (let s = 0; s < 3; s++) {
    const obs = new Float32Array(6);
    obs[s] = 1;
    out.push(...Array.from((await agent.act(obs, 1, 'deterministic', new Rng(0))).actions as ArrayLike<number>));
  }
  agent.dispose();
  return out;
}

describe('networks-only checkpoints', () => {
  // SAC-AdaEnt: 100 updates after a 100-step warm-up, so its optimiser moments and targets have moved
  for (const [algo, steps, extra] of [['ppo', 300, {}], ['sac-adaent', 200, { warmupSteps: 100 }]] as const) {
    it(`${algo}: the same deterministic actions from a much smaller file; not resumable`, async () => {
      const { cfg, full } = await trained(algo, steps, extra);
      const small = networksOnly(full);
      const keys = Object.keys(decodeCheckpoint(new Uint8Array(small)).arrays);
      expect(keys.filter((k) => /^(replay\.|episode\/|agent\/rollout\.)|_target$|_optim\./.test(k))).toEqual([]);
      expect(small.length).toBeLessThan(full.length / 2);
      expect(await actions(small, cfg)).toEqual(await actions(full, cfg));
      expect(() => createTrainer(cfg, {}, { resume: new Uint8Array(small) })).toThrow(/checkpoint: 0 training envs/);
    }, 120_000);
  }
});
