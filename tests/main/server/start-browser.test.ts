// `npm start` without Electron: scripts/serve-browser.js starts `lab serve`, reads its URL and hands
// it (token included) to the system opener; here the opener is a stand-in that records the URL, and
// the served address answers with the token and refuses without it.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../bundle/fixture.ts';

const root = new URL('../../../', import.meta.url).pathname;
const t = tempDir('lab-start-browser-');
afterAll(() => t.cleanup());

async function waitFor(file: string, ms: number): Promise<string> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8');
      if (text) return text;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${file} was not written within ${ms} ms`);
}

describe('npm start in the browser', () => {
  it('serves the app, opens its URL with the token, and prints where it opened it', async () => {
    const seen = join(t.dir, 'opened.txt');
    const db = join(t.dir, 'lab.db');
    const page = join(t.dir, 'renderer');
    mkdirSync(page);
    writeFileSync(join(page, 'index.html'), '<!doctype html><title>MaxEnt Lab</title>');
    const recorder = `require('node:fs').writeFileSync(${JSON.stringify(seen)}, process.argv[1])`;
    const program = `import(${JSON.stringify(join(root, 'scripts', 'serve-browser.js'))}).then((m) => m.serveInBrowser({ root: ${JSON.stringify(root)}, args: ['--db', ${JSON.stringify(db)}, '--static', ${JSON.stringify(page)}], opener: { cmd: process.execPath, args: ['-e', ${JSON.stringify(recorder)}] } }))`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', program], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    try {
      const url = await waitFor(seen, 60_000);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
      const ok = await fetch(url);
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('<title>MaxEnt Lab</title>');
      const u = new URL(url);
      const bare = await fetch(`${u.origin}/api/system.info`);
      expect(bare.status).toBeGreaterThanOrEqual(400);
      const end = Date.now() + 10_000;
      while (!stdout.includes('opened') && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
      expect(stdout).toContain(`MaxEnt Lab: opened ${url} in the browser`);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.on('exit', r));
    }
  }, 90_000);
});
