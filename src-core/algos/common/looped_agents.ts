// K single-seed agents behind the seed-batched interface, one after another: no batched
// computation, only the interface. The group loop uses it for algorithms that have no batched
// implementation yet (PPO and TD3 until they get one), so a group of them trains correctly,
// as K separate computations in one worker.
import type { Rng } from '../../rng.ts';
import type { ActMode, ActResult, Agent, AgentBase, AgentState, Batch, OffPolicyAgent, OnPolicyAgent, RolloutStep, SeedBatchedAgent, SeedBatchedOffPolicyAgent } from './types.ts';

/** A view of one agent that does not own it (dispose does nothing). */
export function borrowedView(agent: AgentBase): AgentBase {
  return {
    algo: agent.algo,
    actionScaling: agent.actionScaling,
    act: (obs, n, mode, rng) => agent.act(obs, n, mode, rng),
    saveState: () => agent.saveState(),
    loadState: (s) => agent.loadState(s),
    dispose: () => {},
  };
}

/** Seed k of a seed-batched agent as a single-seed agent (it does not own the group: dispose does nothing). */
export function seedViewOf(group: Pick<SeedBatchedAgent, 'algo' | 'actionScaling' | 'numSeeds' | 'act' | 'saveState' | 'loadState'>, k: number): AgentBase {
  return borrowedView({
    algo: group.algo,
    actionScaling: group.actionScaling,
    async act(obs: Float32Array, n: number, mode: ActMode, rng: Rng): Promise<ActResult> {
      const o: (Float32Array | null)[] = new Array(group.numSeeds).fill(null);
      const r: (Rng | null)[] = new Array(group.numSeeds).fill(null);
      o[k] = obs;
      r[k] = rng;
      return (await group.act(o, n, mode, r))[k]!;
    },
    saveState: () => group.saveState(k),
    loadState: (s: AgentState) => group.loadState(k, s),
    dispose: () => {},
  });
}

export function loopedAgents(agents: Agent[]): SeedBatchedAgent {
  if (agents.length === 0) throw new Error('loopedAgents: no agents');
  const a0 = agents[0]!;
  const common = {
    algo: a0.algo,
    actionScaling: a0.actionScaling,
    numSeeds: agents.length,
    async act(obs: readonly (Float32Array | null)[], n: number, mode: ActMode, rngs: readonly (Rng | null)[]): Promise<(ActResult | null)[]> {
      const out: (ActResult | null)[] = [];
      for (const [k, a] of agents.entries()) out.push(obs[k] && rngs[k] ? await a.act(obs[k]!, n, mode, rngs[k]!) : null);
      return out;
    },
    seedView: (k: number) => borrowedView(agents[k]!),
    saveState: (k: number) => agents[k]!.saveState(),
    loadState: (k: number, s: AgentState) => agents[k]!.loadState(s),
    dispose: () => agents.forEach((a) => a.dispose()),
  };
  if (a0.kind === 'off-policy') {
    const off = agents as OffPolicyAgent[];
    return {
      ...common,
      kind: 'off-policy',
      update: async (batches: readonly (Batch | null)[], rngs: readonly (Rng | null)[], withMetrics: readonly boolean[]) => {
        const out: (Record<string, number> | null)[] = [];
        for (const [k, a] of off.entries()) out.push(batches[k] && rngs[k] ? await a.update(batches[k]!, rngs[k]!, withMetrics[k]!) : null);
        return out;
      },
    };
  }
  const on = agents as OnPolicyAgent[];
  return {
    ...common,
    kind: 'on-policy',
    numEnvs: on[0]!.numEnvs,
    stepsPerEnv: on[0]!.stepsPerEnv,
    store: (k: number, step: RolloutStep) => on[k]!.store(step),
    observe: (k: number, obs: Float32Array, n: number) => on[k]!.observe?.(obs, n),
    rolloutFull: (k: number) => on[k]!.rolloutFull,
    update: async (rngs: readonly (Rng | null)[], withMetrics: readonly boolean[]) => {
      const out: (Record<string, number> | null)[] = [];
      for (const [k, a] of on.entries()) out.push(rngs[k] ? await a.update(rngs[k]!, withMetrics[k]!) : null);
      return out;
    },
  };
}

/**
 * A seed-batched off-policy agent holding one seed, as a single-seed agent (a run alone is a group
 * of one): acting, updates and state go to seed 0 of `batched`, which it owns (dispose frees it).
 */
export class SingleSeedOffPolicy<G extends SeedBatchedOffPolicyAgent> implements OffPolicyAgent {
  readonly kind = 'off-policy';
  readonly act: OffPolicyAgent['act'];
  /** The seed-batched agent (K = 1) that does the work: its networks, for analysis (landscapes). */
  readonly batched: G;

  constructor(batched: G) {
    this.batched = batched;
    if (batched.numSeeds !== 1) throw new Error(`${new.target.name}: the agent holds more than one seed`);
    this.act = batched.seedView(0).act;
  }

  get algo(): G['algo'] {
    return this.batched.algo;
  }

  get actionScaling(): G['actionScaling'] {
    return this.batched.actionScaling;
  }

  async update(batch: Batch, rng: Rng, withMetrics: boolean): Promise<Record<string, number> | null> {
    return (await this.batched.update([batch], [rng], [withMetrics]))[0]!;
  }

  saveState(): AgentState {
    return this.batched.saveState(0);
  }

  loadState(state: AgentState): void {
    this.batched.loadState(0, state);
  }

  dispose(): void {
    this.batched.dispose();
  }
}
