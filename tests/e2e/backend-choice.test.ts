// In Chromium through `lab serve`: the Design form's tensor backend field says what this machine
// has (and the WebGPU choice, offered where Dawn finds an adapter), an experiment asking for tensorflow (tfjs-node is not installed here) is stored with that
// request, its run falls back to wasm, and Run details shows both backends with the reason.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startLab, type Lab } from './harness.ts';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab({ serveArgs: ['--concurrency', '1'] });
});
afterAll(async () => {
  await lab?.close();
});

test('a run asking for an unavailable backend records the fallback and Run details shows it', async () => {
  const { page } = lab;
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Design', exact: true }).click();
  await expect.poll(() => page.locator('#f-algorithms-1-algo').count()).toBe(1);
  const hint = page.getByTestId('backend-hint');
  expect(await page.locator('#f-backend').inputValue()).toBe('auto');
  await expect.poll(() => hint.textContent()).toMatch(/^auto uses wasm here \(tfjs-node is not installed/);
  // webgpu: offered where Dawn finds an adapter (SwiftShader in CI), and the hint says it is a slow software one
  const gpuOption = page.locator('#f-backend option[value="webgpu"]');
  const software = existsSync(process.env.VK_ICD_FILENAMES ?? '/nonexistent');
  await expect.poll(() => gpuOption.textContent()).toBe(software ? 'webgpu' : 'webgpu (no WebGPU adapter here)');
  expect(await gpuOption.isDisabled()).toBe(!software);
  if (software) {
    await page.locator('#f-backend').selectOption('webgpu');
    await expect.poll(() => hint.textContent()).toMatch(/^GPU google swiftshader \(SwiftShader driver [\d.]+\) \(software\) found: runs train on it, on the CPU and much slower than wasm$/);
    await expect.poll(() => page.getByTestId('gpu').textContent()).toMatch(/GPU: google swiftshader .* \(software\)/);
  }
  await page.locator('#f-backend').selectOption('cpu');
  await expect.poll(() => hint.textContent()).toBe('cpu is available here (auto would use wasm)');
  await page.locator('#f-backend').selectOption('tensorflow');
  await expect.poll(() => hint.textContent()).toMatch(/^tensorflow is not available here \(.*\): runs fall back to wasm and record both$/);
  expect(await hint.getAttribute('class')).toMatch(/warn/);

  await page.locator('#f-name').fill('backend-e2e');
  await page.getByRole('button', { name: 'Remove algorithm' }).first().click(); // keep SAC only
  await expect.poll(() => page.locator('#f-algorithms-1-algo').count()).toBe(0);
  await page.locator('#f-seeds-count').fill('1');
  await page.locator('#f-budget').fill('60');
  await page.locator('#f-eval-interval').fill('60');
  await page.locator('#f-eval-episodes').fill('1');
  await expect.poll(() => page.getByTestId('grid-summary').textContent(), { timeout: 10_000 }).toMatch(/^1 algorithm x 1 seed = 1 runs, 60 environment steps/);
  await page.getByRole('button', { name: 'Launch', exact: true }).click();
  await expect.poll(() => page.locator('main').getAttribute('data-view')).toBe('live');

  // the run's end, through the contract (the Runs view's live updates are design-launch's subject)
  const statusOf = async () => {
    const r = await lab.call<{ rows: { status: string }[] }>('runs.list', {});
    return r.ok ? r.value.rows.map((x) => x.status).join(',') : r.error.message;
  };
  await expect.poll(statusOf, { timeout: 60_000, interval: 500 }).toBe('completed');
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Runs', exact: true }).click();
  const row = page.locator('[role=row][data-status="completed"]');
  await expect.poll(() => row.count(), { timeout: 20_000, interval: 250 }).toBe(1);
  await row.locator('[role=cell]:nth-child(3)').click();
  const backend = page.getByTestId('run-backend');
  await expect.poll(() => backend.textContent()).toMatch(/^\s*wasm\s+\(requested tensorflow\)\s+tensorflow could not start \(.*tfjs-node is not installed.*\); this run used wasm\s*$/);
  await lab.screenshot('run-backend-fallback');

  // the same through the contract: the request is in the stored spec and config, the fallback beside the versions
  const exps = await lab.call<{ id: number }[]>('experiments.list', {});
  expect(exps.ok).toBe(true);
  const exp = await lab.call<{ spec: { backend?: string } }>('experiments.get', { id: exps.ok ? exps.value[0]!.id : 0 });
  expect(exp.ok && exp.value.spec.backend).toBe('tensorflow');
  const list = await lab.call<{ rows: { id: number; backend: string; backendRequested: string; backendFallback: string | null }[] }>('runs.list', {});
  expect(list.ok).toBe(true);
  if (!list.ok) return;
  expect(list.value.rows).toHaveLength(1);
  expect(list.value.rows[0]).toMatchObject({ backend: 'wasm', backendRequested: 'tensorflow', backendFallback: expect.stringMatching(/tfjs-node is not installed/) });
  const detail = await lab.call<{ config: { backend?: string }; versions: Record<string, string> }>('runs.get', { id: list.value.rows[0]!.id });
  expect(detail.ok && detail.value.config.backend).toBe('tensorflow');
  expect(detail.ok && detail.value.versions.backendRequested).toBe('tensorflow');
  expect(lab.foreignRequests()).toEqual([]);
});
