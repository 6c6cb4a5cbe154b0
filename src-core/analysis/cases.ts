// Ready-made states from the paper's analysis (spec/paper.md, "Analysis the paper uses"): the toy's
// s0 (the branch decision) and s1 (the precise band), and the vehicle at its start with the yaw
// rate set to -1 (already turning too fast). Each is a full environment state, as reset takes it.
import { makeEnv } from '../envs/registry.ts';
import { Rng } from '../rng.ts';

export const LANDSCAPE_CASES = {
  'toy-s0': { envId: 'toy', label: 'toy s0 (left: the precise branch, right: the safe branch)' },
  'toy-s1': { envId: 'toy', label: 'toy s1 (+1 inside |a| < 0.1, -20 outside)' },
  'vehicle-start': { envId: 'vehicle', label: 'vehicle at the start, yaw rate omega = -1' },
} as const;
export type LandscapeCase = keyof typeof LANDSCAPE_CASES;
export const LANDSCAPE_CASE_IDS = Object.keys(LANDSCAPE_CASES) as LandscapeCase[];

/** The full state of a case for an environment variant; throws when the case does not fit it. */
export function caseState(id: LandscapeCase, envId: string, variant: string, params: Record<string, number>): number[] {
  const c = LANDSCAPE_CASES[id];
  if (c.envId !== envId) throw new Error(`case '${id}' is a state of '${c.envId}', the run is on '${envId}'`);
  if (id === 'toy-s0') return [0];
  if (id === 'toy-s1') return [1];
  const env = makeEnv(envId, variant, params);
  env.reset(new Rng(0, 0));
  const state = Array.from(env.getState());
  const omega = env.stateNames.indexOf('omega');
  if (omega < 0) throw new Error(`case '${id}' sets the yaw rate omega, which the '${variant}' vehicle has no state for`);
  state[omega] = -1;
  return state;
}
