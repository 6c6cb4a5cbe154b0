// Shared helper of the learning tests: train one run in-process on the wasm backend and return
// the final deterministic evaluation's mean return (and every evaluation point on the way).
import { initBackend } from '../../src-main/engine/backend.ts';
import { ensurePhysicsFor } from '../../src-main/engine/mujoco.ts';
import { createTrainer, resolveRunConfig, type MetricPoint } from '../../src-core/train/index.ts';

export async function finalReturn(env: string, algo: string, seed: number, overrides: Record<string, unknown> = {}): Promise<{ final: number; curve: [number, number][] }> {
  await initBackend('wasm');
  await ensurePhysicsFor(env); // hopper, opencat: MuJoCo
  const cfg = resolveRunConfig({ env, algo, preset: 'quick', seed, overrides });
  const points: MetricPoint[] = [];
  const trainer = createTrainer(cfg, { onMetrics: (b) => points.push(...b.filter((p) => p.key === 'eval/deterministic/return_mean')) });
  await trainer.run();
  trainer.dispose();
  const curve = points.map((p) => [p.step, p.value] as [number, number]);
  return { final: curve[curve.length - 1]![1], curve };
}

export function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}
