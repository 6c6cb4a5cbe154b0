// `lab doctor`: which tensor backend this machine runs, why a faster one is not available,
// the WebGPU adapter (vendor, architecture, software or not) or why there is none,
// versions (tfjs, node, app) and CPU count.
import { availableParallelism, cpus } from 'node:os';
import { initBackend, BACKEND_CHOICES, type BackendName } from '../../engine/backend.ts';
import { probeWebgpu } from '../../engine/webgpu-probe.ts';
import { flagBool, flagString, parseArgs } from '../args.ts';
import { UsageError } from '../errors.ts';

export const summary = 'show the tensor backend in use, why faster ones are unavailable, versions and CPUs';

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { backend: { type: 'string' }, json: { type: 'boolean' } });
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}' (usage: lab doctor [--backend B] [--json])`);
  const backend = flagString(args, 'backend') ?? 'auto';
  if (!BACKEND_CHOICES.includes(backend as BackendName)) throw new UsageError(`--backend: '${backend}' is not one of ${BACKEND_CHOICES.join(', ')}`);
  let info;
  try {
    info = await initBackend(backend as BackendName | 'auto');
  } catch (err) {
    throw new UsageError(`--backend ${backend}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const probe = info.adapter ? { adapter: info.adapter, reason: '' } : await probeWebgpu();
  const report = {
    backend: info.backend,
    unavailable: info.unavailable,
    wasm: info.wasm ?? null,
    webgpu: { adapter: probe.adapter, reason: probe.reason },
    fallbacks: info.fallbacks,
    versions: { tfjs: info.versions.tfjs, node: info.versions.node, app: info.versions.app },
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
  };
  if (flagBool(args, 'json')) {
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    return 0;
  }
  const lines = [`backend      ${report.backend}${report.wasm ? ` (SIMD ${report.wasm.simd ? 'on' : 'off'}, ${report.wasm.threads} thread${report.wasm.threads === 1 ? '' : 's'})` : ''}`];
  for (const [name, why] of Object.entries(report.unavailable)) lines.push(`${name.padEnd(12)} unavailable: ${why}`);
  const a = report.webgpu.adapter;
  lines.push(`adapter      ${a ? `${a.vendor || '?'} / ${a.architecture || '?'}${a.description ? ` (${a.description})` : ''}, ${a.software ? 'software' : 'hardware'}` : `none: ${report.webgpu.reason}`}`);
  for (const f of report.fallbacks) lines.push(`fallback     ${f}`);
  lines.push(`tfjs         ${report.versions.tfjs}`, `node         ${report.versions.node}`, `app          ${report.versions.app}`, `cpus         ${report.cpus} (${report.cpuModel})`);
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
