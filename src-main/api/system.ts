// Handlers of the system methods: what the status line shows, and the speed measured here.
import type { Handlers } from '../../src-core/contract/define.ts';
import type { systemMethods } from '../../src-core/contract/methods/system.ts';
import type { Services } from './services.ts';
import { probeWebgpu } from './webgpu-probe.ts';

export function systemHandlers(s: Services): Handlers<typeof systemMethods> {
  return {
    'system.status': async () => ({
      appVersion: s.appVersion,
      host: s.host,
      backend: { ...s.backend, webgpu: await probeWebgpu() },
      dbPath: s.dbPath,
      runs: s.runsStatus(),
    }),
    'system.speed': ({ envId, algo }) => s.measuredSpeed(envId, algo),
  };
}
