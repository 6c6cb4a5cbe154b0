// Session- and window-level hardening of the desktop app (docs/security.md walks through each):
// CSP header on every response, every permission denied, no request leaves the machine,
// navigation, new windows and <webview> refused.
import { session, shell, type WebContents } from 'electron';
import { CSP, devCsp } from '../server/csp.ts';
import { isAppUrl } from './ipc.ts';

/** Applies to the default session (the only one the app uses). Call once, before any window. */
export function hardenSession(): void {
  const s = session.defaultSession;
  const devServer = process.env.ELECTRON_RENDERER_URL;
  s.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  s.setPermissionCheckHandler(() => false);
  s.setDevicePermissionHandler(() => false);
  const policy = devServer ? devCsp(new URL(devServer).origin) : CSP;
  s.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } });
  });
  // no remote content and no file:// either: only app://lab (and the dev server while developing)
  s.webRequest.onBeforeRequest((details, callback) => {
    const u = details.url;
    const local =
      isAppUrl(u, devServer) ||
      u.startsWith('devtools:') ||
      u.startsWith('data:') ||
      u.startsWith('blob:') ||
      (devServer !== undefined && u.startsWith(devServer.replace(/^http/, 'ws')));
    callback({ cancel: !local });
  });
}

/** Per-window guards: no navigation away, no new windows (http(s) links open in the browser), no webviews. */
export function hardenContents(contents: WebContents): void {
  const devServer = process.env.ELECTRON_RENDERER_URL;
  contents.on('will-navigate', (event, url) => {
    // the app is one page: any navigation (other than its own reload) is refused
    if (!isAppUrl(url, devServer) || url.split('#')[0] !== contents.getURL().split('#')[0]) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}
