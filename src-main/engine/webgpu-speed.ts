// When `auto` trains on webgpu (issue 14): only on a hardware adapter, and only where a stored
// measurement of this adapter shows webgpu faster than the CPU backend for the run's algorithm,
// hidden sizes and seed batch. The measurement is written by `npm run bench -- webgpu --record`
// (bench/webgpu.ts) to one file per user and machine: $LAB_WEBGPU_SPEED, else webgpu-speed.json
// beside the default database (store/location.ts). A software adapter is never picked by auto.
// Matching: the same algorithm and hidden sizes; of the measured seed batches, the largest one not
// above the run's K (per-seed GPU time falls as K grows, so a K measured faster stays faster above
// it; a run below every measured K gets no entry). No file, a corrupt file, another adapter, no
// entry or a slower entry: auto keeps the CPU backend, and the reason says which.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AdapterDescription } from '../../src-core/nn/backend.ts';
import { defaultDbPath } from '../store/location.ts';
import { adapterName } from './webgpu-probe.ts';

export const SPEED_FORMAT = 'maxent-lab-webgpu-speed';

/** One measured configuration: median per-seed ms of one update on webgpu and on the CPU backend. */
export interface SpeedEntry {
  algo: string;
  hidden: number[];
  K: number;
  webgpuMs: number;
  cpuBackend: string;
  cpuMs: number;
}

export interface SpeedFile {
  format: typeof SPEED_FORMAT;
  version: 1;
  adapter: AdapterDescription;
  measuredAt: string;
  entries: SpeedEntry[];
}

/** What a run is, for this choice: its algorithm, hidden sizes and seed batch. */
export interface RunShape {
  algo: string;
  hidden: number[];
  K: number;
}

export function speedFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.LAB_WEBGPU_SPEED || join(dirname(defaultDbPath(env)), 'webgpu-speed.json');
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** The stored measurement (null when there is none); a malformed file throws saying what is wrong. */
export function readSpeedFile(path: string): SpeedFile | null {
  if (!existsSync(path)) return null;
  let f: Partial<SpeedFile>;
  try {
    f = JSON.parse(readFileSync(path, 'utf8')) as Partial<SpeedFile>;
  } catch (err) {
    throw new Error(`${path}: not JSON (${(err as Error).message})`);
  }
  if (f.format !== SPEED_FORMAT || f.version !== 1) throw new Error(`${path}: not a ${SPEED_FORMAT} file of version 1`);
  const a = f.adapter;
  if (!a || typeof a.vendor !== 'string' || typeof a.architecture !== 'string' || typeof a.description !== 'string' || typeof a.software !== 'boolean') {
    throw new Error(`${path}: 'adapter' must have vendor, architecture, description and software`);
  }
  if (!Array.isArray(f.entries)) throw new Error(`${path}: 'entries' must be a list`);
  f.entries.forEach((e, i) => {
    const ok = e && typeof e.algo === 'string' && Array.isArray(e.hidden) && e.hidden.every(isNum) && isNum(e.K) && isNum(e.webgpuMs) && isNum(e.cpuMs) && typeof e.cpuBackend === 'string';
    if (!ok) throw new Error(`${path}: entries[${i}] must have algo, hidden, K, webgpuMs, cpuBackend and cpuMs`);
  });
  return f as SpeedFile;
}

const sameAdapter = (a: AdapterDescription, b: AdapterDescription) => a.vendor === b.vendor && a.architecture === b.architecture && a.description === b.description;

/** Whether auto should train this run on webgpu, and why (not). */
export function webgpuAutoChoice(file: SpeedFile | null, adapter: AdapterDescription | null, run: RunShape): { use: boolean; reason: string } {
  const bench = 'npm run bench -- webgpu --record';
  if (!file) return { use: false, reason: `not picked by auto: no stored measurement of webgpu here (${bench}); ask for webgpu by name` };
  if (!adapter) return { use: false, reason: 'not picked by auto: no WebGPU adapter here' };
  if (adapter.software) return { use: false, reason: `not picked by auto: ${adapterName(adapter)} is a software adapter (used only when asked for by name)` };
  if (!sameAdapter(adapter, file.adapter)) return { use: false, reason: `not picked by auto: the stored measurement is of ${adapterName(file.adapter)}, not of ${adapterName(adapter)} (${bench})` };
  const key = `${run.algo} ${run.hidden.join('x')}`;
  const fits = file.entries.filter((e) => e.algo === run.algo && e.hidden.join('x') === run.hidden.join('x') && e.K <= run.K);
  if (fits.length === 0) return { use: false, reason: `not picked by auto: no stored measurement for ${key} at K <= ${run.K}` };
  const e = fits.reduce((a, b) => (b.K > a.K ? b : a));
  const measured = `${key}, K = ${e.K}: webgpu ${e.webgpuMs.toFixed(2)} ms, ${e.cpuBackend} ${e.cpuMs.toFixed(2)} ms per seed-update (${file.measuredAt})`;
  if (e.webgpuMs >= e.cpuMs) return { use: false, reason: `not picked by auto: measured slower here (${measured})` };
  return { use: true, reason: `picked by auto: measured faster here (${measured})` };
}
