// Handlers of the experiments methods. Wired to the run store (src-main/store) and run manager
// (src-main/runs) as they land; until then every call answers 'unavailable'.
import { ApiFailure, type Handlers } from '../../src-core/contract/define.ts';
import { experimentMethods } from '../../src-core/contract/methods/experiments.ts';
import type { Services } from './services.ts';

export function experimentHandlers(_s: Services): Handlers<typeof experimentMethods> {
  const out: Record<string, () => never> = {};
  for (const name of Object.keys(experimentMethods)) {
    out[name] = () => {
      throw new ApiFailure('unavailable', `${name}: the run store is not wired yet`);
    };
  }
  return out as unknown as Handlers<typeof experimentMethods>;
}
