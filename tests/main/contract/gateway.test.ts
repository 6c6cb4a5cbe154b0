// The gateway both bridges share: arguments validated with the contract's schemas (the error
// names the field), handler failures mapped to codes, results checked against the contract.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { describe, expect, test } from 'vitest';
import { METHODS, METHOD_NAMES, EVENTS } from '../../../src-core/contract/api.ts';
import { ApiFailure, defineMethod, type Handlers } from '../../../src-core/contract/define.ts';
import { createServices } from '../../../src-main/api/create-services.ts';
import { createHandlers } from '../../../src-main/api/index.ts';
import { createGateway } from '../../../src-main/api/gateway.ts';
import { ENV_SPECS } from '../../../src-core/envs/registry.ts';

const methods = {
  'demo.scale': defineMethod({
    summary: 'multiply',
    args: z.object({ x: z.number(), factors: z.array(z.number().positive()).default([2]) }),
    result: z.object({ y: z.number() }),
  }),
  'demo.fail': defineMethod({ summary: 'fails', args: z.object({ how: z.enum(['api', 'crash', 'badResult']) }), result: z.object({ y: z.number() }) }),
};

const handlers: Handlers<typeof methods> = {
  'demo.scale': ({ x, factors }) => ({ y: factors.reduce((a, f) => a * f, x) }),
  'demo.fail': ({ how }) => {
    if (how === 'api') throw new ApiFailure('conflict', 'run 3 is already completed', 'id');
    if (how === 'crash') throw new TypeError('boom');
    return { y: 'not a number' } as unknown as { y: number };
  },
};

describe('gateway', () => {
  const gw = createGateway(methods, handlers);

  test('valid arguments reach the handler with defaults applied', async () => {
    expect(await gw.call('demo.scale', { x: 3 })).toEqual({ ok: true, value: { y: 6 } });
    expect(await gw.call('demo.scale', { x: 3, factors: [2, 5] })).toEqual({ ok: true, value: { y: 30 } });
  });

  test('an invalid argument is refused before the handler, naming the field', async () => {
    const r = await gw.call('demo.scale', { x: 1, factors: [2, -1] });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid_args');
      expect(r.error.path).toBe('factors.1');
      expect(r.error.message).toMatch(/^factors\.1: .*0/);
    }
    const missing = await gw.call('demo.scale', {});
    expect(!missing.ok && missing.error.path).toBe('x');
  });

  test('ApiFailure keeps its code and path; other exceptions become internal; a bad result is caught', async () => {
    expect(await gw.call('demo.fail', { how: 'api' })).toEqual({ ok: false, error: { code: 'conflict', message: 'run 3 is already completed', path: 'id' } });
    const crash = await gw.call('demo.fail', { how: 'crash' });
    expect(crash).toEqual({ ok: false, error: { code: 'internal', message: 'demo.fail: boom' } });
    const bad = await gw.call('demo.fail', { how: 'badResult' });
    expect(!bad.ok && bad.error.code).toBe('internal');
    expect(!bad.ok && bad.error.message).toMatch(/result does not match the contract \(y: /);
  });

  test('unknown methods, including inherited property names, are refused', async () => {
    for (const name of ['demo.nope', 'toString', '__proto__', 'constructor']) {
      const r = await gw.call(name, {});
      expect(!r.ok && r.error.code).toBe('unknown_method');
    }
  });

  test('a gateway without a handler for some method cannot be built', () => {
    expect(() => createGateway(methods, { 'demo.scale': handlers['demo.scale'] })).toThrow(/no handler for demo\.fail/);
  });
});

describe('the app contract', () => {
  test('method names are <domain>.<verb> and every method and event has a summary', () => {
    for (const name of METHOD_NAMES) {
      expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
      expect(METHODS[name].summary.length).toBeGreaterThan(10);
    }
    for (const [name, e] of Object.entries(EVENTS)) {
      expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
      expect(e.summary.length).toBeGreaterThan(10);
    }
  });

  test('every method has a handler, and envs.list answers from the registry', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'lab-contract-'));
    const services = await createServices({ host: 'server', dbPath: join(tmp, 'lab.db') });
    try {
      const gw = createGateway(METHODS, createHandlers(services));
      const r = await gw.call('envs.list', {});
      expect(r.ok).toBe(true);
      if (r.ok) {
        const list = r.value as { id: string; params: { name: string; unit: string }[] }[];
        expect(list.map((e) => e.id)).toEqual(ENV_SPECS.map((e) => e.id));
        expect(list[0]!.params.length).toBe(ENV_SPECS[0]!.params.length);
      }
      const d = await gw.call('envs.describe', { id: 'toy', variant: 'nope' });
      expect(!d.ok && d.error).toMatchObject({ code: 'not_found', path: 'variant' });
      const u = await gw.call('envs.describe', { id: 'nowhere' });
      expect(!u.ok && u.error).toMatchObject({ code: 'not_found', path: 'id' });
    } finally {
      await services.close();
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
