// Handlers of the metrics methods. Wired to the run store (src-main/store) and run manager
// (src-main/runs) as they land; until then every call answers 'unavailable'.
import { ApiFailure, type Handlers } from '../../src-core/contract/define.ts';
import { metricMethods } from '../../src-core/contract/methods/metrics.ts';
import type { Services } from './services.ts';

export function metricHandlers(_s: Services): Handlers<typeof metricMethods> {
  const out: Record<string, () => never> = {};
  for (const name of Object.keys(metricMethods)) {
    out[name] = () => {
      throw new ApiFailure('unavailable', `${name}: the run store is not wired yet`);
    };
  }
  return out as unknown as Handlers<typeof metricMethods>;
}
