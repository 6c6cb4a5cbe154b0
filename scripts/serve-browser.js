// `npm start` without Electron: serves the same app in the browser (`lab serve`) and opens it with
// the system's opener (open on macOS, start on Windows, xdg-open elsewhere where installed); with
// none, prints the URL with its token. Used by scripts/start.js; tested in tests/main/server.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** The command that opens a URL on this platform, or null where there is none. */
export function systemOpener(platform = process.platform) {
  if (platform === 'darwin') return { cmd: 'open', args: [] };
  if (platform === 'win32') return { cmd: 'cmd', args: ['/c', 'start', '""'] };
  const found = spawnSync('sh', ['-c', 'command -v xdg-open'], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() ? { cmd: found.stdout.trim(), args: [] } : null;
}

/** Try to open `url`; resolves true when the opener ran and exited 0. */
export function openUrl(url, opener = systemOpener()) {
  if (!opener) return Promise.resolve(false);
  return new Promise((resolve) => {
    const child = spawn(opener.cmd, [...opener.args, url], { stdio: 'ignore', detached: process.platform !== 'win32' });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
    child.unref();
  });
}

/**
 * Start `lab serve` (extra args passed on), wait for its URL, open it (or print it), and forward
 * Ctrl-C. Resolves with { child, url } once the URL is known; the child keeps running.
 */
export function serveInBrowser({ root, args = [], opener = systemOpener(), log = console.log }) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'lab.js'), 'serve', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let buffered = '';
    let url = null;
    child.stdout.on('data', (d) => {
      const text = d.toString();
      if (url) {
        process.stdout.write(text);
        return;
      }
      buffered += text;
      const m = /^open (http\S+)$/m.exec(buffered);
      if (!m) return;
      url = m[1];
      process.stdout.write(buffered.replace(m[0], '').replace(/\n{2,}/g, '\n')); // "MaxEnt Lab is serving <database>"
      void openUrl(url, opener).then((opened) => {
        log(opened ? `MaxEnt Lab: opened ${url} in the browser (Ctrl-C stops the server)` : `MaxEnt Lab: open ${url} in a browser (Ctrl-C stops the server)`);
        resolve({ child, url, opened });
      });
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!url) reject(new Error(`lab serve exited with code ${code} before it served`));
    });
    for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  });
}
