// Recorded evaluation episodes of two algorithms from the same start state (PPO beside SAC in
// docs/results.md and the Paper results view). An evaluation's start states depend on the run's
// seed and the evaluation's index, so two runs of one seed share them at evaluations of the same
// index; their last evaluations need not be one (SAC's final evaluation comes after its 200k-step
// one on the vehicle, PPO's is the 200k one). Compact bundles therefore also keep each run's
// episode at the experiment's common step (commonRecordedStep), and the pair is chosen here.

export interface RecordedEpisode {
  step: number;
  episode: number;
  startSeed: number;
}

export interface RunEpisodes<E extends RecordedEpisode> {
  seed: number;
  episodes: readonly E[];
}

/** The largest step at which every run (with any recorded episode) has one; null when none is shared. */
export function commonRecordedStep(perRun: readonly (readonly { step: number }[])[]): number | null {
  const withAny = perRun.filter((l) => l.length > 0);
  if (withAny.length === 0) return null;
  let shared = new Set(withAny[0]!.map((e) => e.step));
  for (const l of withAny.slice(1)) {
    const steps = new Set(l.map((e) => e.step));
    shared = new Set([...shared].filter((s) => steps.has(s)));
  }
  return shared.size === 0 ? null : Math.max(...shared);
}

/** One side of a pair: the run and its episode (of the run's own episode type). */
export interface SidePick<R extends RunEpisodes<RecordedEpisode>> {
  run: R;
  episode: R['episodes'][number];
}

/**
 * The pair of episodes, one of an x run and one of a y run, that start from the same state and were
 * recorded latest in training (the larger of the two steps' minimum); ties go to the lower x seed,
 * then the lower y seed, then the earlier episode. Null when no episode of x shares a start with one of y.
 */
export function sameStartPair<R extends RunEpisodes<RecordedEpisode>>(xs: readonly R[], ys: readonly R[]): [SidePick<R>, SidePick<R>] | null {
  let best: [SidePick<R>, SidePick<R>] | null = null;
  let bestKey: number[] = [];
  for (const x of xs) {
    for (const y of ys) {
      for (const ex of x.episodes) {
        for (const ey of y.episodes) {
          if (ex.startSeed !== ey.startSeed) continue;
          // larger is better in the first two, smaller is better in the rest: negate those
          const key = [Math.min(ex.step, ey.step), ex.step + ey.step, -x.seed, -y.seed, -ex.episode, -ey.episode];
          if (best === null || lexGreater(key, bestKey)) {
            best = [{ run: x, episode: ex as R['episodes'][number] }, { run: y, episode: ey as R['episodes'][number] }];
            bestKey = key;
          }
        }
      }
    }
  }
  return best;
}

function lexGreater(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return false;
}
