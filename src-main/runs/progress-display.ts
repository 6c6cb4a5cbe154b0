// Terminal progress of the runs a `lab` command drives: one line per active run (steps, steps/s,
// ETA, last evaluation return per mode) and a total line (runs done, steps, ETA). The total ETA
// times each unfinished run at its own speed (an active run's, else the speed the store measured
// for its task and algorithm, src-main/runs/speed.ts) over the worker slots in use, so a queue of
// SAC behind PPO is not timed at PPO's speed; algorithms not timed yet are named beside it. On a TTY
// the block is redrawn in place twice a second; otherwise a block is printed every 10 s and status
// changes are printed as they happen.
import type { Store } from '../store/index.ts';
import { groupSize, measuredSpeed } from './speed.ts';
import type { EventEmitter } from 'node:events';
import type { ManagerEvents, RunProgressEvent } from './events.ts';

/** What the display watches: the run manager, or the cluster watcher of runs on Slurm (src-main/cluster). */
export interface ProgressSource extends EventEmitter<ManagerEvents> {
  activeIds(): number[];
  queuedIds(): number[];
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}` : `${m}:${String(sec).padStart(2, '0')}`;
}

/** "ETA 1:20:00", or where some runs' algorithms have no speed yet "ETA over 1:20:00 (sac not timed yet)". */
function totalEta(seconds: number, untimed: ReadonlySet<string>): string {
  if (untimed.size === 0) return `ETA ${formatDuration(seconds)}`;
  const names = `${[...untimed].join(', ')} not timed yet`;
  return seconds > 0 ? `ETA over ${formatDuration(seconds)} (${names})` : `ETA --:-- (${names})`;
}

export class ProgressDisplay {
  private readonly store: Store;
  private readonly manager: ProgressSource;
  private readonly runIds: readonly number[];
  private readonly progress = new Map<number, RunProgressEvent>();
  private readonly labels = new Map<number, string>();
  /** The store's measured speed per task and algorithm, read once: it changes only when a run completes. */
  private readonly measured = new Map<string, number | null>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private drawn = 0;
  private readonly tty = Boolean(process.stdout.isTTY);

  constructor(store: Store, manager: ProgressSource, runIds: readonly number[]) {
    this.store = store;
    this.manager = manager;
    this.runIds = runIds;
    for (const id of runIds) {
      const r = store.runs.get(id);
      if (r) this.labels.set(id, `#${id} ${r.algo} ${r.envId}${r.variant !== 'default' ? `/${r.variant}` : ''} seed ${r.seed}`);
    }
    manager.on('progress', (p) => this.progress.set(p.runId, p));
    manager.on('status', (e) => {
      if (e.status !== 'running') this.progress.delete(e.runId);
      if (e.status === 'completed') this.measured.clear();
      if (!this.tty || e.status !== 'running') this.note(`${this.labels.get(e.runId) ?? `#${e.runId}`}: ${e.status}${e.reason ? ` (${e.reason})` : ''}`);
    });
  }

  start(): void {
    this.timer = setInterval(() => this.draw(), this.tty ? 500 : 10_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.clear();
  }

  /** A line above the progress block. */
  note(line: string): void {
    this.clear();
    process.stdout.write(`${line}\n`);
    if (this.tty && this.timer) this.draw();
  }

  private clear(): void {
    if (this.tty && this.drawn > 0) process.stdout.write(`\x1b[${this.drawn}F\x1b[J`);
    this.drawn = 0;
  }

  lines(): string[] {
    const out: string[] = [];
    let slotSeconds = 0;
    let slots = 0; // worker processes in use: a seed group of K active runs is one
    const untimed = new Set<string>();
    const measured = this.measured;
    let doneSteps = 0;
    let total = 0;
    let finished = 0;
    for (const id of this.runIds) {
      const r = this.store.runs.get(id);
      if (!r) continue;
      const p = this.progress.get(id);
      const step = p?.globalStep ?? r.globalStep;
      total += r.totalSteps;
      doneSteps += r.status === 'completed' ? r.totalSteps : step;
      const active = this.manager.activeIds().includes(id);
      if (['completed', 'failed', 'cancelled'].includes(r.status)) finished++;
      else {
        // seed-steps per second of one worker slot: a run of a group of K shares its slot with K - 1
        const key = `${r.envId}\u0000${r.algo}`;
        if (!measured.has(key)) measured.set(key, measuredSpeed(this.store, r.envId, r.algo).sps);
        const slotSps = active && p && p.sps > 0 ? p.sps * groupSize(r.versions) : measured.get(key);
        if (slotSps) slotSeconds += (r.totalSteps - step) / slotSps;
        else untimed.add(r.algo);
      }
      if (!active) continue;
      slots += 1 / groupSize(r.versions);
      const pct = r.totalSteps > 0 ? step / r.totalSteps : 0;
      const bar = '#'.repeat(Math.round(pct * 20)).padEnd(20, '-');
      const ev = Object.entries(p?.lastEval ?? r.lastEval)
        .map(([mode, v]) => `${mode.slice(0, 3)} ${typeof v === 'number' ? v.toFixed(2) : 'n/a'}`)
        .join(', ');
      out.push(
        `${(this.labels.get(id) ?? `#${id}`).padEnd(34)} [${bar}] ${(pct * 100).toFixed(0).padStart(3)}% ${step}/${r.totalSteps} steps  ${(p?.sps ?? 0).toFixed(0)} steps/s  ETA ${formatDuration(p?.etaSeconds ?? null)}${ev ? `  last eval return: ${ev}` : ''}`,
      );
    }
    const queued = this.manager.queuedIds().length;
    out.push(
      `total: ${finished}/${this.runIds.length} runs finished, ${this.manager.activeIds().length} running, ${queued} queued; ${doneSteps}/${total} steps; ${totalEta(slotSeconds / Math.max(1, Math.round(slots)), untimed)}`,
    );
    return out;
  }

  private draw(): void {
    const width = process.stdout.columns ?? 0;
    // on a terminal, a wrapped line would break the in-place redraw: cut lines to the width
    const lines = this.lines().map((l) => (this.tty && width > 10 && l.length >= width ? `${l.slice(0, width - 2)}…` : l));
    this.clear();
    process.stdout.write(`${lines.join('\n')}\n`);
    if (this.tty) this.drawn = lines.length;
  }
}
