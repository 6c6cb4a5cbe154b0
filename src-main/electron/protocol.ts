// The app's own scheme, app://lab/, serving the bundled renderer (out/renderer) instead of file://
// (Electron security checklist: "avoid file://, prefer a custom protocol"). Only files inside the
// renderer folder are served, each with the CSP header.
import { join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';
import { CSP } from '../server/csp.ts';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://lab`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** Serves app://lab/<path> from the renderer folder. Call once the app is ready. */
export function handleAppScheme(rendererDir = join(import.meta.dirname, '../renderer')): void {
  const base = resolve(rendererDir);
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'lab') return new Response('not found', { status: 404 });
    let rel = decodeURIComponent(url.pathname);
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = resolve(base, normalize(`.${rel}`));
    if (!file.startsWith(base + sep)) return new Response('forbidden', { status: 403 });
    const res = await net.fetch(pathToFileURL(file).toString());
    // the CSP travels with the document itself (the session adds it too, belt and braces)
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', CSP);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(res.body, { status: res.status, headers });
  });
}
