// The application menu: the usual roles (edit, view, window) and a Go menu with Ctrl/Cmd+1..7
// for the views (sent to the renderer as the contract's `app.navigate` event).
import { app, Menu, type MenuItemConstructorOptions } from 'electron';
import type { EventBus } from '../api/events.ts';

const VIEWS = [
  ['design', 'Design'],
  ['runs', 'Runs'],
  ['live', 'Live'],
  ['compare', 'Compare'],
  ['environments', 'Environments'],
  ['analysis', 'Analysis'],
  ['paper', 'Paper results'],
] as const;

export function installMenu(bus: EventBus): void {
  const mac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    { label: '&File', submenu: [mac ? { role: 'close' } : { role: 'quit' }] },
    { role: 'editMenu' },
    {
      label: '&Go',
      submenu: VIEWS.map(([id, label], i) => ({
        label,
        accelerator: `CmdOrCtrl+${i + 1}`,
        click: () => bus.emit('app.navigate', { view: id }),
      })),
    },
    {
      label: '&View',
      submenu: [
        { role: 'reload' },
        { role: 'forceReload' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
