// The event bus main uses to push contract events to every connected renderer (IPC or WebSocket).
// Payloads are validated against the contract in development and tests (LAB_CHECK_EVENTS=1).
import { EVENTS, type EventName, type Events } from '../../src-core/contract/api.ts';
import type { PayloadOf } from '../../src-core/contract/define.ts';

export type EventListener = (name: EventName, payload: unknown) => void;

export class EventBus {
  #listeners = new Set<EventListener>();
  #check = process.env.LAB_CHECK_EVENTS === '1';

  emit<E extends EventName>(name: E, payload: PayloadOf<Events[E]>): void {
    if (this.#check) EVENTS[name].payload.parse(payload);
    for (const l of this.#listeners) {
      try {
        l(name, payload);
      } catch {
        // a broken listener (closed socket, destroyed window) must not stop the others
      }
    }
  }

  /** Listen to every event; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get size(): number {
    return this.#listeners.size;
  }
}
