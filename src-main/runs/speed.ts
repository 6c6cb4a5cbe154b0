// The training speed measured on this machine, from the store: the environment steps per second one
// worker slot achieves on a task (environment and algorithm), from its most recent runs, over each
// run's own wall time at its latest evaluation (pauses excluded, evaluations included: the real
// duration). A run trained in a seed group of K shared its worker with K - 1 others that advanced
// as far in the same time, so its slot achieved K times the run's own rate. Estimates divide the
// steps of the runs to train by it and by the number of slots. Used by the Design form's time
// estimate and by `lab reproduce`.
import type { Store } from '../store/index.ts';
import type { Versions } from '../store/repos/runs.ts';

/** How many runs trained together with this one (its seed group; 1 when alone). */
export function groupSize(versions: Versions | null): number {
  const g = versions?.seedGroup;
  return g ? g.split(',').length : 1;
}

export function measuredSpeed(store: Store, envId: string, algo: string): { sps: number | null; runs: number } {
  const { rows } = store.runs.list({ env: envId, algo, sort: 'id', desc: true, limit: 20 });
  const sps: number[] = [];
  for (const r of rows) {
    const last = store.evaluations.list(r.id).at(-1); // every run evaluates at its end
    if (last && last.step > 0 && last.wallTime > 0) sps.push((last.step / last.wallTime) * groupSize(r.versions));
    if (sps.length >= 5) break;
  }
  return { sps: sps.length > 0 ? sps.reduce((a, b) => a + b, 0) / sps.length : null, runs: sps.length };
}
