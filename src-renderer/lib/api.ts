// Typed access to the app contract from the renderer: one type, two transports.
// - In the desktop app the preload exposes `window.lab` (one function per method + subscribe).
// - In a browser served by `lab serve`, methods are `POST /api/<method>` and events arrive on
//   the WebSocket `/events`; the token comes from the page URL (`?token=...`) and goes with each.
import type { Args, EventName, Events, MethodName, Value } from '../../src-core/contract/api.ts';
import type { PayloadOf, Result } from '../../src-core/contract/define.ts';

export type Listener<E extends EventName> = (payload: PayloadOf<Events[E]>) => void;

export interface LabApi {
  call<K extends MethodName>(method: K, args: Args<K>): Promise<Result<Value<K>>>;
  subscribe<E extends EventName>(event: E, listener: Listener<E>): () => void;
  readonly transport: 'preload' | 'server';
}

/** The shape of `window.lab` built by the preload from the contract. */
export type PreloadBridge = {
  [K in MethodName]: (args: Args<K>) => Promise<Result<Value<K>>>;
} & { subscribe(event: string, listener: (payload: unknown) => void): () => void };

declare global {
  interface Window {
    lab?: PreloadBridge;
  }
}

function preloadApi(bridge: PreloadBridge): LabApi {
  return {
    transport: 'preload',
    call: (method, args) => (bridge[method] as (a: unknown) => Promise<Result<never>>)(args),
    subscribe: (event, listener) => bridge.subscribe(event, listener as (p: unknown) => void),
  };
}

function serverApi(token: string): LabApi {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  let socket: WebSocket | null = null;
  let retry = 500;

  function connect(): void {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = new WebSocket(`${proto}//${location.host}/events?token=${encodeURIComponent(token)}`);
    socket.onopen = () => (retry = 500);
    socket.onmessage = (ev) => {
      const msg = JSON.parse(String(ev.data)) as { event: string; payload: unknown };
      for (const l of listeners.get(msg.event) ?? []) l(msg.payload);
    };
    socket.onclose = () => {
      socket = null;
      // reconnect with back-off while anything listens (the server may restart)
      if ([...listeners.values()].some((s) => s.size > 0)) setTimeout(connect, (retry = Math.min(retry * 2, 10_000)));
    };
  }

  return {
    transport: 'server',
    async call(method, args) {
      try {
        const res = await fetch(`/api/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-lab-token': token },
          body: JSON.stringify(args ?? {}),
        });
        return (await res.json()) as Result<never>;
      } catch (err) {
        return { ok: false, error: { code: 'unavailable', message: `lab server unreachable: ${(err as Error).message}` } };
      }
    },
    subscribe(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (p: unknown) => void);
      if (!socket) connect();
      return () => set.delete(listener as (p: unknown) => void);
    },
  };
}

function createApi(): LabApi {
  if (typeof window !== 'undefined' && window.lab) return preloadApi(window.lab);
  const token = new URLSearchParams(location.search).get('token') ?? sessionStorage.getItem('lab-token') ?? '';
  // keep the token for reloads within this tab
  if (token) sessionStorage.setItem('lab-token', token);
  return serverApi(token);
}

export const api: LabApi = createApi();

/** Call and unwrap: the value, or throws an Error carrying the contract error (code, path). */
export async function request<K extends MethodName>(method: K, args: Args<K>): Promise<Value<K>> {
  const r = await api.call(method, args);
  if (r.ok) return r.value;
  throw Object.assign(new Error(r.error.message), { code: r.error.code, path: r.error.path });
}
