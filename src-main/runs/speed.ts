// The training speed measured on this machine, from the store: the effective environment steps per
// second of the most recent runs of a task (environment and algorithm), over each run's own wall
// time at its latest evaluation (pauses excluded, evaluations included: the real duration). Used by
// the Design form's time estimate and by `lab reproduce`.
import type { Store } from '../store/index.ts';

export function measuredSpeed(store: Store, envId: string, algo: string): { sps: number | null; runs: number } {
  const { rows } = store.runs.list({ env: envId, algo, sort: 'id', desc: true, limit: 20 });
  const sps: number[] = [];
  for (const r of rows) {
    const last = store.evaluations.list(r.id).at(-1); // every run evaluates at its end
    if (last && last.step > 0 && last.wallTime > 0) sps.push(last.step / last.wallTime);
    if (sps.length >= 5) break;
  }
  return { sps: sps.length > 0 ? sps.reduce((a, b) => a + b, 0) / sps.length : null, runs: sps.length };
}
