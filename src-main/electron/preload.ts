// The sandboxed preload: builds `window.lab` from the contract, one function per method plus
// `subscribe(event, listener)` returning its unsubscribe. Never exposes ipcRenderer itself.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENTS, METHOD_NAMES } from '../../src-core/contract/api.ts';
import { CALL_CHANNEL, EVENT_CHANNEL } from './channels.ts';

const bridge: Record<string, unknown> = {};
for (const name of METHOD_NAMES) {
  bridge[name] = (args: unknown) => ipcRenderer.invoke(CALL_CHANNEL, name, args ?? {});
}
bridge.subscribe = (event: string, listener: (payload: unknown) => void): (() => void) => {
  if (!Object.hasOwn(EVENTS, event)) throw new Error(`unknown event '${event}'`);
  if (typeof listener !== 'function') throw new Error('subscribe: listener must be a function');
  const handler = (_e: IpcRendererEvent, name: string, payload: unknown) => {
    if (name === event) listener(payload);
  };
  ipcRenderer.on(EVENT_CHANNEL, handler);
  return () => {
    ipcRenderer.removeListener(EVENT_CHANNEL, handler);
  };
};

contextBridge.exposeInMainWorld('lab', bridge);
