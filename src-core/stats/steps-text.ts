// Step counts as tables print them: 1000000 -> "1M", 200000 -> "200k", and a budget's learning steps
// ("200k", or "48k-50k" where its algorithms' warm-ups differ inside one environment-step budget).

/** 1000000 -> "1M", 1500000 -> "1.5M", 200000 -> "200k", 12345 -> "12,345". */
export function stepsText(n: number): string {
  if (n >= 1_000_000 && n % 100_000 === 0) return `${n / 1_000_000}M`;
  if (n >= 1_000 && n % 1_000 === 0) return `${n / 1_000}k`;
  return n.toLocaleString('en-US');
}

/** The learning steps of a budget's runs (distinct, ascending): "200k", or "48k-50k". */
export function learningStepsText(steps: readonly number[]): string {
  if (steps.length === 0) return '-';
  return steps.length === 1 ? stepsText(steps[0]!) : `${stepsText(steps[0]!)}-${stepsText(steps.at(-1)!)}`;
}
