// The paper's outcome table (../shared/spec/paper.md, "What the experiments should show") as
// claims the lab can test, and the one rule that turns a measured probability of improvement into a
// verdict. The rule was fixed before any campaign result was seen and is the same for every task:
// nothing here is a per-task knob.
//
// Rule (on the final DETERMINISTIC evaluation return, one score per run, P = P(X > Y) with its 95%
// stratified-bootstrap percentile interval [lo, hi] over seeds, as `lab compare` computes it):
// - claim "X better than Y":   reproduced if lo > 0.5; contradicted if hi < 0.5; else not reproduced.
// - claim "X about equal to Y": contradicted if lo > 0.5 or hi < 0.5 (one is clearly better);
//   reproduced if 0.25 <= lo and hi <= 0.75 (no large difference either way, 0.25 / 0.75 being
//   the conventional "large effect" of the probability of improvement); else not reproduced
//   (too few runs to tell).
// - fewer than MIN_RUNS runs of either algorithm, or no interval: not reproduced (too few runs).
import type { Interval } from './bootstrap.ts';

export type Verdict = 'reproduced' | 'not reproduced' | 'contradicted';

/** Runs per algorithm below which no claim is decided (the "3 where the cost forbids 5"). */
export const MIN_RUNS = 3;
/** The "about equal" band of P(X > Y): no large difference either way. */
export const EQUAL_BAND: readonly [number, number] = [0.25, 0.75];
/** The evaluation mode the verdicts are decided on (the other is reported beside it). */
export const VERDICT_MODE = 'deterministic';
/**
 * The sensitivity check beside each verdict, which decides nothing: the same rule with each run's
 * score the mean of its last SENSITIVITY_LAST_EVALS evaluations instead of the last alone. Added
 * after campaign results were seen (runs whose last evaluation alone moved their score: docs/findings.md),
 * so it only shows which verdicts rest on one evaluation; the verdict stays the rule's.
 */
export const SENSITIVITY_LAST_EVALS = 3;

export interface PaperClaim {
  /** Task id as `lab reproduce` names it (e.g. vehicle-dynamic). */
  task: string;
  /** Environment label of the runs (envId, or envId/variant). */
  env: string;
  relation: 'better' | 'equal';
  /** Algorithm ids: the claim is "x better than (or about equal to) y". */
  x: string;
  y: string;
  /** The paper's words for this row (paper.md). */
  paper: string;
}

const better = (task: string, env: string, x: string, y: string, paper: string): PaperClaim => ({ task, env, relation: 'better', x, y, paper });
const equal = (task: string, env: string, x: string, y: string, paper: string): PaperClaim => ({ task, env, relation: 'equal', x, y, paper });

/**
 * One claim per comparison the paper's table makes. "SAC" is SAC with the spec's alpha (algo
 * `sac`); SAC with automatic alpha is reported in the table and the P(PPO > SAC auto) column
 * but decides no verdict. Vehicle (kinematic) and Pendulum have no row in the paper's table.
 */
export const PAPER_CLAIMS: readonly PaperClaim[] = [
  better('toy', 'toy', 'ppo', 'sac', 'PPO reaches +1; SAC (alpha = 1) converges to the -1 branch'),
  better('toy', 'toy', 'sac-adaent', 'sac', 'SAC-AdaEnt recovers +1'),
  better('vehicle-dynamic', 'vehicle/dynamic', 'ppo', 'sac', 'PPO tracks the circle and target; SAC drifts off, much lower return'),
  better('vehicle-dynamic', 'vehicle/dynamic', 'sac-adaent', 'sac', 'SAC-AdaEnt closer to PPO'),
  better('quadrotor-rotors', 'quadrotor/rotors', 'ppo', 'sac', 'PPO tracks x = 1.5 t; SAC drifts or tumbles'),
  better('quadrotor-rotors', 'quadrotor/rotors', 'sac-adaent', 'sac', 'SAC-AdaEnt improves'),
  equal('quadrotor-simplified', 'quadrotor/simplified', 'ppo', 'sac', 'PPO, SAC and SAC-AdaEnt all learn'),
  better('acrobot', 'acrobot', 'ppo', 'sac', 'PPO balances; SAC fails to hold upright'),
  better('acrobot', 'acrobot', 'sac-adaent', 'sac', 'SAC-AdaEnt improves'),
  better('obstacle2d', 'obstacle2d', 'sac', 'ppo', 'SAC reaches the goal (~500); PPO stalls at the wall (~2)'),
  better('hopper', 'hopper', 'sac', 'ppo', 'SAC good; PPO slower'),
  equal('hopper', 'hopper', 'sac-adaent', 'sac', 'SAC-AdaEnt about equal to SAC'),
  better('opencat', 'opencat', 'ppo', 'sac', 'PPO walks; SAC falls or crawls'),
];

/**
 * The paper's summary claim (paper.md, Experiments: "SAC fails where PPO (entropy coefficient 0)
 * succeeds on precision-control tasks"), decided once over the four tasks that sentence names, by
 * the rule above on P(PPO > SAC) averaged over those tasks (each counted once; the interval from the
 * stratified bootstrap, runs resampled within each task; every task needs MIN_RUNS runs of each).
 * Added after the per-task results were seen (docs/findings.md, "The paper's precision-control
 * tasks pooled"); it changes no per-task verdict.
 */
export const POOLED_CLAIM = {
  relation: 'better' as const,
  x: 'ppo',
  y: 'sac',
  envs: ['vehicle/dynamic', 'quadrotor/rotors', 'acrobot', 'opencat'] as readonly string[],
  paper: 'SAC fails where PPO (entropy coefficient 0) succeeds on precision-control tasks: vehicle (dynamic), quadrotor (rotor speeds), OpenCat, acrobot',
};

export interface ClaimEvidence {
  nx: number;
  ny: number;
  /** P(x > y) with its interval; null when either side has no runs. */
  probability: Interval | null;
}

export interface VerdictResult {
  verdict: Verdict;
  /** Why, in words (which side of 0.5 the interval lies, or what is missing). */
  reason: string;
}

const f2 = (v: number) => v.toFixed(2);

/** The claim in words as the report prints it: "ppo better than sac", "ppo about equal to sac". */
export function claimText(claim: Pick<PaperClaim, 'relation' | 'x' | 'y'>): string {
  return `${claim.x} ${claim.relation === 'better' ? 'better than' : 'about equal to'} ${claim.y}`;
}

/** The verdict of one claim from its evidence: the rule in this file's header, nothing else. */
export function decideVerdict(claim: Pick<PaperClaim, 'relation' | 'x' | 'y'>, e: ClaimEvidence): VerdictResult {
  const p = e.probability;
  if (e.nx < MIN_RUNS || e.ny < MIN_RUNS || !p || !Number.isFinite(p.lower) || !Number.isFinite(p.upper)) {
    return { verdict: 'not reproduced', reason: `too few runs to decide (${claim.x}: ${e.nx}, ${claim.y}: ${e.ny}; at least ${MIN_RUNS} each)` };
  }
  const iv = `P(${claim.x} > ${claim.y}) = ${f2(p.point)} [${f2(p.lower)}, ${f2(p.upper)}]`;
  if (claim.relation === 'better') {
    if (p.lower > 0.5) return { verdict: 'reproduced', reason: `${iv} lies above 0.5` };
    if (p.upper < 0.5) return { verdict: 'contradicted', reason: `${iv} lies below 0.5: ${claim.y} is better` };
    return { verdict: 'not reproduced', reason: `${iv} contains 0.5` };
  }
  if (p.lower > 0.5) return { verdict: 'contradicted', reason: `${iv} lies above 0.5: ${claim.x} is better` };
  if (p.upper < 0.5) return { verdict: 'contradicted', reason: `${iv} lies below 0.5: ${claim.y} is better` };
  if (p.lower >= EQUAL_BAND[0] && p.upper <= EQUAL_BAND[1]) return { verdict: 'reproduced', reason: `${iv} lies within [${EQUAL_BAND[0]}, ${EQUAL_BAND[1]}]` };
  return { verdict: 'not reproduced', reason: `${iv} contains 0.5 but reaches beyond [${EQUAL_BAND[0]}, ${EQUAL_BAND[1]}]: too few runs to tell` };
}

/** A verdict's sensitivity check as the report prints it: "same" or the other verdict, with its P(X > Y) and interval where there is one. */
export function sensitivityText(v: { verdict: Verdict; sensitivity: { verdict: Verdict; p: number | null; ci_low: number | null; ci_high: number | null } | null }): string {
  const s = v.sensitivity;
  if (!s) return '-';
  const word = s.verdict === v.verdict ? 'same' : s.verdict;
  const g = (v: number | null) => (v === null ? 'n/a' : f2(v));
  return s.p === null ? word : `${word} (P = ${g(s.p)} [${g(s.ci_low)}, ${g(s.ci_high)}])`;
}

/** The rule, as written under the report's table. */
export const VERDICT_RULE_TEXT = [
  `Verdicts are decided on the final ${VERDICT_MODE} evaluation return (one score per run: the mean over the episodes of its last evaluation), with P(X > Y) and its 95% stratified-bootstrap percentile interval [lo, hi] over seeds, the same computation as \`lab compare\`.`,
  '"X better than Y": reproduced if lo > 0.5; contradicted if hi < 0.5; otherwise not reproduced.',
  `"X about equal to Y": contradicted if lo > 0.5 or hi < 0.5; reproduced if ${EQUAL_BAND[0]} <= lo and hi <= ${EQUAL_BAND[1]}; otherwise not reproduced (too few runs to tell).`,
  `Fewer than ${MIN_RUNS} runs of either algorithm: not reproduced (too few runs). SAC is SAC with the spec's alpha; SAC with automatic alpha is reported but decides no verdict.`,
  'The rule was fixed before any campaign result was seen and is the same for every task (src-core/stats/paper-claims.ts).',
  `The paper's summary claim, "${POOLED_CLAIM.x} better than ${POOLED_CLAIM.y}" on its precision-control tasks (${POOLED_CLAIM.envs.join(', ')}), is decided once more by the same rule on P(X > Y) averaged over those tasks, each needing ${MIN_RUNS} runs of each algorithm (added after the per-task results were seen; it changes no per-task verdict).`,
  `Beside each verdict, a sensitivity check that decides nothing (added after results were seen): the verdict the same rule gives when each run's score is the mean of its last ${SENSITIVITY_LAST_EVALS} ${VERDICT_MODE} evaluations; where it differs, the verdict rests on the runs' last evaluation.`,
].join('\n');
