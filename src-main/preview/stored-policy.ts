// Stored policies for previews: a run's checkpoints, and a policy function loaded from the
// checkpoint bytes at one of them. The loading itself is the engine's (checkpoint format and
// networks); this module finds the file through the store and adapts the result to a PolicyFn.
import { readFileSync } from 'node:fs';
import type { PolicyFn } from './rollout.ts';

/** What the store must answer (src-main/store: checkpoints repo and runs repo). */
export interface CheckpointIndex {
  list(runId: number): { step: number; file: string; size: number }[];
  /** The run's resolved config (RunConfig), or undefined when the run does not exist. */
  config(runId: number): Record<string, unknown> | undefined;
}

/** The engine's inference loader: checkpoint bytes + run config -> an acting policy. */
export type PolicyLoader = (
  bytes: Uint8Array,
  config: Record<string, unknown>,
  mode: 'deterministic' | 'stochastic',
  seed: number,
) => Promise<{ act: PolicyFn; dispose(): void }>;

export class StoredPolicyError extends Error {
  override name = 'StoredPolicyError';
  readonly code: 'not_found' | 'unavailable';
  readonly path: string;
  constructor(code: 'not_found' | 'unavailable', message: string, path: string) {
    super(message);
    this.code = code;
    this.path = path;
  }
}

export interface StoredPolicies {
  checkpoints(runId: number): { step: number; size: number }[];
  load(runId: number, step: number, mode: 'deterministic' | 'stochastic', seed: number): Promise<{ act: PolicyFn; dispose(): void; label: string; config: Record<string, unknown> }>;
}

export function storedPolicies(index: CheckpointIndex, loader: PolicyLoader | null): StoredPolicies {
  const checkpoints = (runId: number): { step: number; file: string; size: number }[] => {
    if (!index.config(runId)) throw new StoredPolicyError('not_found', `run ${runId} does not exist`, 'runId');
    return index.list(runId);
  };
  return {
    checkpoints: (runId) => checkpoints(runId).map((c) => ({ step: c.step, size: c.size })),
    async load(runId, step, mode, seed) {
      const list = checkpoints(runId);
      const c = list.find((x) => x.step === step);
      if (!c) {
        const known = list.map((x) => x.step).join(', ') || 'none';
        throw new StoredPolicyError('not_found', `run ${runId} has no checkpoint at step ${step} (stored: ${known})`, 'policy.step');
      }
      if (!loader) throw new StoredPolicyError('unavailable', 'loading a policy from a checkpoint is not available in this build (no engine loader)', 'policy');
      const config = index.config(runId)!;
      const bytes = new Uint8Array(readFileSync(c.file));
      const policy = await loader(bytes, config, mode, seed);
      return { ...policy, label: `run ${runId} at step ${step} (${mode})`, config };
    },
  };
}
