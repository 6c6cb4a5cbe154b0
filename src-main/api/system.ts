// Handlers of the system methods: what the status line shows, and the speed measured here.
import type { Handlers } from '../../src-core/contract/define.ts';
import type { systemMethods } from '../../src-core/contract/methods/system.ts';
import type { Services } from './services.ts';
import { adapterName, probeWebgpu } from '../engine/webgpu-probe.ts';

/** The WebGPU adapter as the status line shows it. */
async function gpuLine(): Promise<{ adapter: string | null; software: boolean; reason: string }> {
  const { adapter, reason } = await probeWebgpu();
  return adapter ? { adapter: adapterName(adapter), software: adapter.software, reason: '' } : { adapter: null, software: false, reason };
}

export function systemHandlers(s: Services): Handlers<typeof systemMethods> {
  return {
    'system.status': async () => ({
      appVersion: s.appVersion,
      host: s.host,
      backend: { ...s.backend, webgpu: await gpuLine() },
      dbPath: s.dbPath,
      runs: s.runsStatus(),
    }),
    'system.speed': ({ envId, algo }) => s.measuredSpeed(envId, algo),
  };
}
