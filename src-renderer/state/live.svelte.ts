// The Live view's state: runs in flight with their progress (steps/s, ETA), and for the focused
// run its metric curves, plus its log tail and, when it fails, the reason. A `run.metrics` event
// (main throttles them) triggers a re-read of the focused run's down-sampled series from the store,
// at most once per REFRESH_MS, so curves are complete (every episode) and redraw ~1-2 times a second.
import type { PayloadOf } from '../../src-core/contract/define.ts';
import type { Events } from '../../src-core/contract/api.ts';
import type { RunRow } from '../../src-core/contract/schemas.ts';
import { api } from '../lib/api.ts';
import { CLUSTER_ROWS_MS } from '../../src-core/contract/cluster-heartbeat.ts';

export type Progress = PayloadOf<Events['run.progress']>;
export interface LogLine {
  time: number;
  level: string;
  message: string;
}
export interface Curve {
  steps: number[];
  walls: number[];
  values: number[];
}

/** Keys drawn in the Live panels (others are listed but not drawn). */
export const RETURN_KEYS = ['charts/episodic_return', 'eval/deterministic/return_mean', 'eval/stochastic/return_mean'];
export const ALPHA_KEY = 'losses/alpha';
/** SAC family's -log pi estimate; PPO's analytic Gaussian entropy is another quantity under its own key. */
export const ENTROPY_KEY = 'policy/entropy';
export const GAUSSIAN_ENTROPY_KEY = 'policy/gaussian_entropy';
const REFRESH_MS = 700;
const MAX_POINTS = 1000;
const LOG_LINES = 200;

export class LiveState {
  /** Runs running, queued or paused (and the focused one, whatever its status). */
  runs = $state.raw<RunRow[]>([]);
  progress = $state.raw<Record<number, Progress>>({});
  focusId = $state<number | null>(null);
  focus = $derived(this.runs.find((r) => r.id === this.focusId) ?? null);
  curves = $state.raw<Record<string, Curve>>({});
  log = $state.raw<LogLine[]>([]);
  error = $state<string | null>(null);
  redraws = $state(0);

  lossKeys = $derived(Object.keys(this.curves).filter((k) => k.startsWith('losses/') && k !== ALPHA_KEY).sort());

  #off: (() => void)[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  #loadSeq = 0;

  connect(preferred: number | null): void {
    this.#off.push(
      api.subscribe('run.progress', (p) => (this.progress = { ...this.progress, [p.runId]: p })),
      api.subscribe('run.status', (e) => {
        const known = this.runs.some((r) => r.id === e.runId);
        if (!known || ['completed', 'failed', 'cancelled', 'interrupted', 'paused'].includes(e.status)) void this.loadRuns();
        else this.runs = this.runs.map((r) => (r.id === e.runId ? { ...r, status: e.status, reason: e.reason } : r));
        if (this.focusId === null && e.status === 'running') void this.setFocus(e.runId);
        if (e.runId === this.focusId && e.status !== 'running') void this.loadCurves(e.runId); // the final points
      }),
      api.subscribe('run.metrics', (m) => {
        if (m.runId === this.focusId) this.#schedule();
      }),
      api.subscribe('run.log', (l) => {
        if (l.runId !== this.focusId) return;
        this.log = [...this.log.slice(-(LOG_LINES - 1)), { time: l.time, level: l.level, message: l.message }];
      }),
    );
    // a stalled cluster task sends no event: read the runs again now and then while one runs on Slurm
    const poll = setInterval(() => {
      if (this.runs.some((r) => r.slurm && r.status === 'running')) void this.loadRuns();
    }, CLUSTER_ROWS_MS);
    this.#off.push(() => clearInterval(poll));
    void this.loadRuns().then(() => this.setFocus(preferred ?? this.runs.find((r) => r.status === 'running')?.id ?? this.runs[0]?.id ?? null));
  }

  dispose(): void {
    for (const off of this.#off) off();
    this.#off = [];
    if (this.#timer) clearTimeout(this.#timer);
  }

  async loadRuns(): Promise<void> {
    const lists = await Promise.all(
      (['running', 'queued', 'paused'] as const).map((status) => api.call('runs.list', { status, limit: 500, sort: 'id', dir: 'asc' })),
    );
    const rows: RunRow[] = [];
    for (const r of lists) if (r.ok) rows.push(...r.value.rows);
    if (this.focusId !== null && !rows.some((r) => r.id === this.focusId)) {
      const f = await api.call('runs.get', { id: this.focusId });
      if (f.ok) rows.push(f.value);
    }
    rows.sort((a, b) => a.id - b.id);
    this.runs = rows;
  }

  async setFocus(id: number | null): Promise<void> {
    this.focusId = id;
    this.curves = {};
    this.log = [];
    if (id === null) return;
    if (!this.runs.some((r) => r.id === id)) await this.loadRuns();
    await Promise.all([this.loadCurves(id), this.loadLog(id)]);
  }

  async loadCurves(id: number): Promise<void> {
    const seq = ++this.#loadSeq;
    const keys = await api.call('metrics.keys', { runId: id });
    if (!keys.ok) {
      this.error = keys.error.message;
      return;
    }
    const wanted = keys.value.filter((k) => RETURN_KEYS.includes(k) || k.startsWith('losses/') || k === ENTROPY_KEY || k === GAUSSIAN_ENTROPY_KEY);
    if (wanted.length === 0) return;
    const r = await api.call('metrics.series', { runIds: [id], keys: wanted.slice(0, 32), maxPoints: MAX_POINTS });
    if (!r.ok || seq !== this.#loadSeq || id !== this.focusId) return;
    const curves: Record<string, Curve> = {};
    for (const s of r.value) {
      const c: Curve = { steps: [], walls: [], values: [] };
      s.steps.forEach((step, i) => {
        const v = s.values[i];
        if (v === null || v === undefined) return;
        c.steps.push(step);
        c.walls.push(s.wallTimes[i]!);
        c.values.push(v);
      });
      curves[s.key] = c;
    }
    this.curves = curves;
    this.redraws++;
  }

  async loadLog(id: number): Promise<void> {
    const r = await api.call('runs.log', { id, tail: LOG_LINES });
    if (r.ok && id === this.focusId) this.log = r.value;
  }

  /** Re-read the focused run's series at most once per REFRESH_MS while batches arrive. */
  #schedule(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.focusId !== null) void this.loadCurves(this.focusId);
    }, REFRESH_MS);
  }
}
