// How runs are grouped for comparison: by algorithm (default), by environment, or by any key of
// the resolved run config (dotted path, e.g. "algoConfig.alpha" or "env.variant"), and how a
// group's environment label is formed. Config diffs ("differences only") live here too.

export interface GroupableRun {
  id: number;
  envId: string;
  variant: string;
  algo: string;
  seed: number;
  config: Record<string, unknown>;
  /** The run's label, "<algorithm entry label> | <env> | seed <n>" for runs of an experiment. */
  label?: string;
}

/** 'algo' | 'label' (the experiment's algorithm entry label) | 'env' | 'config:<dotted.path>' */
export type GroupBy = string;

export function envLabel(envId: string, variant: string): string {
  return variant && variant !== 'default' ? `${envId}/${variant}` : envId;
}

/** Value at a dotted path of a nested object (undefined when absent). */
export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function valueText(v: unknown): string {
  if (v === undefined) return '(unset)';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The group label of a run. Throws on an unknown grouping. */
export function groupOf(run: GroupableRun, by: GroupBy): string {
  if (by === 'algo') return run.algo;
  if (by === 'label') return run.label?.split(' | ')[0]?.trim() || run.algo;
  if (by === 'env') return envLabel(run.envId, run.variant);
  if (by.startsWith('config:')) {
    const path = by.slice('config:'.length);
    if (!path) throw new Error("group by 'config:' needs a key, e.g. config:algoConfig.alpha");
    return `${path}=${valueText(getPath(run.config, path))}`;
  }
  throw new Error(`unknown grouping '${by}' (use algo, label, env or config:<key>)`);
}

/** Every leaf of a nested object as dotted path -> value (arrays are leaves). */
export function flattenConfig(obj: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (obj !== null && typeof obj === 'object' && !Array.isArray(obj)) {
    for (const [k, v] of Object.entries(obj as Record<string, unknown>)) flattenConfig(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out[prefix] = obj;
  }
  return out;
}

export interface ConfigDiffRow {
  key: string;
  /** One value per run, as display text ('(unset)' where a run lacks the key). */
  values: string[];
  differs: boolean;
}

/** Config diff of several runs: every key (sorted), with whether the runs disagree on it. */
export function configDiff(configs: readonly Record<string, unknown>[], differencesOnly = false): ConfigDiffRow[] {
  const flat = configs.map((c) => flattenConfig(c));
  const keys = [...new Set(flat.flatMap((f) => Object.keys(f)))].sort();
  const rows = keys.map((key) => {
    const values = flat.map((f) => valueText(Object.hasOwn(f, key) ? f[key] : undefined));
    return { key, values, differs: values.some((v) => v !== values[0]) };
  });
  return differencesOnly ? rows.filter((r) => r.differs) : rows;
}
