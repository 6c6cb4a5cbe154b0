// Views between the seed-batched agents and the single-seed interface: seed k of a group as a
// single-seed agent (evaluation, previews), and a group of one as a single-seed off-policy agent
// (a run alone: createAgent). Every algorithm is seed-batched (issue 12).
import type { Rng } from '../../rng.ts';
import type { ActMode, ActResult, AgentBase, AgentState, Batch, OffPolicyAgent, SeedBatchedAgent, SeedBatchedOffPolicyAgent } from './types.ts';

/** Seed k of a seed-batched agent as a single-seed agent (it does not own the group: dispose does nothing). */
export function seedViewOf(group: Pick<SeedBatchedAgent, 'algo' | 'actionScaling' | 'numSeeds' | 'act' | 'saveState' | 'loadState'>, k: number): AgentBase {
  return {
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
  };
}

/**
 * A seed-batched agent holding one seed, as a single-seed agent (a run alone is a group of one):
 * acting and state go to seed 0 of `batched`, which it owns (dispose frees it).
 */
export abstract class SingleSeedAgent<G extends SeedBatchedAgent> implements AgentBase {
  readonly act: AgentBase['act'];
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

/** A seed-batched off-policy agent holding one seed behind the single-seed OffPolicyAgent interface. */
export class SingleSeedOffPolicy<G extends SeedBatchedOffPolicyAgent> extends SingleSeedAgent<G> implements OffPolicyAgent {
  readonly kind = 'off-policy';

  async update(batch: Batch, rng: Rng, withMetrics: boolean): Promise<Record<string, number> | null> {
    return (await this.batched.update([batch], [rng], [withMetrics]))[0]!;
  }
}
