// Transition function of the toy bifurcation as a pure function (spec/environments.md, "Toy").
// s0: a > 0 -> s2, else -> s1 (reward 0). s1: -w < a < w -> s3 (+1) else s4 (-20). s2: -> s5 (-1).
// s3, s4, s5 are terminal; the project treats them as absorbing with reward 0.

export interface ToyRewards {
  bandHalfWidth: number;
  rewardGood: number;
  rewardFail: number;
  rewardSafe: number;
}

/** Next state index for state `s` and scalar action `a` (never clipped). */
export function toyNextState(s: number, a: number, band: number): number {
  switch (s) {
    case 0:
      return a > 0 ? 2 : 1;
    case 1:
      return -band < a && a < band ? 3 : 4;
    case 2:
      return 5;
    default:
      return s; // terminal states are absorbing
  }
}

/** Reward for arriving in `next` from `s` (0 unless a terminal state is entered). */
export function toyReward(s: number, next: number, p: ToyRewards): number {
  if (s >= 3) return 0;
  if (next === 3) return p.rewardGood;
  if (next === 4) return p.rewardFail;
  if (next === 5) return p.rewardSafe;
  return 0;
}

export function toyIsTerminal(s: number): boolean {
  return s >= 3;
}
