// The status line's data: backend (and why not faster), runs active/queued, database in use.
// Refreshed on connect and whenever a run changes status.
import type { SystemStatus } from '../../src-core/contract/methods/system.ts';
import { api } from '../lib/api.ts';

export class StatusState {
  status = $state.raw<SystemStatus | null>(null);
  error = $state<string | null>(null);
  #off: (() => void)[] = [];

  connect(): void {
    void this.refresh();
    this.#off.push(api.subscribe('run.status', () => void this.refresh()));
  }

  async refresh(): Promise<void> {
    const r = await api.call('system.status', {});
    if (r.ok) {
      this.status = r.value;
      this.error = null;
    } else this.error = r.error.message;
  }

  dispose(): void {
    for (const off of this.#off) off();
    this.#off = [];
  }
}
