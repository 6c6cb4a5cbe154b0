// The tensor backend of each run (issue 4): an experiment's `backend` reaches every run's config,
// the run manager asks each worker for its own run's backend, and the store records the backend
// used beside the one requested. A named backend that cannot start here (tensorflow: tfjs-node is
// not installed offline) falls back to the automatic choice, and the run records why.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { validateExperiment } from '../../../src-core/contract/experiment.ts';
import { resolveRunConfig } from '../../../src-core/train/index.ts';
import type { RunConfig } from '../../../src-core/train/types.ts';
import { toRunRow } from '../../../src-main/api/records.ts';
import { openStore, type Store } from '../../../src-main/store/index.ts';
import { RunManager } from '../../../src-main/runs/manager.ts';
import { NodeWorkerHost } from '../../../src-main/runs/host.ts';
import { tempDir } from '../store/helpers.ts';
import { probeWebgpu } from '../../../src-main/engine/webgpu-probe.ts';
import { SPEED_FORMAT } from '../../../src-main/engine/webgpu-speed.ts';
import { existsSync, writeFileSync } from 'node:fs';

const TINY = { totalSteps: 60, evalInterval: 60, evalEpisodes: 1, recordEpisodes: 0, batchSize: 16, warmupSteps: 40, hidden: [8, 8] };

function toyRun(backend?: RunConfig['backend'], seed = 1): RunConfig {
  const c = resolveRunConfig({ env: 'toy', algo: 'sac', preset: 'quick', seed, overrides: TINY });
  return backend ? { ...c, backend } : c;
}

let t: ReturnType<typeof tempDir>;
let store: Store;
beforeEach(() => {
  t = tempDir();
  process.env.LAB_WEBGPU_SPEED = join(t.dir, 'webgpu-speed.json'); // none unless a test writes it (the forked workers inherit it)
  store = openStore(join(t.dir, 'lab.db'));
});
afterEach(() => {
  delete process.env.LAB_WEBGPU_SPEED;
  store.close();
  t.cleanup();
});

describe('backend of a run', () => {
  it('the experiment spec puts its backend into every run config (absent: nothing, i.e. auto)', () => {
    const base = { name: 'b', preset: 'quick', budget: 200, eval: { interval: 100 }, seeds: [0, 1], environments: [{ id: 'toy' }], algorithms: [{ algo: 'sac' }, { algo: 'ppo' }] };
    const withCpu = validateExperiment({ ...base, backend: 'cpu' });
    expect(withCpu.issues).toEqual([]);
    expect(withCpu.runs!.map((r) => r.config.backend)).toEqual(['cpu', 'cpu', 'cpu', 'cpu']);
    expect(validateExperiment(base).runs!.map((r) => r.config.backend)).toEqual([undefined, undefined, undefined, undefined]);
    const bad = validateExperiment({ ...base, backend: 'gpu' });
    expect(bad.issues[0]!.path).toBe('backend');
  });

  it('one manager runs cpu, auto (wasm here) and tensorflow (falls back to wasm, says why) side by side', async () => {
    const manager = new RunManager({ store, host: new NodeWorkerHost(), concurrency: 2, checkpointDir: (id) => join(t.dir, `ckpt-${id}`) });
    const logs: { runId: number; level: string; message: string }[] = [];
    manager.on('log', (e) => logs.push(e));
    const cpu = store.runs.insert(toyRun('cpu'));
    const auto = store.runs.insert(toyRun(undefined));
    const tf = store.runs.insert(toyRun('tensorflow'));
    try {
      manager.enqueue([cpu, auto, tf]);
      await manager.waitIdle();
    } finally {
      await manager.shutdown('kill');
    }
    for (const id of [cpu, auto, tf]) expect(store.runs.get(id)!.status).toBe('completed');

    const rCpu = store.runs.get(cpu)!;
    expect(rCpu.backend).toBe('cpu');
    expect(rCpu.versions!.backendRequested).toBe('cpu');
    expect(rCpu.versions!.backendFallback).toBeUndefined();

    const rAuto = store.runs.get(auto)!;
    expect(rAuto.backend).toBe('wasm');
    expect(rAuto.versions!.backendRequested).toBe('auto');
    expect(rAuto.versions!.backendFallback).toBeUndefined();
    // no stored measurement of webgpu here (LAB_WEBGPU_SPEED points nowhere): auto says so
    expect(store.logs.tail(auto).map((l) => l.message).join('\n')).toMatch(/webgpu: not picked by auto: no stored measurement of webgpu here/);

    const rTf = store.runs.get(tf)!;
    expect(rTf.config.backend).toBe('tensorflow'); // the request stays in the stored config
    expect(rTf.backend).toBe('wasm');
    expect(rTf.versions!.backendRequested).toBe('tensorflow');
    expect(rTf.versions!.backendFallback).toMatch(/tfjs-node is not installed/);
    const warn = store.logs.tail(tf, 50).find((l) => l.level === 'warn');
    expect(warn?.message).toMatch(/backend tensorflow was requested but could not start \(.*tfjs-node is not installed.*\); this run uses wasm instead/);
    expect(logs.some((l) => l.runId === tf && l.level === 'warn')).toBe(true);
    expect(logs.some((l) => l.runId !== tf && l.level === 'warn' && /backend/.test(l.message))).toBe(false);

    // what the Runs view gets
    expect(toRunRow(rTf)).toMatchObject({ backend: 'wasm', backendRequested: 'tensorflow', backendFallback: expect.stringMatching(/tfjs-node/) });
    expect(toRunRow(rCpu)).toMatchObject({ backend: 'cpu', backendRequested: 'cpu', backendFallback: null });
  });

  it("a manager-wide backend (lab experiment run --backend) overrides each run's", async () => {
    // the fake worker (tests/main/runs/fixtures) reports no request of its own: the manager records what it sent
    const entry = new URL('./fixtures/fake-worker.ts', import.meta.url).pathname;
    const run = async (forced: string | undefined, asked: RunConfig['backend']) => {
      const manager = new RunManager({ store, host: new NodeWorkerHost({ entry }), concurrency: 1, ...(forced ? { backend: forced } : {}), checkpointDir: (id) => join(t.dir, `ckpt-${id}`) });
      const id = store.runs.insert({ ...toyRun(asked), totalSteps: 20, evalInterval: 20 });
      try {
        manager.enqueue([id]);
        await manager.waitIdle();
      } finally {
        await manager.shutdown('kill');
      }
      expect(store.runs.get(id)!.status).toBe('completed');
      return store.runs.get(id)!.versions!.backendRequested;
    };
    expect(await run('cpu', 'wasm')).toBe('cpu');
    expect(await run(undefined, 'wasm')).toBe('wasm');
    expect(await run(undefined, undefined)).toBe('auto');
  });

  it('a run continued on another backend than its earlier part records both and warns', async () => {
    const entry = new URL('./fixtures/fake-worker.ts', import.meta.url).pathname; // its backend is 'fake'
    const manager = new RunManager({ store, host: new NodeWorkerHost({ entry }), concurrency: 1, checkpointDir: (id) => join(t.dir, `ckpt-${id}`) });
    const id = store.runs.insert({ ...toyRun(), totalSteps: 20, evalInterval: 20 });
    store.runs.setReady(id, 'wasm', { backendRequested: 'auto' }); // as an earlier worker of this run left it
    try {
      manager.enqueue([id]);
      await manager.waitIdle();
    } finally {
      await manager.shutdown('kill');
    }
    const r = store.runs.get(id)!;
    expect(r.backend).toBe('fake');
    expect(r.versions!.backendEarlier).toBe('wasm');
    expect(toRunRow(r)).toMatchObject({ backend: 'fake', backendRequested: 'auto', backendFallback: null, backendEarlier: 'wasm' });
    expect(store.logs.tail(id, 50).filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      'this run continues on fake from step 0; its steps before ran on wasm (metrics mix two backends)',
    ]);
  });

  it('a run asking for webgpu: without an adapter it falls back and records why; with one (SwiftShader) it trains on it and logs the kernel fallbacks', async () => {
    const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json';
    const runWith = async (icd: string) => {
      const saved = process.env.VK_ICD_FILENAMES;
      process.env.VK_ICD_FILENAMES = icd; // the forked worker inherits it
      const manager = new RunManager({ store, host: new NodeWorkerHost(), concurrency: 1, checkpointDir: (id) => join(t.dir, `ckpt-${id}`) });
      // 4 updates: SwiftShader takes seconds per update
      const config = { ...resolveRunConfig({ env: 'toy', algo: 'sac', preset: 'quick', seed: 1, overrides: { ...TINY, totalSteps: 44, evalInterval: 44 } }), backend: 'webgpu' as const };
      const id = store.runs.insert(config);
      try {
        manager.enqueue([id]);
        await manager.waitIdle();
      } finally {
        await manager.shutdown('kill');
        if (saved === undefined) delete process.env.VK_ICD_FILENAMES;
        else process.env.VK_ICD_FILENAMES = saved;
      }
      const r = store.runs.get(id)!;
      expect(r.status, store.logs.tail(id).map((l) => l.message).join('\n')).toBe('completed');
      expect(r.versions!.backendRequested).toBe('webgpu');
      expect(store.metrics.keys(id).length).toBeGreaterThan(0); // trained and stored
      return { r, log: store.logs.tail(id).map((l) => l.message) };
    };
    const none = await runWith('/nonexistent/no_icd.json');
    expect(none.r.backend).toBe('wasm');
    expect(none.r.versions!.backendFallback).toMatch(/^no WebGPU adapter: Dawn found no usable GPU driver/);
    if (existsSync(swiftshader)) {
      const gpu = await runWith(swiftshader);
      expect(gpu.r.backend).toBe('webgpu');
      expect(gpu.r.versions!.backendFallback).toBeUndefined();
      expect(gpu.r.versions!.adapterSoftware).toBe('true');
      expect(gpu.log.some((m) => /^backend webgpu, fallback: seed-batched weights, Adam and temperature on the host .* kept on the device/.test(m))).toBe(true);
    }
  }, 600_000);

  it('a WebGPU device lost mid-run: the run stops with the reason in its record, keeps what it stored, and resumes on wasm to the end', async () => {
    const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json';
    if (!existsSync(swiftshader)) return; // no software adapter here: the no-adapter fallback above is what can be tested
    const saved = process.env.VK_ICD_FILENAMES;
    process.env.VK_ICD_FILENAMES = swiftshader; // the forked workers inherit it
    const entry = new URL('./fixtures/lose-gpu-worker.ts', import.meta.url).pathname; // destroys the device after the first checkpoint
    const config = { ...resolveRunConfig({ env: 'toy', algo: 'sac', preset: 'quick', seed: 1, overrides: { ...TINY, totalSteps: 60, evalInterval: 20, warmupSteps: 16 } }), backend: 'webgpu' as const };
    const id = store.runs.insert(config);
    const runOnce = async (backend?: string) => {
      const manager = new RunManager({ store, host: new NodeWorkerHost({ entry }), concurrency: 1, ...(backend ? { backend } : {}), checkpointDir: (i) => join(t.dir, `ckpt-${i}`) });
      try {
        manager.enqueue([id]);
        await manager.waitIdle();
      } finally {
        await manager.shutdown('kill');
      }
    };
    try {
      await runOnce();
      const lost = store.runs.get(id)!;
      expect(lost.backend).toBe('webgpu');
      expect(['interrupted', 'failed']).toContain(lost.status);
      expect(lost.reason).toMatch(/^the worker exited unexpectedly \(exit code 1\): WebGPU device lost \(destroyed\): /);
      const ckpt = store.checkpoints.latest(id)!;
      expect(ckpt.step).toBe(20); // the checkpoint written before the loss is kept
      expect(existsSync(ckpt.file)).toBe(true);
      const storedSteps = store.metrics.keys(id).length;
      expect(storedSteps).toBeGreaterThan(0);

      await runOnce('wasm'); // the same worker entry: nothing to destroy on wasm
      const done = store.runs.get(id)!;
      expect(done.status, store.logs.tail(id).map((l) => l.message).join('\n')).toBe('completed');
      expect(done.backend).toBe('wasm');
      expect(done.versions!.backendEarlier).toBe('webgpu');
      expect(done.globalStep).toBe(60);
      expect(store.logs.tail(id, 200).map((l) => l.message)).toContain('this run continues on wasm from step 20; its steps before ran on webgpu (metrics mix two backends)');
    } finally {
      if (saved === undefined) delete process.env.VK_ICD_FILENAMES;
      else process.env.VK_ICD_FILENAMES = saved;
    }
  }, 600_000);

  it('auto never trains on a software adapter, even where a stored measurement says webgpu is faster for the run', async () => {
    const { adapter } = await probeWebgpu();
    if (!adapter) return; // no adapter at all: the no-measurement case above covers auto
    // a measurement that claims this very adapter is hardware and 100x faster for the run's shape
    const entry = { algo: 'sac', hidden: TINY.hidden, K: 1, webgpuMs: 0.1, cpuBackend: 'wasm', cpuMs: 10 };
    writeFileSync(process.env.LAB_WEBGPU_SPEED!, JSON.stringify({ format: SPEED_FORMAT, version: 1, adapter: { ...adapter, software: false }, measuredAt: 'test', entries: [entry] }));
    const manager = new RunManager({ store, host: new NodeWorkerHost(), concurrency: 1, checkpointDir: (id) => join(t.dir, `ckpt-${id}`) });
    const id = store.runs.insert(toyRun(undefined));
    try {
      manager.enqueue([id]);
      await manager.waitIdle();
    } finally {
      await manager.shutdown('kill');
    }
    const r = store.runs.get(id)!;
    expect(r.status).toBe('completed');
    if (adapter.software) {
      expect(r.backend).toBe('wasm');
      expect(store.logs.tail(id).map((l) => l.message).join('\n')).toMatch(/webgpu: not picked by auto: .* is a software adapter \(used only when asked for by name\)/);
    } else {
      // a real GPU: the measurement is believed (it is this adapter's), so auto picks it and says why
      expect(r.backend).toBe('webgpu');
      expect(r.versions!.webgpuAuto).toMatch(/^picked by auto: measured faster here/);
    }
  }, 300_000);
});
