// Exports of a run or an experiment as files (csv, sb3, json), through the run store's exporters.
import { ApiFailure } from '../../src-core/contract/define.ts';
import type { Services } from './services.ts';

export function exportFiles(_s: Services, _args: { runId?: number | undefined; experimentId?: number | undefined; format: string }): { name: string; text: string }[] {
  throw new ApiFailure('unavailable', 'exports are wired to the run store exporters when they land');
}
