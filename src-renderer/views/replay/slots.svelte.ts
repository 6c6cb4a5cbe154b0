// The side-by-side selection: two to four slots, each a run and one of its evaluations (step and
// mode); the start seeds every slot recorded; and the episodes loaded for one common start seed.
import type { RunRow } from '../../../src-core/contract/schemas.ts';
import { firstDivergence, frameDistance } from '../../../src-core/draw/divergence.ts';
import type { Episode } from '../environments/episode.ts';
import { evaluationsOf, listTrajectories, loadEpisode, type TrajectoryMeta } from './load.ts';

export class Slot {
  runId = $state<number | null>(null);
  trajectories = $state.raw<TrajectoryMeta[]>([]);
  evalKey = $state(''); // `${step}/${mode}`

  get evaluations(): { step: number; mode: TrajectoryMeta['mode'] }[] {
    return evaluationsOf(this.trajectories);
  }

  /** Recorded episodes of the chosen evaluation. */
  get chosen(): TrajectoryMeta[] {
    return this.trajectories.filter((t) => `${t.step}/${t.mode}` === this.evalKey);
  }

  async pickRun(runId: number | null, preferMode?: TrajectoryMeta['mode']): Promise<void> {
    this.runId = runId;
    this.trajectories = runId === null ? [] : await listTrajectories(runId);
    const evals = this.evaluations;
    const pick = evals.find((e) => !preferMode || e.mode === preferMode) ?? evals[0];
    this.evalKey = pick ? `${pick.step}/${pick.mode}` : '';
  }
}

export class SideBySide {
  runs = $state.raw<RunRow[]>([]);
  slots = $state.raw<Slot[]>([new Slot(), new Slot()]);
  startSeed = $state<number | null>(null);
  distance = $state(0.5);
  episodes = $state.raw<Episode[]>([]);
  error = $state('');

  /** Start seeds recorded by every slot's chosen evaluation. */
  get commonSeeds(): number[] {
    const active = this.slots.filter((s) => s.runId !== null);
    if (active.length < 2) return [];
    let seeds = new Set(active[0]!.chosen.map((t) => t.startSeed));
    for (const s of active.slice(1)) seeds = new Set(s.chosen.map((t) => t.startSeed).filter((x) => seeds.has(x)));
    return [...seeds].sort((a, b) => a - b);
  }

  get divergence(): number | null {
    if (this.episodes.length < 2) return null;
    return firstDivergence(this.episodes.map((e) => e.frames), this.distance);
  }

  /** Per step, the largest distance between any two viewports' positions (over the steps all reached). */
  get distances(): number[] {
    const eps = this.episodes;
    if (eps.length < 2) return [];
    const steps = Math.min(...eps.map((e) => e.frames.length));
    const out: number[] = [];
    for (let k = 0; k < steps; k++) {
      let d = 0;
      for (let i = 0; i < eps.length; i++) for (let j = i + 1; j < eps.length; j++) d = Math.max(d, frameDistance(eps[i]!.frames[k]!, eps[j]!.frames[k]!));
      out.push(d);
    }
    return out;
  }

  addSlot(): void {
    if (this.slots.length < 4) this.slots = [...this.slots, new Slot()];
  }

  removeSlot(i: number): void {
    if (this.slots.length > 2) this.slots = this.slots.filter((_, j) => j !== i);
  }

  async load(): Promise<void> {
    this.error = '';
    this.episodes = [];
    const active = this.slots.filter((s) => s.runId !== null);
    if (active.length < 2) {
      this.error = 'choose at least two runs';
      return;
    }
    const seed = this.startSeed ?? this.commonSeeds[0];
    if (seed === undefined) {
      this.error = 'the chosen evaluations share no recorded start state';
      return;
    }
    const metas = active.map((s) => s.chosen.find((t) => t.startSeed === seed)!);
    const envs = new Set<string>();
    try {
      const eps = await Promise.all(metas.map((m) => loadEpisode(m)));
      for (const e of eps) envs.add(`${e.envId}/${e.variant}`);
      if (envs.size > 1) {
        this.error = `the runs are on different environments (${[...envs].join(', ')}): a side-by-side replay needs one`;
        return;
      }
      this.startSeed = seed;
      this.episodes = eps;
    } catch (e) {
      this.error = (e as Error).message;
    }
  }
}
