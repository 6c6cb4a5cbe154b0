// `lab export --format tensorboard`: one folder per run, named so that TensorBoard's run list says
// what it is (run-<id>-<algo>-<env>-<variant>-seed<seed>; the label is in the text), holding one event file. Every stored
// metric point becomes a scalar under its lab key (CleanRL's keys, so the tags line up with a
// CleanRL run's; evaluations as eval/<mode>/return_mean, ...), in step order, keys by name within a
// step; the run's record and resolved config become a text summary "run/config". wall_time is the
// run's start (unix seconds) plus its training seconds (pauses excluded), so TensorBoard's
// "relative" axis is training time.
import { createWriteStream, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import type { RunRecord, Store } from '../store/index.ts';
import { fileVersionEvent, scalarEvent, textEvent, tfRecord } from './tfevents.ts';

/** The run's folder name: TensorBoard shows it as the run's name. */
export function tensorboardRunName(run: Pick<RunRecord, 'id' | 'algo' | 'envId' | 'variant' | 'seed'>): string {
  const parts = [`run-${run.id}`, run.algo, run.envId, run.variant, `seed${run.seed}`];
  return parts.map((p) => p.replace(/[^A-Za-z0-9._-]+/g, '_')).join('-');
}

/** The text summary: what the run is, then its resolved config as an indented (markdown code) block. */
function configText(run: RunRecord): string {
  const head = `run ${run.id}: ${run.algo}${run.label && run.label !== run.algo ? ` ("${run.label}")` : ''} on ${run.envId}/${run.variant}, seed ${run.seed}, preset ${run.preset}, status ${run.status} at step ${run.globalStep} of ${run.totalSteps}; backend ${run.backend ?? 'unknown'}`;
  const json = JSON.stringify({ config: run.config, versions: run.versions }, null, 2).split('\n').map((l) => `    ${l}`).join('\n');
  return `${head}\n\n${json}\n`;
}

/** Writes the run's event file; returns its folder. */
export async function exportTensorboard(store: Store, id: number, dir: string): Promise<string> {
  const run = store.runs.get(id)!;
  const runDir = join(dir, tensorboardRunName(run));
  mkdirSync(runDir, { recursive: true });
  const t0 = run.startedAt ?? run.createdAt;
  // step order, as TensorBoard reads a live run; keys by name within a step
  const points = [...store.metrics.all(id)].sort((a, b) => a.step - b.step || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const out = createWriteStream(join(runDir, `events.out.tfevents.${Math.floor(t0)}.maxent-lab.${id}`));
  const write = async (event: Uint8Array) => {
    if (!out.write(tfRecord(event))) await once(out, 'drain');
  };
  await write(fileVersionEvent(t0));
  await write(textEvent(t0, 0, 'run/config', configText(run)));
  for (const p of points) await write(scalarEvent(t0 + p.wallTime, p.step, p.key, p.value));
  out.end();
  await once(out, 'finish');
  return runDir;
}
