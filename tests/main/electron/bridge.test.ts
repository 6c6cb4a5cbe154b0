// The Electron bridge without an Electron binary (a stub 'electron' module): the preload exposes
// exactly one function per contract method plus subscribe, never ipcRenderer; the IPC gateway
// answers only the app window's top frame on app://lab and validates with the contract.
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { METHOD_NAMES } from '../../../src-core/contract/api.ts';
import { EventBus } from '../../../src-main/api/events.ts';
import type { Gateway } from '../../../src-main/api/gateway.ts';

const exposed: Record<string, unknown> = {};
const handlers = new Map<string, (...a: unknown[]) => unknown>();
const rendererListeners = new Map<string, Set<(...a: unknown[]) => void>>();
const invoke = vi.fn(async (..._a: unknown[]) => ({ ok: true, value: 'pong' }));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: {
    invoke: (...a: unknown[]) => invoke(...a),
    on: (ch: string, l: (...a: unknown[]) => void) => {
      if (!rendererListeners.has(ch)) rendererListeners.set(ch, new Set());
      rendererListeners.get(ch)!.add(l);
    },
    removeListener: (ch: string, l: (...a: unknown[]) => void) => rendererListeners.get(ch)?.delete(l),
  },
  ipcMain: {
    handle: (ch: string, h: (...a: unknown[]) => unknown) => handlers.set(ch, h),
    removeHandler: (ch: string) => handlers.delete(ch),
  },
}));

describe('preload', () => {
  test('window.lab has one function per contract method and subscribe, nothing else', async () => {
    await import('../../../src-main/electron/preload.ts');
    const lab = exposed.lab as Record<string, unknown>;
    expect(Object.keys(lab).sort()).toEqual([...METHOD_NAMES, 'subscribe'].sort());
    for (const v of Object.values(lab)) expect(typeof v).toBe('function');
    expect(exposed).not.toHaveProperty('ipcRenderer');
  });

  test('a method call invokes the one call channel with its name and arguments', async () => {
    const lab = exposed.lab as Record<string, (a?: unknown) => Promise<unknown>>;
    expect(await lab['runs.get']!({ id: 3 })).toEqual({ ok: true, value: 'pong' });
    expect(invoke).toHaveBeenLastCalledWith('lab:call', 'runs.get', { id: 3 });
    await lab['system.status']!();
    expect(invoke).toHaveBeenLastCalledWith('lab:call', 'system.status', {});
  });

  test('subscribe delivers only its event and returns a working unsubscribe; unknown events throw', () => {
    const lab = exposed.lab as { subscribe(e: string, l: (p: unknown) => void): () => void };
    const got: unknown[] = [];
    const off = lab.subscribe('run.status', (p) => got.push(p));
    const send = (name: string, payload: unknown) => {
      for (const l of rendererListeners.get('lab:event') ?? []) l({}, name, payload);
    };
    send('run.status', { runId: 1 });
    send('run.progress', { runId: 1 });
    expect(got).toEqual([{ runId: 1 }]);
    off();
    send('run.status', { runId: 2 });
    expect(got).toEqual([{ runId: 1 }]);
    expect(rendererListeners.get('lab:event')!.size).toBe(0);
    expect(() => lab.subscribe('ipc.raw', () => {})).toThrow(/unknown event 'ipc.raw'/);
  });
});

describe('IPC gateway', () => {
  const mainFrame = { url: 'app://lab/index.html' };
  const webContents = { mainFrame, send: vi.fn() };
  const win = { webContents, isDestroyed: () => false };
  const calls: [string, unknown][] = [];
  const gateway: Gateway = {
    methods: [],
    call: async (m, a) => {
      calls.push([m, a]);
      return { ok: true, value: m };
    },
  };
  let bus: EventBus;

  beforeEach(async () => {
    calls.length = 0;
    handlers.clear();
    bus = new EventBus();
    const { registerIpc } = await import('../../../src-main/electron/ipc.ts');
    registerIpc(gateway, bus, () => win as never);
  });

  const call = (event: unknown, method: unknown, args: unknown = {}) => handlers.get('lab:call')!(event, method, args) as Promise<{ ok: boolean; error?: { code: string } }>;

  test('the app window top frame on app://lab reaches the gateway', async () => {
    expect(await call({ sender: webContents, senderFrame: mainFrame }, 'system.status')).toEqual({ ok: true, value: 'system.status' });
    expect(calls).toEqual([['system.status', {}]]);
  });

  test('other senders, sub-frames and other origins are refused before the gateway', async () => {
    const refused = [
      { sender: { mainFrame }, senderFrame: mainFrame }, // another web contents
      { sender: webContents, senderFrame: { url: 'app://lab/index.html' } }, // a sub-frame
      { sender: webContents, senderFrame: null },
    ];
    for (const ev of refused) expect((await call(ev, 'system.status')).error?.code).toBe('unauthorized');
    for (const url of ['file:///etc/passwd', 'https://example.com/', 'app://evil/index.html']) {
      mainFrame.url = url;
      expect((await call({ sender: webContents, senderFrame: mainFrame }, 'system.status')).error?.code).toBe('unauthorized');
    }
    mainFrame.url = 'app://lab/index.html';
    expect(calls).toEqual([]);
    expect((await call({ sender: webContents, senderFrame: mainFrame }, 42)).error?.code).toBe('unknown_method');
  });

  test('events on the bus are sent to the window on the one event channel', () => {
    bus.emit('run.status', { runId: 4, status: 'paused', reason: null, globalStep: 10 });
    expect(webContents.send).toHaveBeenLastCalledWith('lab:event', 'run.status', { runId: 4, status: 'paused', reason: null, globalStep: 10 });
  });
});
