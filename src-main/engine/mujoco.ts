// Node side of the physics engine: loads the MuJoCo WebAssembly module (@mujoco/mujoco) once per
// process and hands it to the environment registry, which gives it to the environments that need
// it (hopper, opencat). Used by the training worker, the CLI, main's previews, benches and tests.
import loadMujoco from '@mujoco/mujoco';
import { getEnvSpec, providePhysics } from '../../src-core/envs/registry.ts';
import type { MujocoModule, Physics } from '../../src-core/envs/mujoco/physics.ts';

let loading: Promise<Physics> | null = null;

/** Loads MuJoCo (first call, about half a second) and provides it to the registry; later calls share it. */
export function loadPhysics(): Promise<Physics> {
  loading ??= loadMujoco().then(
    (mujoco) => {
      const physics: Physics = { mujoco: mujoco as unknown as MujocoModule };
      providePhysics(physics);
      return physics;
    },
    (err: unknown) => {
      loading = null;
      throw new Error(`could not load MuJoCo WebAssembly (@mujoco/mujoco): ${(err as Error).message ?? String(err)}`);
    },
  );
  return loading;
}

/**
 * Loads the engine when environment `envId` needs one; says whether it does. Unknown ids are left
 * to the registry's own error.
 */
export async function ensurePhysicsFor(envId: string): Promise<boolean> {
  let needs: string | undefined;
  try {
    needs = getEnvSpec(envId).physics;
  } catch {
    return false;
  }
  if (needs !== 'mujoco') return false;
  await loadPhysics();
  return true;
}

/** MuJoCo's version, for the versions recorded with a run ('' before the engine is loaded). */
export async function physicsVersion(): Promise<string> {
  if (!loading) return '';
  return (await loading).mujoco.mj_versionString();
}
