// Request checks of the lab server: the Host must be this server (defeats DNS rebinding), an
// Origin, when sent, must be this server (defeats cross-site requests and WebSockets), and the
// token generated at start must come with every request (header, query or the session cookie).
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_HEADER = 'x-lab-token';
export const TOKEN_COOKIE = 'lab_token';

export type Verdict = { ok: true } | { ok: false; status: number; message: string };

export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === TOKEN_COOKIE) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** The token a request carries, from the header, the `token` query parameter or the cookie. */
export function requestToken(req: IncomingMessage, url: URL): string | undefined {
  const h = req.headers[TOKEN_HEADER];
  if (typeof h === 'string' && h) return h;
  return url.searchParams.get('token') ?? cookieToken(req);
}

export function checkRequest(req: IncomingMessage, url: URL, port: number, token: string): Verdict {
  const hosts = allowedHosts(port);
  const host = req.headers.host ?? '';
  if (!hosts.has(host)) return { ok: false, status: 403, message: `foreign Host '${host}' refused` };
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let o: URL | null = null;
    try {
      o = new URL(origin);
    } catch {
      o = null;
    }
    if (!o || o.protocol !== 'http:' || !hosts.has(o.host)) return { ok: false, status: 403, message: `foreign Origin '${origin}' refused` };
  } else if (origin === 'null') {
    return { ok: false, status: 403, message: "Origin 'null' refused" };
  }
  const given = requestToken(req, url);
  if (!given || !sameToken(given, token)) return { ok: false, status: 401, message: 'missing or wrong token (use the URL printed by `lab serve`)' };
  return { ok: true };
}
