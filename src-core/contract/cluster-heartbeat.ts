// When a run on a Slurm cluster looks stalled: its task rewrites a heartbeat file every 2 s
// (src-main/cluster/task.ts); a running run whose heartbeat is older than STALE_HEARTBEAT_S (while
// Slurm says RUNNING, or Slurm no longer answers for the job) is flagged "no heartbeat for N min"
// in `lab runs`, `lab runs show`, Runs, Run details and Live. It is only a flag: nothing is marked
// lost (the ingester still decides the status from Slurm's state). The heartbeat time is the node's
// clock: a node clock ahead or behind the lab's shifts the age by as much.

/** Seconds without a heartbeat after which a running cluster run is flagged (60 heartbeats missed). */
export const STALE_HEARTBEAT_S = 120;

/** "no heartbeat for N min" for a running cluster run whose last heartbeat is too old, else null. */
export function staleHeartbeatText(status: string, heartbeatAt: number | null | undefined, nowSeconds: number): string | null {
  if (status !== 'running' || heartbeatAt === null || heartbeatAt === undefined) return null;
  const age = nowSeconds - heartbeatAt;
  if (age < STALE_HEARTBEAT_S) return null;
  return `no heartbeat for ${Math.floor(age / 60)} min`;
}

/** How often Runs and Live read a running cluster run's heartbeat time again (a stalled task sends no event). */
export const CLUSTER_ROWS_MS = 30_000;
