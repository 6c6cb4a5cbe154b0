// The whole app contract: every method (by domain) and every event. Add a domain by creating
// ./methods/<domain>.ts exporting a record of defineMethod(...) and spreading it here (one line).
import type { ArgsOf, MethodDef, ResultOf } from './define.ts';
import { envMethods } from './methods/envs.ts';
import { experimentMethods } from './methods/experiments.ts';
import { metricMethods } from './methods/metrics.ts';
import { runMethods } from './methods/runs.ts';
import { sceneMethods } from './methods/scenes.ts';
import { systemMethods } from './methods/system.ts';
import { compareMethods } from './methods/compare.ts';
import { analysisMethods } from './methods/analysis.ts';
import { paperMethods } from './methods/paper.ts';

export const METHODS = {
  ...systemMethods,
  ...envMethods,
  ...experimentMethods,
  ...runMethods,
  ...metricMethods,
  ...sceneMethods,
  ...compareMethods,
  ...analysisMethods,
  ...paperMethods,
};

export { EVENTS } from './events.ts';
export type { EventName, Events } from './events.ts';

export type Methods = typeof METHODS;
export type MethodName = keyof Methods;
export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];

export type Args<K extends MethodName> = ArgsOf<Methods[K]>;
export type Value<K extends MethodName> = ResultOf<Methods[K]>;

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(METHODS, name);
}

/** Keeps `METHODS` honest: every entry is a MethodDef. */
const _check: Record<string, MethodDef> = METHODS;
void _check;
