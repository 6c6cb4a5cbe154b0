// A rollout fan, computed where it runs (the worker process, src-main/worker/main.ts): read the
// checkpoint, rebuild the agent once, roll out its deterministic episode from the request's start
// (a seed's reset or a given state), then K stochastic episodes from that same start state, episode
// k sampling with Rng(samplingSeed + k, 3), each exactly as a preview of that seed would act
// (./engine-policy.ts). It loads tfjs: it never runs in main.
import { readFileSync } from 'node:fs';
import type { FanEpisode, FanResult } from '../../src-core/contract/methods/analysis.ts';
import type { PreviewResult } from '../../src-core/contract/methods/scenes.ts';
import type { FanJob } from '../../src-core/contract/worker-protocol.ts';
import { Rng } from '../../src-core/rng.ts';
import { loadStoredAgent, storedAgentPolicy } from './engine-policy.ts';
import { rollout } from './rollout.ts';

function episodeOf(r: PreviewResult, samplingSeed: number | null): FanEpisode {
  return { samplingSeed, length: r.length, states: r.states, rewards: r.rewards, return: r.return, terminated: r.terminated, truncated: r.truncated, nonFinite: r.nonFinite };
}

export async function runFanJob(job: FanJob, backend?: string): Promise<{ result: FanResult; backend: string }> {
  const stored = await loadStoredAgent(new Uint8Array(readFileSync(job.checkpointFile)), job.runConfig, job.seed, backend);
  try {
    const det = await rollout(job.request, storedAgentPolicy(stored, 'deterministic', new Rng(job.seed, 3)), job.label);
    const start = det.states.slice(0, det.stateDim);
    const stochastic: FanEpisode[] = [];
    for (let k = 0; k < job.count; k++) {
      const seed = job.samplingSeed + k;
      const r = await rollout({ ...job.request, initialState: start }, storedAgentPolicy(stored, 'stochastic', new Rng(seed, 3)), job.label);
      stochastic.push(episodeOf(r, seed));
    }
    const c = job.context;
    return {
      result: { runId: c.runId, step: c.step, algo: c.algo, envId: det.envId, variant: det.variant, label: job.label, startLabel: c.startLabel, stateNames: det.stateNames, stateDim: det.stateDim, deterministic: episodeOf(det, null), stochastic },
      backend: stored.backend,
    };
  } finally {
    stored.agent.dispose();
    stored.env.close?.();
  }
}
