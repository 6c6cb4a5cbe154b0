// Every handler of the contract, merged: one factory per domain. Add a domain with one line.
import type { Handlers } from '../../src-core/contract/define.ts';
import { METHODS, type Methods } from '../../src-core/contract/api.ts';
import { envHandlers } from './envs.ts';
import { experimentHandlers } from './experiments.ts';
import { createGateway, type Gateway } from './gateway.ts';
import { metricHandlers } from './metrics.ts';
import { runHandlers } from './runs.ts';
import { sceneHandlers } from './scenes.ts';
import type { Services } from './services.ts';
import { systemHandlers } from './system.ts';
import { compareHandlers } from './compare.ts';
import { analysisHandlers } from './analysis.ts';
import { paperHandlers } from './paper.ts';

export function createHandlers(services: Services): Handlers<Methods> {
  return {
    ...systemHandlers(services),
    ...envHandlers(services),
    ...experimentHandlers(services),
    ...runHandlers(services),
    ...metricHandlers(services),
    ...sceneHandlers(services),
    ...compareHandlers(services),
    ...analysisHandlers(services),
    ...paperHandlers(services),
  };
}

/** The gateway over every method, for the IPC bridge and the lab server. */
export function createApiGateway(services: Services): Gateway {
  return createGateway(METHODS, createHandlers(services));
}
