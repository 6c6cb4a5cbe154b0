// The Runs view's state: every run (loaded once, patched by events), filters, sort, selection,
// the actions on the selection, and the summary of the evaluation return the table shows (last,
// best, mean of the last K, area per step: runs.evalSummaries). Filtering and sorting run here so
// 10,000 rows stay instant.
import type { RunRow, RunStatus } from '../../src-core/contract/schemas.ts';
import type { EvalSummaryRow } from '../../src-core/contract/methods/runs.ts';
import { compareByEval, evalSummaryLabel, type EvalSummarySpec, type RankedEval } from '../../src-core/stats/eval-summary.ts';
import { api } from '../lib/api.ts';
import { num } from '../lib/format.ts';
import { CLUSTER_ROWS_MS } from '../../src-core/contract/cluster-heartbeat.ts';

/** Runs fetched per request while loading the table. */
const PAGE = 2000;
/** While runs are running, their summaries (other than the last evaluation) are fetched again this often. */
const SUMMARY_REFRESH_MS = 10_000;

export type SortKey = 'id' | 'envId' | 'algo' | 'seed' | 'status' | 'progress' | 'lastEval' | 'createdAt';
export type Action = 'pause' | 'resume' | 'cancel' | 'delete';

/** Statuses from which each action makes sense. */
export const ACTION_FROM: Record<Action, readonly RunStatus[]> = {
  pause: ['running', 'queued'],
  resume: ['paused', 'interrupted', 'failed', 'queued'],
  cancel: ['running', 'queued', 'paused', 'interrupted', 'failed'],
  delete: ['queued', 'running', 'paused', 'completed', 'failed', 'cancelled', 'interrupted'],
};

/** The evaluation return shown for a run: deterministic if evaluated so, else stochastic. */
export function lastEvalOf(r: RunRow): { mode: 'deterministic' | 'stochastic'; value: number } | null {
  for (const mode of ['deterministic', 'stochastic'] as const) {
    const v = r.lastEval[mode];
    if (v !== undefined && v !== null) return { mode, value: v };
  }
  return null;
}

/** The key hyperparameters as the table shows them and the search matches them: "alpha=0.2 lr=0.0003". */
export function hyperText(h: Record<string, unknown>): string {
  return Object.entries(h)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? num(v) : String(v)}`)
    .join(' ');
}

/** The evaluation return the table shows for a run under a summary: mode, value (null: non-finite), steps read. */
export interface ShownEval {
  mode: 'deterministic' | 'stochastic';
  value: number | null;
  summary?: EvalSummaryRow;
}

export class RunsState {
  rows = $state.raw<RunRow[]>([]);
  total = $state(0);
  loading = $state(false);
  error = $state<string | null>(null);
  message = $state<string | null>(null);

  text = $state('');
  status = $state<RunStatus | ''>('');
  envId = $state('');
  algo = $state('');
  experimentId = $state<number | null>(null);
  sortKey = $state<SortKey>('id');
  sortDesc = $state(true);
  selected = $state.raw<ReadonlySet<number>>(new Set());
  /** A destructive action waiting for confirmation. */
  confirming = $state<{ action: Action; ids: number[] } | null>(null);

  experiments = $state.raw<{ id: number; name: string; runCount: number; statusCounts: Partial<Record<RunStatus, number>> }[]>([]);

  /** How the evaluation column summarises each run's evaluations ('last' reads the row itself). */
  summary = $state.raw<EvalSummarySpec>({ kind: 'last' });
  summaries = $state.raw<ReadonlyMap<number, EvalSummaryRow>>(new Map());
  summaryLabel = $derived(evalSummaryLabel(this.summary));
  summaryError = $state<string | null>(null);
  envIds = $derived([...new Set(this.rows.map((r) => r.envId))].sort());
  algos = $derived([...new Set(this.rows.map((r) => r.algo))].sort());

  visible = $derived.by(() => {
    const t = this.text.trim().toLowerCase();
    const out = this.rows.filter(
      (r) =>
        (this.status === '' || r.status === this.status) &&
        (this.envId === '' || r.envId === this.envId) &&
        (this.algo === '' || r.algo === this.algo) &&
        (this.experimentId === null || r.experimentId === this.experimentId) &&
        (t === '' ||
          `${r.id} ${r.label} ${r.envId} ${r.variant} ${r.algo} ${hyperText(r.hyper)} ${r.tags.join(' ')} ${r.notes}`.toLowerCase().includes(t)),
    );
    const key = this.sortKey;
    const dir = this.sortDesc ? -1 : 1;
    return out.sort((a, b) => {
      if (key === 'lastEval') return compareByEval(this.#ranked(a), this.#ranked(b), this.sortDesc);
      const va = this.#sortValue(a, key);
      const vb = this.#sortValue(b, key);
      return (va < vb ? -1 : va > vb ? 1 : a.id - b.id) * dir;
    });
  });

  selectedRows = $derived(this.rows.filter((r) => this.selected.has(r.id)));

  /** The run's evaluation return under the chosen summary; null without evaluations (or before its summary arrived). */
  shownEval(r: RunRow): ShownEval | null {
    if (this.summary.kind === 'last') return lastEvalOf(r);
    const s = this.summaries.get(r.id);
    return s ? { mode: s.mode, value: s.value, summary: s } : null;
  }

  #ranked(r: RunRow): RankedEval {
    const ev = this.shownEval(r);
    return { id: r.id, mode: ev?.mode ?? null, value: ev?.value ?? null };
  }

  #sortValue(r: RunRow, key: Exclude<SortKey, 'lastEval'>): number | string {
    return key === 'progress' ? (r.totalSteps > 0 ? r.globalStep / r.totalSteps : 0) : r[key];
  }

  /** Show the evaluation return summarised so (fetched at once, and again as runs go on). */
  setSummary(spec: EvalSummarySpec): void {
    this.summary = spec;
    void this.loadSummaries();
  }

  #summarySeq = 0;
  async loadSummaries(): Promise<void> {
    const seq = ++this.#summarySeq;
    const spec = this.summary;
    if (spec.kind === 'last') {
      this.summaries = new Map();
      this.summaryError = null;
      return;
    }
    const r = await api.call('runs.evalSummaries', { summary: spec });
    if (seq !== this.#summarySeq) return;
    if (!r.ok) {
      this.summaryError = r.error.message;
      return;
    }
    this.summaries = new Map(r.value.rows.map((x) => [x.runId, x]));
    this.summaryError = null;
  }

  #off: (() => void)[] = [];
  #index = new Map<number, number>();
  #reloadTimer: ReturnType<typeof setTimeout> | null = null;
  #loadSeq = 0;
  #firstChange: number | null = null;

  connect(): void {
    void this.load();
    // a stalled cluster task sends no event: its row's heartbeat is read again now and then
    const poll = setInterval(() => void this.#refreshClusterRows(), CLUSTER_ROWS_MS);
    this.#off.push(() => clearInterval(poll));
    const summaries = setInterval(() => {
      if (this.summary.kind !== 'last' && this.rows.some((r) => r.status === 'running')) void this.loadSummaries();
    }, SUMMARY_REFRESH_MS);
    this.#off.push(() => clearInterval(summaries));
    this.#off.push(
      api.subscribe('run.status', (e) => this.patch(e.runId, { status: e.status, reason: e.reason, globalStep: e.globalStep }, true)),
      api.subscribe('run.progress', (e) => this.patch(e.runId, { globalStep: e.globalStep })),
      api.subscribe('runs.changed', () => this.scheduleReload()),
    );
  }

  dispose(): void {
    for (const off of this.#off) off();
    this.#off = [];
    if (this.#reloadTimer) clearTimeout(this.#reloadTimer);
  }

  /**
   * Every run, newest first, in pages: the first page shows at once, the rest is appended as it
   * arrives (filtering and sorting then run here, on all rows). A newer load supersedes an older one.
   */
  async load(): Promise<void> {
    const seq = ++this.#loadSeq;
    this.loading = true;
    const all: RunRow[] = [];
    let total = Infinity;
    while (all.length < total) {
      const r = await api.call('runs.list', { limit: PAGE, offset: all.length, sort: 'id', dir: 'desc' });
      if (seq !== this.#loadSeq) return;
      if (!r.ok) {
        this.error = r.error.message;
        this.loading = false;
        return;
      }
      total = r.value.total;
      all.push(...r.value.rows);
      if (r.value.rows.length === 0) break;
      this.#setRows(all.slice(), total);
    }
    this.#setRows(all, total);
    this.error = null;
    this.loading = false;
    void this.loadSummaries();
    const ex = await api.call('experiments.list', {});
    if (ex.ok && seq === this.#loadSeq) this.experiments = ex.value;
  }

  #setRows(rows: RunRow[], total: number): void {
    this.rows = rows;
    this.total = total;
    this.#index = new Map(rows.map((row, i) => [row.id, i]));
    if (!this.loading || rows.length === total) {
      const ids = new Set(rows.map((x) => x.id));
      this.selected = new Set([...this.selected].filter((id) => ids.has(id)));
    }
  }

  /** The running cluster runs' rows again (their heartbeat time, for the "no heartbeat for N min" flag). */
  async #refreshClusterRows(): Promise<void> {
    for (const r of this.rows.filter((x) => x.slurm && x.status === 'running').slice(0, 50)) {
      const g = await api.call('runs.get', { id: r.id });
      if (g.ok && g.value.slurm) this.patch(r.id, { slurm: g.value.slurm });
    }
  }

  /** Reload 300 ms after the last change (at most 2 s after the first, when changes keep coming). */
  scheduleReload(): void {
    const now = Date.now();
    this.#firstChange ??= now;
    if (this.#reloadTimer) clearTimeout(this.#reloadTimer);
    const wait = Math.max(0, Math.min(300, this.#firstChange + 2000 - now));
    this.#reloadTimer = setTimeout(() => {
      this.#reloadTimer = null;
      this.#firstChange = null;
      void this.load();
    }, wait);
  }

  patch(id: number, fields: Partial<RunRow>, reloadOnEnd = false): void {
    const i = this.#index.get(id);
    if (i === undefined) {
      this.scheduleReload(); // a run this table has not seen yet
      return;
    }
    const next = this.rows.slice();
    next[i] = { ...next[i]!, ...fields };
    this.rows = next;
    // a run that ended has a new last evaluation and end time: fetch the row
    if (reloadOnEnd && fields.status && !['running', 'queued'].includes(fields.status)) this.scheduleReload();
  }

  sortBy(key: SortKey): void {
    if (this.sortKey === key) this.sortDesc = !this.sortDesc;
    else {
      this.sortKey = key;
      this.sortDesc = key === 'id' || key === 'createdAt' || key === 'lastEval';
    }
  }

  toggle(id: number): void {
    const s = new Set(this.selected);
    if (s.has(id)) s.delete(id);
    else s.add(id);
    this.selected = s;
  }

  selectOnly(id: number): void {
    this.selected = new Set([id]);
  }

  selectAllVisible(on: boolean): void {
    this.selected = on ? new Set(this.visible.map((r) => r.id)) : new Set();
  }

  /** Runs of the selection the action applies to. */
  applicable(action: Action): number[] {
    return this.selectedRows.filter((r) => ACTION_FROM[action].includes(r.status)).map((r) => r.id);
  }

  request(action: Action): void {
    const ids = this.applicable(action);
    if (ids.length === 0) return;
    if (action === 'delete' || action === 'cancel') this.confirming = { action, ids };
    else void this.run(action, ids);
  }

  async confirm(): Promise<void> {
    const c = this.confirming;
    this.confirming = null;
    if (c) await this.run(c.action, c.ids);
  }

  async run(action: Action, ids: number[]): Promise<void> {
    const failures: string[] = [];
    this.message = `${action}: ${ids.length} run${ids.length === 1 ? '' : 's'}…`;
    await Promise.all(
      ids.map(async (id) => {
        const r = await api.call(`runs.${action}`, { id });
        if (!r.ok) failures.push(`run ${id}: ${r.error.message}`);
      }),
    );
    this.message = failures.length > 0 ? failures.join('; ') : `${action}: done for ${ids.length} run${ids.length === 1 ? '' : 's'}`;
    await this.load();
  }

  async saveTags(id: number, text: string): Promise<string | null> {
    const tags = text.split(',').map((t) => t.trim()).filter((t) => t !== '');
    const r = await api.call('runs.tag', { id, tags });
    if (!r.ok) return r.error.message;
    this.patch(id, { tags: r.value.tags });
    return null;
  }

  async saveNotes(id: number, notes: string): Promise<string | null> {
    const r = await api.call('runs.note', { id, notes });
    if (!r.ok) return r.error.message;
    this.patch(id, { notes: r.value.notes });
    return null;
  }
}
