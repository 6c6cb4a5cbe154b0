// The lab server: the app contract over HTTP (POST /api/<method>) and a WebSocket (/events) for
// events, plus the built renderer, on 127.0.0.1 only, behind a random token (see ./guard.ts).
// This is how the views run in a browser (headless workstations, the e2e tests).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ErrorCode, Result } from '../../src-core/contract/define.ts';
import type { EventBus } from '../api/events.ts';
import type { Gateway } from '../api/gateway.ts';
import { checkRequest, TOKEN_COOKIE } from './guard.ts';
import { SECURITY_HEADERS, serveStatic } from './static.ts';

export interface LabServerOptions {
  gateway: Gateway;
  events: EventBus;
  /** Folder of the built renderer (out/renderer). */
  staticDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed token (tests); default: 32 random bytes, hex. */
  token?: string;
}

export interface LabServer {
  port: number;
  token: string;
  /** The address to open: http://127.0.0.1:PORT/?token=TOKEN */
  url: string;
  close(): Promise<void>;
}

const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_args: 400,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  unauthorized: 401,
  unknown_method: 404,
  internal: 500,
};

const MAX_BODY = 16 * 1024 * 1024;

function sendJson(res: ServerResponse, status: number, body: Result<unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS });
  res.end(text);
}

function fail(res: ServerResponse, status: number, code: ErrorCode, message: string): void {
  sendJson(res, status, { ok: false, error: { code, message } });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error(`request body larger than ${MAX_BODY} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startLabServer(opts: LabServerOptions): Promise<LabServer> {
  const token = opts.token ?? randomBytes(32).toString('hex');
  let port = 0;
  const sockets = new Set<WebSocket>();

  async function handleApi(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return fail(res, 405, 'unknown_method', `use POST for /api/${method}`);
    }
    const type = req.headers['content-type'] ?? '';
    if (!type.startsWith('application/json')) return fail(res, 415, 'invalid_args', 'send the arguments as application/json');
    let args: unknown;
    try {
      const text = await readBody(req);
      args = text.trim() === '' ? {} : JSON.parse(text);
    } catch (err) {
      return fail(res, 400, 'invalid_args', `malformed JSON body: ${(err as Error).message}`);
    }
    const result = await opts.gateway.call(method, args);
    sendJson(res, result.ok ? 200 : HTTP_STATUS[result.error.code], result);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const verdict = checkRequest(req, url, port, token);
    if (!verdict.ok) {
      if (url.pathname.startsWith('/api/')) return fail(res, verdict.status, 'unauthorized', verdict.message);
      res.writeHead(verdict.status, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
      res.end(`${verdict.message}\n`);
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      handleApi(req, res, decodeURIComponent(url.pathname.slice(5))).catch((err: unknown) =>
        fail(res, 500, 'internal', (err as Error).message),
      );
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', ...SECURITY_HEADERS }).end();
      return;
    }
    // the page's own asset requests carry the token in an HttpOnly, same-site cookie
    serveStatic(opts.staticDir, url.pathname, res, {
      'set-cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const verdict = checkRequest(req, url, port, token);
    if (!verdict.ok || url.pathname !== '/events') {
      const status = verdict.ok ? 404 : verdict.status;
      socket.write(`HTTP/1.1 ${status} ${verdict.ok ? 'Not Found' : 'Refused'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', () => ws.close(1008, 'this socket only sends events'));
    });
  });

  const off = opts.events.subscribe((event, payload) => {
    if (sockets.size === 0) return;
    const text = JSON.stringify({ event, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: async () => {
      off();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
