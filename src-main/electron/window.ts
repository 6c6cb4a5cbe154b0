// The main window: hardened webPreferences, size and position remembered in the user-data
// folder, shown when ready. Loads the bundled renderer (or the dev server under `electron-vite dev`).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, screen, type Rectangle } from 'electron';
import { hardenContents } from './hardening.ts';
import { APP_URL } from './protocol.ts';

interface Bounds extends Rectangle {
  maximized: boolean;
}

const boundsFile = () => join(app.getPath('userData'), 'window-state.json');

function loadBounds(): Partial<Bounds> {
  try {
    const b = JSON.parse(readFileSync(boundsFile(), 'utf8')) as Bounds;
    // only if it is still on a connected display
    const visible = screen.getAllDisplays().some((d) => {
      const a = d.workArea;
      return b.x < a.x + a.width && b.x + b.width > a.x && b.y < a.y + a.height && b.y + b.height > a.y;
    });
    return visible ? b : { width: b.width, height: b.height };
  } catch {
    return {};
  }
}

function saveBounds(win: BrowserWindow): void {
  try {
    const state: Bounds = { ...win.getNormalBounds(), maximized: win.isMaximized() };
    writeFileSync(boundsFile(), JSON.stringify(state));
  } catch {
    // remembering the window is a convenience; never fail a quit over it
  }
}

export function createMainWindow(): BrowserWindow {
  const b = loadBounds();
  const win = new BrowserWindow({
    width: b.width ?? 1280,
    height: b.height ?? 820,
    ...(b.x !== undefined && b.y !== undefined ? { x: b.x, y: b.y } : {}),
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: 'MaxEnt Lab',
    icon: join(import.meta.dirname, '../../resources/icons/icon.png'),
    backgroundColor: '#16181c',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  if (b.maximized) win.maximize();
  hardenContents(win.webContents);
  win.once('ready-to-show', () => win.show());
  win.on('close', () => saveBounds(win));
  const dev = process.env.ELECTRON_RENDERER_URL;
  if (dev && !app.isPackaged) void win.loadURL(dev);
  else void win.loadURL(APP_URL);
  return win;
}
