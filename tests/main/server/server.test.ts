// The lab server's guards and the contract over HTTP: token on every request and on the WebSocket
// upgrade, foreign Host and Origin refused, validation errors naming the field, events pushed.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { createServices } from '../../../src-main/api/create-services.ts';
import { createApiGateway } from '../../../src-main/api/index.ts';
import type { Services } from '../../../src-main/api/services.ts';
import { startLabServer, type LabServer } from '../../../src-main/server/server.ts';

let tmp: string;
let services: Services;
let server: LabServer;
let base: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'lab-server-'));
  const staticDir = join(tmp, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>lab</title>');
  writeFileSync(join(tmp, 'secret.txt'), 'outside the static folder');
  services = await createServices({ host: 'server', dbPath: join(tmp, 'lab.db') });
  server = await startLabServer({ gateway: createApiGateway(services), events: services.events, staticDir });
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server?.close();
  await services?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** A raw request, so Host and Origin can be set freely (fetch forbids a custom Host). */
function raw(path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: body === undefined ? 'GET' : 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function post(method: string, args: unknown, headers: Record<string, string> = { 'x-lab-token': server.token }) {
  return fetch(`${base}/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(args) });
}

describe('token', () => {
  test('the printed URL carries a 64-hex-digit token on 127.0.0.1', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
  });

  test('a method call without the token, or with a wrong one, is refused with 401', async () => {
    const variants: Record<string, string>[] = [{}, { 'x-lab-token': 'x'.repeat(64) }, { 'x-lab-token': server.token.slice(1) }];
    for (const headers of variants) {
      const res = await post('system.status', {}, headers);
      expect(res.status).toBe(401);
      const body = (await res.json()) as { ok: boolean; error: { code: string } };
      expect(body).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
  });

  test('the page itself needs the token; with it, it is served with the CSP and a same-site cookie', async () => {
    expect((await fetch(`${base}/`)).status).toBe(401);
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('set-cookie')).toMatch(/lab_token=[0-9a-f]{64}; HttpOnly; SameSite=Strict/);
    // the cookie alone authorises the page's asset requests
    const again = await fetch(`${base}/index.html`, { headers: { cookie: `lab_token=${server.token}` } });
    expect(again.status).toBe(200);
  });

  test('with the token the contract answers', async () => {
    const res = await post('system.status', {});
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: true; value: { host: string; dbPath: string } };
    expect(body.ok).toBe(true);
    expect(body.value.host).toBe('server');
    expect(body.value.dbPath).toBe(join(tmp, 'lab.db'));
  });
});

describe('Host and Origin', () => {
  test('a foreign Host header (DNS rebinding) is refused even with the token', async () => {
    const r = await raw(`/?token=${server.token}`, { host: `evil.example:${server.port}` });
    expect(r.status).toBe(403);
    expect(r.text).toContain("foreign Host 'evil.example");
    const ok = await raw(`/?token=${server.token}`, { host: `localhost:${server.port}` });
    expect(ok.status).toBe(200);
  });

  test('a foreign Origin is refused even with the token; the server own origin is accepted', async () => {
    const headers = { host: `127.0.0.1:${server.port}`, 'content-type': 'application/json', 'x-lab-token': server.token };
    const bad = await raw('/api/system.status', { ...headers, origin: 'http://evil.example' }, '{}');
    expect(bad.status).toBe(403);
    expect(JSON.parse(bad.text).error.code).toBe('unauthorized');
    const nul = await raw('/api/system.status', { ...headers, origin: 'null' }, '{}');
    expect(nul.status).toBe(403);
    const good = await raw('/api/system.status', { ...headers, origin: base }, '{}');
    expect(good.status).toBe(200);
  });
});

describe('contract over HTTP', () => {
  test('a validation error names the field and is answered 400', async () => {
    const res = await post('runs.get', { id: -3 });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { ok: false; error: { code: string; path: string; message: string } };
    expect(body.error.code).toBe('invalid_args');
    expect(body.error.path).toBe('id');
    expect(body.error.message).toMatch(/^id: /);
    const nested = await post('metrics.series', { runIds: [1, 'two'], keys: ['charts/episodic_return'] });
    expect(((await nested.json()) as { error: { path: string } }).error.path).toBe('runIds.1');
  });

  test('unknown ids are not_found (404), unknown methods 404, GET 405, malformed JSON 400, wrong type 415', async () => {
    const nf = await post('runs.get', { id: 12345 });
    expect(nf.status).toBe(404);
    expect(((await nf.json()) as { error: { code: string; path: string } }).error).toMatchObject({ code: 'not_found', path: 'id' });
    expect((await post('nope.nothing', {})).status).toBe(404);
    expect((await fetch(`${base}/api/system.status`, { headers: { 'x-lab-token': server.token } })).status).toBe(405);
    const bad = await fetch(`${base}/api/system.status`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-lab-token': server.token }, body: '{oops' });
    expect(bad.status).toBe(400);
    const txt = await fetch(`${base}/api/system.status`, { method: 'POST', headers: { 'content-type': 'text/plain', 'x-lab-token': server.token }, body: '{}' });
    expect(txt.status).toBe(415);
  });

  test('static files never come from outside the renderer folder', async () => {
    const r = await raw(`/..%2fsecret.txt?token=${server.token}`, { host: `127.0.0.1:${server.port}` });
    expect(r.status).not.toBe(200);
    expect(r.text).not.toContain('outside the static folder');
  });
});

describe('WebSocket events', () => {
  function open(url: string, origin?: string): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, origin ? { origin } : {});
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)));
    });
  }

  test('the upgrade needs the token and a local Origin', async () => {
    await expect(open(`ws://127.0.0.1:${server.port}/events`)).rejects.toThrow(/401/);
    await expect(open(`ws://127.0.0.1:${server.port}/events?token=${server.token}`, 'http://evil.example')).rejects.toThrow(/403/);
  });

  test('with the token, emitted events arrive as {event, payload}', async () => {
    const ws = await open(`ws://127.0.0.1:${server.port}/events?token=${server.token}`, base);
    const got = new Promise<unknown>((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)))));
    services.events.emit('run.status', { runId: 7, status: 'running', reason: null, globalStep: 0 });
    expect(await got).toEqual({ event: 'run.status', payload: { runId: 7, status: 'running', reason: null, globalStep: 0 } });
    ws.close();
  });
});
