// State of the Compare view: what is selected (an experiment, or runs handed over from the Runs
// view), how runs are grouped and aggregated, and the answers loaded from the contract. Loads are
// explicit (called by the view's handlers); a newer request supersedes an older one of its kind.
import type { FinalReport, Panel, PanelSource, CompareRun, CurveX } from '../../../src-core/contract/methods/compare.ts';
import { request } from '../../lib/api.ts';
import { groupColor } from '../../charts/compare-spec.ts';

export type EvalModeName = 'deterministic' | 'stochastic';
export type Statistic = 'iqm' | 'mean' | 'median';
export type Band = 'bootstrap' | 'std' | 'stderr' | 'minmax' | 'iqr' | 'none';

const MAXENT = new Set(['sac', 'sac-auto', 'sac-adaent']);

/** Diagnostics shown as MaxEnt | non-MaxEnt pairs (only the keys some run recorded). */
export const PAIRED_KEYS = [
  'policy/entropy',
  'policy/gaussian_entropy',
  'losses/alpha',
  'adaent/surrogate_rate',
  'losses/qf1_loss',
  'losses/qf2_loss',
  'losses/plain_qf1_loss',
  'losses/value_loss',
  'losses/actor_loss',
  'losses/policy_loss',
] as const;

export interface ExperimentOption {
  id: number;
  name: string;
  runCount: number;
}

export class CompareState {
  experiments = $state.raw<ExperimentOption[]>([]);
  experimentId = $state<number | null>(null);
  /** Runs handed over from the Runs view (takes precedence over the experiment). */
  runIds = $state.raw<number[]>([]);

  groupBy = $state('algo');
  x = $state<CurveX>('step');
  statistic = $state<Statistic>('iqm');
  band = $state<Band>('bootstrap');
  smoothing = $state(0);
  members = $state(false);
  mode = $state<EvalModeName>('deterministic');
  /** The main panel: 'eval' (evaluation return in `mode`) or a metric key. */
  mainKey = $state('eval');
  resamples = $state(2000);
  /** Score runs of any status at their last evaluation (default: completed runs at each group's final step). */
  includeUnfinished = $state(false);
  /** Each run's score: the mean over its last K evaluations (1: the last alone). */
  lastEvals = $state(1);
  /** The final table's score: 'eval' (the evaluation return in `mode`) or a metric key. */
  finalKey = $state('eval');
  /** With a metric: its mean over from < step <= to (to null: to the end) instead of its last value. */
  finalWindow = $state.raw<{ from: number; to: number | null } | null>(null);
  /** User overrides of the per-environment normalisation ranges (performance profiles over several environments). */
  ranges = $state.raw<Record<string, { min: number; max: number }>>({});

  runs = $state.raw<CompareRun[]>([]);
  groupKeys = $state.raw<string[]>([]);
  metricKeys = $state.raw<string[]>([]);
  main = $state.raw<Panel | null>(null);
  paired = $state.raw<Panel[]>([]);
  /** The x axis and smoothing the shown panels were computed with (the controls may be ahead of them while a request runs). */
  mainShown = $state.raw<{ x: CurveX; smoothing: number }>({ x: 'step', smoothing: 0 });
  pairedShown = $state.raw<{ x: CurveX; smoothing: number }>({ x: 'step', smoothing: 0 });
  finals = $state.raw<{ deterministic: FinalReport | null; stochastic: FinalReport | null }>({ deterministic: null, stochastic: null });
  /** The final table scored by `finalKey` when it is a metric (the modes table keeps the evaluation return). */
  metricFinal = $state.raw<FinalReport | null>(null);
  diff = $state.raw<{ runIds: number[]; rows: { key: string; values: string[]; differs: boolean }[] } | null>(null);
  differencesOnly = $state(true);
  /** Groups hidden from the charts (the tables keep every group). */
  hidden = $state.raw<string[]>([]);
  showPaired = $state(false);

  error = $state<string | null>(null);
  loading = $state(0);
  /** Milliseconds from the last main-panel request to its answer (shown, and read by the benchmark). */
  lastMainMs = $state<number | null>(null);

  private seq: Record<string, number> = {};

  get selection(): { experimentId: number } | { runIds: number[] } | null {
    if (this.runIds.length > 0) return { runIds: this.runIds };
    return this.experimentId !== null ? { experimentId: this.experimentId } : null;
  }

  /** A stable colour per group (sorted group names). */
  colors = $derived.by(() => {
    const names = [...new Set(this.runs.map((r) => r.group))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    return new Map(names.map((g, i) => [g, groupColor(i)]));
  });

  /** MaxEnt groups (every run SAC-family) and the rest. */
  sides = $derived.by(() => {
    const algos = new Map<string, Set<string>>();
    for (const r of this.runs) (algos.get(r.group) ?? algos.set(r.group, new Set()).get(r.group)!).add(r.algo);
    const maxent: string[] = [];
    const plain: string[] = [];
    for (const [g, set] of algos) ([...set].every((a) => MAXENT.has(a)) ? maxent : plain).push(g);
    return { maxent: maxent.sort(), plain: plain.sort() };
  });

  visibleGroups = $derived([...this.colors.keys()].filter((g) => !this.hidden.includes(g)));

  toggleGroup(g: string): void {
    this.hidden = this.hidden.includes(g) ? this.hidden.filter((x) => x !== g) : [...this.hidden, g];
  }

  /** Keep only the checked runs of the current selection (the selection becomes a run list). */
  setRuns(ids: number[]): void {
    this.runIds = [...ids].sort((a, b) => a - b);
    void this.reloadAll();
  }

  xLabelOf(x: CurveX): string {
    if (x === 'learning') return "learning steps (environment steps after each run's off-policy warm-up; below 0: during it)";
    return x === 'step' ? 'global_step (environment steps, warm-up included)' : 'wall time (s)';
  }

  mainSource(): PanelSource {
    return this.mainKey === 'eval' ? { kind: 'eval', mode: this.mode } : { kind: 'metric', key: this.mainKey };
  }

  /** Supersedes every request of this kind still in flight (its answer is dropped); the new request's number. */
  private supersede(kind: string): number {
    return (this.seq[kind] = (this.seq[kind] ?? 0) + 1);
  }

  private async guarded<T>(kind: string, work: () => Promise<T>, apply: (v: T) => void): Promise<void> {
    const my = this.supersede(kind);
    this.loading++;
    try {
      const v = await work();
      if (this.seq[kind] === my) {
        apply(v);
        this.error = null;
      }
    } catch (err) {
      if (this.seq[kind] === my) this.error = (err as Error).message;
    } finally {
      this.loading--;
    }
  }

  async loadExperiments(): Promise<void> {
    await this.guarded('experiments', () => request('experiments.list', {}), (rows) => {
      this.experiments = rows.map((r) => ({ id: r.id, name: r.name, runCount: r.runCount }));
      if (this.experimentId === null && this.runIds.length === 0 && rows.length > 0) this.experimentId = rows[0]!.id;
    });
  }

  private curveArgs(panels: PanelSource[]) {
    return {
      selection: this.selection!,
      groupBy: this.groupBy,
      panels,
      x: this.x,
      smoothing: this.smoothing,
      statistic: this.statistic,
      band: this.band,
      members: this.members,
      // per-step bands: 200 resamples at each of 400 grid steps (the legend says so); tables use `resamples`
      bootstrap: { resamples: 200, confidence: 0.95, seed: 0 },
    };
  }

  /** Everything for the current selection (on open and when the selection or grouping changes). */
  async reloadAll(): Promise<void> {
    if (!this.selection) return;
    await this.guarded('runs', () => request('compare.runs', { selection: this.selection!, groupBy: this.groupBy }), (v) => {
      this.runs = v.runs;
      this.groupKeys = v.groupKeys;
      this.metricKeys = v.metricKeys;
      if (this.finalKey !== 'eval' && !v.metricKeys.includes(this.finalKey)) this.finalKey = 'eval';
    });
    await Promise.all([this.loadMain(), this.loadFinals(), this.showPaired ? this.loadPaired() : Promise.resolve(), this.loadDiff()]);
  }

  async loadMain(): Promise<void> {
    if (!this.selection) return;
    const t0 = performance.now();
    await this.guarded('main', () => request('compare.curves', this.curveArgs([this.mainSource()])), (v) => {
      this.main = v.panels[0] ?? null;
      this.mainShown = { x: v.x, smoothing: v.smoothing };
      this.lastMainMs = performance.now() - t0;
    });
  }

  async loadPaired(): Promise<void> {
    if (!this.selection) return;
    const keys = PAIRED_KEYS.filter((k) => this.metricKeys.includes(k));
    const sources: PanelSource[] = [{ kind: 'eval', mode: this.mode }, ...keys.map((key) => ({ kind: 'metric' as const, key }))];
    await this.guarded('paired', () => request('compare.curves', this.curveArgs(sources)), (v) => {
      this.paired = v.panels;
      this.pairedShown = { x: v.x, smoothing: v.smoothing };
    });
  }

  /** Both final tables: the evaluation return in both modes and, when the score is a metric, the metric's. */
  async loadFinals(): Promise<void> {
    await Promise.all([this.loadEvalFinals(), this.loadMetricFinal()]);
  }

  private async loadEvalFinals(): Promise<void> {
    if (!this.selection) return;
    const one = (mode: EvalModeName) =>
      request('compare.final', { selection: this.selection!, groupBy: this.groupBy, mode, includeUnfinished: this.includeUnfinished, lastEvals: this.lastEvals, bootstrap: { resamples: this.resamples, confidence: 0.95, seed: 0 }, ranges: this.ranges });
    await this.guarded('finals', () => Promise.all([one('deterministic'), one('stochastic')]), ([d, s]) => {
      this.finals = { deterministic: d.table.rows.length > 0 ? d : null, stochastic: s.table.rows.length > 0 ? s : null };
    });
  }

  async loadMetricFinal(): Promise<void> {
    if (!this.selection || this.finalKey === 'eval') {
      this.supersede('metricFinal');
      this.metricFinal = null;
      return;
    }
    const metricWindow = this.finalWindow ?? undefined;
    await this.guarded('metricFinal', () => request('compare.final', { selection: this.selection!, groupBy: this.groupBy, metric: this.finalKey, metricWindow, includeUnfinished: this.includeUnfinished, bootstrap: { resamples: this.resamples, confidence: 0.95, seed: 0 }, ranges: this.ranges }), (r) => {
      this.metricFinal = r;
    });
  }

  async loadDiff(): Promise<void> {
    const ids = this.runs.map((r) => r.id).slice(0, 50);
    if (ids.length === 0) return;
    await this.guarded('diff', () => request('compare.configDiff', { runIds: ids, differencesOnly: this.differencesOnly }), (v) => (this.diff = v));
  }
}
