// Serves the built renderer (out/renderer) with the app's CSP and safe headers; never outside its folder.
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { CSP } from './csp.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

export function serveStatic(root: string, pathname: string, res: ServerResponse, extraHeaders: Record<string, string> = {}): void {
  const base = resolve(root);
  if (!existsSync(join(base, 'index.html'))) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
    res.end(`The renderer is not built (${base}/index.html is missing): run \`npx electron-vite build\` first.\n`);
    return;
  }
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    rel = '/';
  }
  if (rel.endsWith('/')) rel += 'index.html';
  const file = resolve(base, normalize(`.${rel}`));
  if (file !== base && !file.startsWith(base + sep)) {
    res.writeHead(403, SECURITY_HEADERS).end();
    return;
  }
  if (!existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS }).end('not found\n');
    return;
  }
  const isHtml = extname(file) === '.html';
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': isHtml ? 'no-store' : 'private, max-age=3600',
    ...SECURITY_HEADERS,
    ...extraHeaders,
  });
  createReadStream(file).pipe(res);
}
