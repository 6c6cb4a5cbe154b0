// The desktop app's main process: single instance, hardened session and window, the contract's
// IPC gateway, the application menu, the store in the user-data folder, workers killed on quit.
import { join } from 'node:path';
import { app, BrowserWindow, dialog } from 'electron';
import { createApiGateway } from '../api/index.ts';
import { createServices } from '../api/create-services.ts';
import type { Services } from '../api/services.ts';
import { hardenSession } from './hardening.ts';
import { registerIpc } from './ipc.ts';
import { handleAppScheme, registerAppScheme } from './protocol.ts';
import { installMenu } from './menu.ts';
import { createMainWindow } from './window.ts';
import { utilityProcessHost } from './worker-host.ts';

let win: BrowserWindow | null = null;
let services: Services | null = null;

registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('web-contents-created', (_e, contents) => {
    // no window may open another (the handler on the main window denies too; this covers any other)
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  app.whenReady().then(start, (err: unknown) => fatal(err));
}

async function start(): Promise<void> {
  try {
    hardenSession();
    handleAppScheme();
    const dbPath = process.env.LAB_DB ?? join(app.getPath('userData'), 'lab.sqlite');
    services = await createServices({ host: 'electron', dbPath, processHost: utilityProcessHost() });
    registerIpc(createApiGateway(services), services.events, () => win);
    installMenu(services.events);
    win = createMainWindow();
    win.on('closed', () => (win = null));
    app.on('activate', () => {
      if (!win) win = createMainWindow();
    });
  } catch (err) {
    fatal(err);
  }
}

function fatal(err: unknown): void {
  dialog.showErrorBox('MaxEnt Lab could not start', err instanceof Error ? err.message : String(err));
  app.exit(1);
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// running workers are paused (they write a checkpoint) and the store closed before the app exits;
// a worker that takes longer than QUIT_GRACE_MS is killed on will-quit (resumable as interrupted)
const QUIT_GRACE_MS = 15_000;
let closing = false;
app.on('before-quit', (event) => {
  if (closing || !services) return;
  closing = true;
  event.preventDefault();
  const s = services;
  services = null;
  const grace = new Promise<void>((resolve) => setTimeout(resolve, QUIT_GRACE_MS));
  void Promise.race([s.close(), grace])
    .catch(() => undefined)
    .finally(() => app.quit());
});
