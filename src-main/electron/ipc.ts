// The IPC gateway: one handler for the call channel. It answers only the app's own window and
// only its top frame loaded from the app's own files, then hands the call to the shared gateway
// (validation with the contract's schemas, {ok, value} | {ok: false, error}).
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { Result } from '../../src-core/contract/define.ts';
import type { EventBus } from '../api/events.ts';
import type { Gateway } from '../api/gateway.ts';
import { CALL_CHANNEL, EVENT_CHANNEL } from './channels.ts';
import { APP_ORIGIN } from './protocol.ts';

/** True when a URL is the app's renderer: app://lab/..., or the dev server in `electron-vite dev`. */
export function isAppUrl(url: string, devServer: string | undefined): boolean {
  try {
    const u = new URL(url);
    if (`${u.protocol}//${u.host}` === APP_ORIGIN) return true;
    if (devServer) return u.origin === new URL(devServer).origin;
    return false;
  } catch {
    return false;
  }
}

export function registerIpc(gateway: Gateway, bus: EventBus, getWindow: () => BrowserWindow | null): () => void {
  const devServer = process.env.ELECTRON_RENDERER_URL;
  ipcMain.handle(CALL_CHANNEL, async (event: IpcMainInvokeEvent, method: unknown, args: unknown): Promise<Result<unknown>> => {
    const win = getWindow();
    const frame = event.senderFrame;
    if (!win || event.sender !== win.webContents || !frame || frame !== win.webContents.mainFrame || !isAppUrl(frame.url, devServer)) {
      return { ok: false, error: { code: 'unauthorized', message: 'calls are accepted only from the app window' } };
    }
    if (typeof method !== 'string') return { ok: false, error: { code: 'unknown_method', message: 'method must be a string' } };
    return gateway.call(method, args);
  });
  const off = bus.subscribe((name, payload) => {
    const win = getWindow();
    if (win && !win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, name, payload);
  });
  return () => {
    ipcMain.removeHandler(CALL_CHANNEL);
    off();
  };
}
