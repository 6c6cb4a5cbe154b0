// Each run's evaluation curve summarised (src-core/stats/eval-summary.ts) from the store, for the
// Runs table (runs.evalSummaries) and `lab runs --summary`. A run is summarised in deterministic
// mode where it has deterministic evaluations, else in stochastic mode, as the table's last
// evaluation return is; runs without evaluations are left out.
import type { EvalSummaryRow } from '../../src-core/contract/methods/runs.ts';
import { evalSummaryLabel, summarizeEvalCurve, type EvalSummarySpec } from '../../src-core/stats/eval-summary.ts';
import type { Store } from '../store/index.ts';

export function evalSummaries(store: Store, spec: EvalSummarySpec, runIds?: readonly number[]): { label: string; rows: EvalSummaryRow[] } {
  const rows: EvalSummaryRow[] = [];
  for (const [runId, curves] of store.evaluations.curves(runIds)) {
    const mode = curves.deterministic.length > 0 ? 'deterministic' : 'stochastic';
    const s = summarizeEvalCurve(curves[mode], spec);
    if (s) rows.push({ runId, mode, value: Number.isFinite(s.value) ? s.value : null, fromStep: s.fromStep, toStep: s.toStep, evaluations: s.evaluations });
  }
  return { label: evalSummaryLabel(spec), rows };
}
