// An episode's critical-state scores as a table (issue 15): the CSV the app's "as CSV" and
// `lab critical --csv` write (per step: plain-Q peakedness, soft/plain cosine, critical, and beside
// them AdaEnt's switch, the recorded reward and one-sample entropy), and the summary that
// docs/findings.md's state-by-state table reads: how often the actor would follow the plain critics
// along the episode, and the recorded entropy there against the other steps.
import type { CriticalResult } from '../contract/methods/analysis.ts';

/** The episode's recorded per-step reward and one-sample -log pi (null where not recorded). */
export interface EpisodeSteps {
  rewards: readonly (number | null)[];
  entropies?: readonly (number | null)[] | undefined;
}

/** True where the cosine is below AdaEnt's threshold (the actor follows the plain critics), null where not computable. */
export function switchAt(c: CriticalResult, t: number): boolean | null {
  const cos = c.cosine[t] ?? null;
  return cos === null || c.threshold === null ? null : cos < c.threshold;
}

/**
 * Per-step scores as CSV with the definition and the networks in '#' lines; with the episode's own
 * per-step reward and recorded policy entropy beside them, and AdaEnt's switch, so the two can be
 * read together (e.g. the entropy where the actor would follow the plain critics against elsewhere).
 */
export function criticalCsv(c: CriticalResult, episode: string, steps?: EpisodeSteps): string {
  const cell = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));
  const lines = [`# MaxEnt Lab critical states along ${episode}`, `# ${c.title}`, `# ${c.definition}`, ...c.missing.map((m) => `# missing: ${m}`)];
  if (steps) lines.push(`# reward and policy_entropy: the episode's recorded reward and one-sample -log pi at step t; adaent_switch: 1 where the cosine is below ${c.threshold ?? 'the threshold'} (the actor would follow the plain critics there)`);
  lines.push(`step,plain_q_peakedness,soft_plain_cosine,critical${steps ? ',adaent_switch,reward,policy_entropy' : ''}`);
  c.peakedness.forEach((p, t) => {
    const sw = switchAt(c, t);
    const extra = steps ? `,${sw === null ? '' : sw ? 1 : 0},${cell(steps.rewards[t])},${cell(steps.entropies?.[t])}` : '';
    lines.push(`${t},${p ?? ''},${c.cosine[t] ?? ''},${c.critical[t] ? 1 : 0}${extra}`);
  });
  return lines.join('\n') + '\n';
}

export interface CriticalSummary {
  steps: number;
  critical: number;
  /** Steps with a cosine, and of them those below the threshold. */
  scored: number;
  switched: number;
  /** switched / scored; null where nothing was scored. */
  switchShare: number | null;
  /** Mean recorded entropy over the scored steps that recorded one, where it switches and elsewhere, and over every step that recorded one. */
  entropySwitched: number | null;
  entropyElsewhere: number | null;
  entropyEpisode: number | null;
}

const meanOf = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

export function criticalSummary(c: CriticalResult, entropies?: readonly (number | null)[]): CriticalSummary {
  const switched: number[] = [];
  const elsewhere: number[] = [];
  let scored = 0;
  let nSwitched = 0;
  c.cosine.forEach((_, t) => {
    const sw = switchAt(c, t);
    if (sw === null) return;
    scored++;
    if (sw) nSwitched++;
    const e = entropies?.[t];
    if (finite(e)) (sw ? switched : elsewhere).push(e);
  });
  return {
    steps: c.cosine.length,
    critical: c.critical.filter(Boolean).length,
    scored,
    switched: nSwitched,
    switchShare: scored === 0 ? null : nSwitched / scored,
    entropySwitched: meanOf(switched),
    entropyElsewhere: meanOf(elsewhere),
    entropyEpisode: entropies ? meanOf(entropies.filter(finite)) : null,
  };
}
