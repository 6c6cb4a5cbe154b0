// The browser-test harness: `lab serve` on a temporary database and a free port, Debian's
// chromium driven by playwright-core, the tokenised URL opened, every request URL the page makes
// recorded, screenshots written to test-results/screenshots/, everything torn down after.
//
//   const lab = await startLab();           // in beforeAll
//   await lab.page.getByRole('button', { name: 'Runs' }).click();
//   await lab.screenshot('runs');
//   expect(lab.foreignRequests()).toEqual([]);
//   await lab.close();                      // in afterAll
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '../..');
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');
export const CHROMIUM = process.env.LAB_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface LabOptions {
  /** Extra `lab serve` flags, e.g. ['--concurrency', '2']. */
  serveArgs?: string[];
  /** Extra environment for the server process. */
  env?: Record<string, string>;
  viewport?: { width: number; height: number };
  /** Fills the database before the server opens it (e.g. `lab experiment run --db`): the server stays its only writer. */
  prepare?: (dbPath: string) => void;
}

export interface Lab {
  /** http://127.0.0.1:PORT/?token=TOKEN */
  url: string;
  origin: string;
  token: string;
  dbPath: string;
  tmp: string;
  /** Process id of `lab serve` (its children are the training workers). */
  serverPid: number;
  browser: Browser;
  page: Page;
  /** Every URL the page requested (documents, scripts, fetches, WebSockets), in order. */
  requests: string[];
  /** Requests to anything but the lab server (should stay empty: the app is offline-proof). */
  foreignRequests(): string[];
  /** What the server printed on stderr (for failure messages). */
  serverLog(): string;
  /** A call to the contract over HTTP with the token (for set-up and checks). */
  call<T = unknown>(method: string, args?: unknown): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string; path?: string } }>;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** Builds the renderer once if out/renderer is missing (npm test builds it before this suite). */
export function ensureRendererBuilt(): void {
  if (existsSync(join(ROOT, 'out/renderer/index.html'))) return;
  const r = spawnSync(join(ROOT, 'node_modules/.bin/electron-vite'), ['build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('electron-vite build failed; the browser tests need out/renderer');
}

function startServer(dbPath: string, opts: LabOptions): Promise<{ child: ChildProcess; url: string; log: () => string }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/lab.js'), 'serve', '--db', dbPath, '--port', '0', ...(opts.serveArgs ?? [])], {
    cwd: ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`lab serve did not print its URL within 30 s\n${err}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /open (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveStart({ child, url: m[1]!, log: () => err });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`lab serve exited with code ${code}\n${err}`));
    });
  });
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export async function startLab(opts: LabOptions = {}): Promise<Lab> {
  ensureRendererBuilt();
  const tmp = mkdtempSync(join(tmpdir(), 'lab-e2e-'));
  const dbPath = join(tmp, 'lab.db');
  opts.prepare?.(dbPath);
  // the repository's results/ only where a test names a results folder: the shipped campaign would
  // otherwise open Paper results at the first start and be imported while the test drives its view
  const noResults = join(tmp, 'no-results');
  mkdirSync(noResults);
  const { child, url, log } = await startServer(dbPath, { ...opts, env: { LAB_RESULTS_DIR: noResults, ...opts.env } });
  const u = new URL(url);
  const token = u.searchParams.get('token')!;
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1280, height: 820 } });
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('websocket', (ws) => requests.push(ws.url()));
    await page.goto(url);
    const lab: Lab = {
      url,
      origin: u.origin,
      token,
      dbPath,
      tmp,
      serverPid: child.pid!,
      browser,
      page,
      requests,
      foreignRequests: () =>
        requests.filter((r) => {
          if (r.startsWith('data:') || r.startsWith('blob:')) return false;
          const o = new URL(r);
          return !(o.hostname === '127.0.0.1' && o.port === u.port);
        }),
      serverLog: log,
      async call(method, args = {}) {
        const res = await fetch(`${u.origin}/api/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-lab-token': token },
          body: JSON.stringify(args),
        });
        return res.json();
      },
      async screenshot(name) {
        mkdirSync(SCREENSHOTS, { recursive: true });
        const file = join(SCREENSHOTS, `${name}.png`);
        await page.screenshot({ path: file, fullPage: false });
        return file;
      },
      async close() {
        await browser?.close().catch(() => {});
        await stopServer(child);
        rmSync(tmp, { recursive: true, force: true });
      },
    };
    return lab;
  } catch (err) {
    await browser?.close().catch(() => {});
    await stopServer(child);
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}
