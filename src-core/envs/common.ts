// Helpers shared by every environment: parameter resolution (defaults + checked overrides),
// explicit initial-state checks, and the angle-wrapping formulas the reference code uses.
import type { ParamSpec } from './types.ts';

/** Defaults merged with overrides; an unknown name, a non-number or an out-of-range value throws. */
export function resolveParams(
  envId: string,
  specs: readonly ParamSpec[],
  overrides: Readonly<Record<string, number>> = {},
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of specs) out[p.name] = p.default;
  for (const [name, value] of Object.entries(overrides)) {
    const p = specs.find((s) => s.name === name);
    if (!p) {
      const known = specs.map((s) => s.name).join(', ') || 'none';
      throw new Error(`${envId}: unknown parameter '${name}' (known: ${known})`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new Error(`${envId}: parameter '${name}' must be a finite number, got ${String(value)}`);
    }
    if (value < p.min || value > p.max) {
      const unit = p.unit ? ` ${p.unit}` : '';
      throw new Error(`${envId}: parameter '${name}' = ${value} is outside [${p.min}, ${p.max}]${unit}`);
    }
    if (p.integer && !Number.isInteger(value)) {
      throw new Error(`${envId}: parameter '${name}' must be an integer, got ${value}`);
    }
    out[name] = value;
  }
  return out;
}

/** Checks the variant name against the known ones; returns it (or the default when undefined). */
export function resolveVariant(envId: string, known: readonly string[], variant: string | undefined): string {
  const v = variant ?? known[0]!;
  if (!known.includes(v)) throw new Error(`${envId}: unknown variant '${v}' (known: ${known.join(', ')})`);
  return v;
}

/** An explicit initial state must have exactly one finite value per state component. */
export function checkInitialState(envId: string, names: readonly string[], state: ArrayLike<number>): void {
  if (state.length !== names.length) {
    throw new Error(
      `${envId}: initial state has ${state.length} values, expected ${names.length} [${names.join(', ')}]`,
    );
  }
  for (let i = 0; i < names.length; i++) {
    const v = state[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new Error(`${envId}: initial state component '${names[i]}' must be a finite number, got ${String(v)}`);
    }
  }
}

/** An action must have exactly `dim` entries. */
export function checkActionLength(envId: string, dim: number, action: ArrayLike<number>): void {
  if (action.length !== dim) throw new Error(`${envId}: action has ${action.length} values, expected ${dim}`);
}

/** Python's ((x + pi) % (2 pi)) - pi with floor modulo (Gymnasium's angle_normalize): result in [-pi, pi). */
export function angleNormalize(x: number): number {
  const twoPi = 2 * Math.PI;
  const y = x + Math.PI;
  let r = y % twoPi;
  if (r !== 0 && r < 0) r += twoPi;
  return r - Math.PI;
}

/** The reference's iterative wrap (rlpy): subtract or add (M - m) until m <= x <= M. */
export function wrapLoop(x: number, m: number, M: number): number {
  if (!Number.isFinite(x)) return x; // the reference would loop forever on +-Infinity
  const diff = M - m;
  while (x > M) x -= diff;
  while (x < m) x += diff;
  return x;
}

export function clip(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Copy of an observation buffer (reset results are fresh arrays; step results are reused). */
export function copyObs(obs: Float64Array): Float64Array {
  return obs.slice();
}
