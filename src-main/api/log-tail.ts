// The last log lines of each run, kept in memory for the Live view (the store keeps metrics, not logs).
export interface LogLine {
  time: number;
  level: 'info' | 'warn' | 'error';
  message: string;
}

export class LogTail {
  #perRun = new Map<number, LogLine[]>();
  #max: number;

  constructor(max = 500) {
    this.#max = max;
  }

  push(runId: number, line: LogLine): void {
    let lines = this.#perRun.get(runId);
    if (!lines) this.#perRun.set(runId, (lines = []));
    lines.push(line);
    if (lines.length > this.#max) lines.splice(0, lines.length - this.#max);
  }

  tail(runId: number, n: number): LogLine[] {
    return (this.#perRun.get(runId) ?? []).slice(-n);
  }

  forget(runId: number): void {
    this.#perRun.delete(runId);
  }
}
