// Number and time formatting shared by the views (every number says what it is).
import { staleHeartbeatText } from '../../src-core/contract/cluster-heartbeat.ts';

/** 1500000 -> '1.5M', 20000 -> '20k'. */
export function compact(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e9) return `${trim(n / 1e9)}G`;
  if (a >= 1e6) return `${trim(n / 1e6)}M`;
  if (a >= 1e4) return `${trim(n / 1e3)}k`;
  return String(Math.round(n * 100) / 100);
}

function trim(x: number): string {
  return (Math.round(x * 10) / 10).toString();
}

/** Seconds as '40 min', '2 h 5 min', '45 s'. */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 90) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 90) return `${m} min`;
  const h = Math.floor(m / 60);
  return `${h} h ${m - h * 60} min`;
}

/** A return or loss value with 3-4 significant digits. */
export function num(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

/** Seconds since the epoch as a local date-time. */
export function when(ts: number | null): string {
  if (ts === null) return '—';
  return new Date(ts * 1000).toLocaleString();
}

/** Where a cluster run is, for Runs and Live: `Slurm job 12 task 3 · RUNNING (reason)`, and `· no heartbeat for N min` when its task stalled. */
export function slurmText(
  p: { jobId: string | null; taskId: number | null; attempt: number; state: string | null; stateReason: string | null; heartbeatAt?: number | null },
  status?: string,
): string {
  const where = p.jobId === null ? 'Slurm (not submitted)' : `Slurm job ${p.jobId} task ${p.taskId}${p.attempt > 1 ? ` (submission ${p.attempt})` : ''}`;
  const stale = status ? slurmStale(p, status) : null;
  return `${where} · ${p.state ?? 'state unknown'}${p.stateReason ? ` (${p.stateReason})` : ''}${stale ? ` · ${stale}` : ''}`;
}

/** "no heartbeat for N min" for a running cluster run whose task's heartbeat is too old (src-core/contract/cluster-heartbeat.ts), else null. */
export function slurmStale(p: { heartbeatAt?: number | null }, status: string): string | null {
  return staleHeartbeatText(status, p.heartbeatAt, Date.now() / 1000);
}
