// One stored-policy preview job, computed where it runs (the worker process, src-main/worker/main.ts):
// read the checkpoint file, load the policy on the requested backend, roll out one episode.
import { readFileSync } from 'node:fs';
import type { PreviewResult } from '../../src-core/contract/methods/scenes.ts';
import type { PreviewJob } from '../../src-core/contract/worker-protocol.ts';
import { enginePolicyLoader, type PolicyLoader } from './engine-policy.ts';
import { rollout } from './rollout.ts';

export async function runPreviewJob(job: PreviewJob, backend?: string, loader: PolicyLoader = enginePolicyLoader): Promise<{ result: PreviewResult; backend: string }> {
  const bytes = new Uint8Array(readFileSync(job.checkpointFile));
  const policy = await loader(bytes, job.runConfig, job.mode, job.seed, backend);
  try {
    return { result: await rollout(job.request, policy.act, job.label), backend: policy.backend };
  } finally {
    policy.dispose();
  }
}
