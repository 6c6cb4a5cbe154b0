// Shared helper of the learning tests: train one run (or several seeds as one seed group)
// in-process on the wasm backend and return the final deterministic evaluation's mean return (and
// every evaluation point on the way), and the report's verdict on one claim of the paper's table
// from such runs.
import { initBackend } from '../../src-main/engine/backend.ts';
import { ensurePhysicsFor } from '../../src-main/engine/mujoco.ts';
import { REPORT_BOOTSTRAP } from '../../src-main/evidence/report.ts';
import { finalTable } from '../../src-core/stats/final-table.ts';
import { decideVerdict, type PaperClaim, type VerdictResult } from '../../src-core/stats/paper-claims.ts';
import { createGroupTrainer, createTrainer, resolveRunConfig, type MetricPoint } from '../../src-core/train/index.ts';

export async function finalReturn(env: string, algo: string, seed: number, overrides: Record<string, unknown> = {}, variant?: string): Promise<{ final: number; curve: [number, number][] }> {
  await initBackend('wasm');
  await ensurePhysicsFor(env); // hopper, opencat: MuJoCo
  const cfg = resolveRunConfig({ env, algo, preset: 'quick', seed, overrides, ...(variant ? { variant } : {}) });
  const points: MetricPoint[] = [];
  const trainer = createTrainer(cfg, { onMetrics: (b) => points.push(...b.filter((p) => p.key === 'eval/deterministic/return_mean')) });
  await trainer.run();
  trainer.dispose();
  const curve = points.map((p) => [p.step, p.value] as [number, number]);
  return { final: curve[curve.length - 1]![1], curve };
}

/**
 * finalReturn for several seeds trained as one seed group (src-core/train/group_trainer.ts): each
 * seed's run is the same as trained alone (tests/core/train/group_equivalence.test.ts), and the
 * batched update of the SAC family and TD3 costs less per seed. Results in the order of `seeds`.
 */
export async function finalReturns(env: string, algo: string, seeds: readonly number[], overrides: Record<string, unknown> = {}, variant?: string): Promise<{ final: number; curve: [number, number][] }[]> {
  await initBackend('wasm');
  await ensurePhysicsFor(env);
  const configs = seeds.map((seed) => resolveRunConfig({ env, algo, preset: 'quick', seed, overrides, ...(variant ? { variant } : {}) }));
  const points: MetricPoint[][] = seeds.map(() => []);
  const group = createGroupTrainer(
    configs,
    points.map((p, k) => ({
      onMetrics: (b: MetricPoint[]) => {
        const evals = b.filter((x) => x.key === 'eval/deterministic/return_mean');
        p.push(...evals);
        // progress of the hour-long groups, outside vitest's buffered console
        for (const e of evals) process.stderr.write(`${env} ${algo} seed ${seeds[k]}: deterministic evaluation return ${e.value.toFixed(1)} at step ${e.step}\n`);
      },
    })),
  );
  await group.run();
  group.dispose();
  return points.map((p) => {
    const curve = p.map((x) => [x.step, x.value] as [number, number]);
    return { final: curve[curve.length - 1]![1], curve };
  });
}

export function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

export interface ClaimOutcome extends VerdictResult {
  /** Final deterministic returns per algorithm, in seed order. */
  finals: Record<string, number[]>;
  curves: Record<string, [number, number][][]>;
}

/**
 * One claim of the paper's table measured as `lab report` decides it: both algorithms trained on
 * the claim's task with the quick presets unchanged (`overrides` only for smoke runs of this path),
 * one final deterministic return per seed, P(x > y) with the report's bootstrap, then the rule.
 */
export async function claimOutcome(claim: PaperClaim, seeds: readonly number[], overrides: Record<string, unknown> = {}): Promise<ClaimOutcome> {
  const [env, variant] = claim.env.split('/') as [string, string | undefined];
  const finals: Record<string, number[]> = {};
  const curves: Record<string, [number, number][][]> = {};
  for (const algo of [claim.x, claim.y]) {
    const runs = await finalReturns(env, algo, seeds, overrides, variant);
    finals[algo] = runs.map((r) => r.final);
    curves[algo] = runs.map((r) => r.curve);
  }
  const scores = [claim.x, claim.y].flatMap((algo) => finals[algo]!.map((score, i) => ({ runId: `${algo}-${seeds[i]}`, group: algo, env: claim.env, score })));
  const table = finalTable(scores, 'final deterministic evaluation return', REPORT_BOOTSTRAP);
  const cell = table.improvement[table.groups.indexOf(claim.x)]?.[table.groups.indexOf(claim.y)] ?? null;
  const verdict = decideVerdict(claim, { nx: finals[claim.x]!.length, ny: finals[claim.y]!.length, probability: cell?.probability ?? null });
  return { ...verdict, finals, curves };
}
