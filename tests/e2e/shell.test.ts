// The app shell in Chromium through `lab serve`: navigation to every view, the status line with
// the tensor backend, the token and Host/Origin checks as the browser meets them, and no request
// to any address but the lab server.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startLab, type Lab } from './harness.ts';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab?.close();
});

describe('app shell', () => {
  test('navigation shows each view and the status line names the backend and database', async () => {
    const { page } = lab;
    const nav = page.getByRole('navigation', { name: 'Views' });
    const views = [...['Design', 'Runs', 'Live', 'Compare', 'Environments', 'Analysis'].map((n) => [n, n.toLowerCase()]), ['Paper results', 'paper']];
    for (const [name, id] of views) {
      await nav.getByRole('button', { name, exact: true }).click();
      await expect.poll(() => page.locator('main').getAttribute('data-view')).toBe(id);
      await page.waitForTimeout(300); // let the view draw before its screenshot
      await lab.screenshot(`view-${id}`);
    }
    const backend = page.getByTestId('backend');
    await expect.poll(() => backend.textContent()).toMatch(/backend: (tensorflow|wasm|cpu)/);
    const db = await page.getByTestId('db').textContent();
    expect(db).toContain(lab.dbPath);
    // the database path stays readable when the backend's reason is long (it gives way first)
    const dbBox = await page.getByTestId('db').boundingBox();
    expect(dbBox?.width ?? 0).toBeGreaterThan(150);
    await lab.screenshot('shell');
  });

  test('colours follow the system light or dark setting', async () => {
    const { page } = lab;
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await bg()).toBe('rgb(255, 255, 255)');
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await bg()).toBe('rgb(22, 24, 28)');
    await lab.screenshot('shell-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  test('a request without the token is refused; with it, answered', async () => {
    const noToken = await fetch(`${lab.origin}/api/system.status`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(noToken.status).toBe(401);
    expect(((await noToken.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    const page = await fetch(`${lab.origin}/`);
    expect(page.status).toBe(401);
    const ok = await lab.call<{ host: string }>('system.status');
    expect(ok.ok && ok.value.host).toBe('server');
  });

  test('the page made no request to any address but the lab server', () => {
    expect(lab.requests.length).toBeGreaterThan(2);
    expect(lab.foreignRequests()).toEqual([]);
  });
});
