// The Design view's state: the experiment form (environments, algorithms with hyperparameters
// prefilled from the task preset, seeds, budget, evaluation schedule), validation as you type
// (local number parsing, then the contract's experiments.validate naming each field), the grid
// summary with a time estimate, the tensor backend the runs ask for (with what is available here),
// the seed groups they may train in, where Launch sends the runs (this machine or a Slurm cluster),
// and save / launch / YAML import and export.
import type { EnvSummary, PresetValue } from '../../src-core/contract/methods/envs.ts';
import { SlurmTarget, type Expansion } from '../../src-core/contract/methods/experiments.ts';
import { api } from '../lib/api.ts';

export const ALGOS = [
  { id: 'ppo', label: 'PPO (non-MaxEnt)' },
  { id: 'sac', label: 'SAC, fixed alpha' },
  { id: 'sac-auto', label: 'SAC, automatic alpha' },
  { id: 'sac-adaent', label: 'SAC-AdaEnt' },
  { id: 'td3', label: 'TD3 (deterministic)' },
] as const;
export type AlgoId = (typeof ALGOS)[number]['id'];
export type PresetName = 'paper' | 'quick';
export const BACKENDS = ['auto', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKENDS)[number];
const SPEED_ORDER = ['webgpu', 'tensorflow', 'wasm', 'cpu'];
type BackendHere = { name: string; reason: string; webgpu?: { adapter: string | null; software: boolean; reason: string } };

/**
 * The one-line hint beside the backend field, from what the status line knows (the fastest backend
 * workers get here, and why not a faster one). A backend faster than that one is not available:
 * runs asking for it fall back and record both (src-core/contract/README.md).
 */
export function backendHint(choice: BackendChoice, here: BackendHere | null): { text: string; warn: boolean } {
  if (!here) return { text: '', warn: false };
  if (choice === 'webgpu') return webgpuHint(here);
  const why = here.reason ? ` (${here.reason})` : '';
  if (choice === 'auto') return { text: `auto uses ${here.name} here${why}`, warn: false };
  const rank = (n: string) => SPEED_ORDER.indexOf(n);
  if (rank(choice) < rank(here.name)) {
    return { text: `${choice} is not available here${why}: runs fall back to ${here.name} and record both`, warn: true };
  }
  return { text: `${choice} is available here${choice === here.name ? ' (the fastest here)' : ` (auto would use ${here.name})`}`, warn: false };
}

/** Choices of the seed-groups field (the experiment's seed_batch; auto is left out of the spec). */
export const SEED_BATCHES = ['auto', 'off', '2', '3', '4', '5', '6', '8', '10'] as const;

/** The one-line hint beside the seed-groups field (issue 12; src-main/runs/grouping.ts). */
export function seedBatchHint(choice: string): string {
  if (choice === 'off') return 'one worker process per run';
  const each = 'each seed stays its own run, with results equal to the seed trained alone';
  if (choice === 'auto') return `SAC-family and TD3 runs identical but for seed share one worker (up to 5, as memory allows), where batching saves most; PPO runs one worker per run (batching saves it 4-8%, less than the second core a group gives up); ${each}`;
  return `up to ${choice} runs identical but for seed train in one worker as one batched computation; ${each}`;
}

/** webgpu: where an adapter exists, what it is (a software one is slow: used only when asked for, as here); else why none and the fallback. */
function webgpuHint(here: BackendHere): { text: string; warn: boolean } {
  const g = here.webgpu;
  const fallback = `runs fall back to ${here.name} and record why`;
  if (!g) return { text: `webgpu: the adapter is not known yet; ${fallback} if it cannot be used`, warn: true };
  if (!g.adapter) return { text: `webgpu is not available here (${g.reason}): ${fallback}`, warn: true };
  if (g.software) return { text: `GPU ${g.adapter} (software) found: runs train on it, on the CPU and much slower than ${here.name}`, warn: true };
  return { text: `GPU ${g.adapter} found: runs train on it (auto picks it only where a stored measurement shows it faster for the run: npm run bench -- webgpu --record)`, warn: false };
}

export interface EnvEntry {
  key: number;
  id: string;
  variant: string;
  /** Parameter values as typed (only values that differ from the default go into the spec). */
  params: Record<string, string>;
}

export interface AlgoEntry {
  key: number;
  algo: AlgoId;
  label: string;
  /** The preset's config (what the fields are prefilled with); null while loading. */
  preset: Record<string, unknown> | null;
  /** Hyperparameters as typed, by lab key (prefilled from the preset). */
  values: Record<string, string>;
  /** Keys written in RL Zoo / SB3 form (e.g. from an imported file), as typed. */
  extra: Record<string, string>;
}

/** The text a config value is edited as: 0.99, true, '256, 256', null. */
export function toText(v: unknown): string {
  if (Array.isArray(v)) return v.join(', ');
  if (v === null) return 'null';
  return String(v);
}

/** Whether typed text means the preset value (0.990 is 0.99; '64,64' is [64, 64]). */
export function sameValue(text: string, v: unknown): boolean {
  const t = text.trim();
  if (typeof v === 'number') return t !== '' && Number(t) === v;
  if (Array.isArray(v)) {
    const items = t.replace(/^\[|\]$/g, '').split(',').map((x) => x.trim()).filter((x) => x !== '');
    return items.length === v.length && items.every((x, i) => (typeof v[i] === 'number' ? Number(x) === v[i] : x === String(v[i])));
  }
  return t === toText(v);
}

let nextKey = 1;

export class DesignState {
  envs = $state.raw<EnvSummary[]>([]);
  paperPresets = $state.raw<{ name: string; title: string; spec: Record<string, unknown> }[]>([]);

  name = $state('my-experiment');
  description = $state('');
  tags = $state('');
  preset = $state<PresetName>('quick');
  environments = $state<EnvEntry[]>([]);
  algorithms = $state<AlgoEntry[]>([]);
  seedsMode = $state<'list' | 'count'>('count');
  seedsList = $state('0, 1, 2');
  seedCount = $state('3');
  seedBase = $state('0');
  budget = $state('');
  evalInterval = $state('');
  evalEpisodes = $state('10');
  evalDeterministic = $state(true);
  evalStochastic = $state(true);
  /** Tensor backend every run asks for; auto is left out of the spec. */
  backend = $state<BackendChoice>('auto');
  /** Seed groups: auto, off or K as text (SEED_BATCHES). */
  seedBatch = $state<string>('auto');
  /** What workers get on this machine (system.status), for the backend hint. */
  backendHere = $state.raw<BackendHere | null>(null);
  /** Where Launch sends the runs: this machine, or a Slurm cluster as one job array (docs/cluster.md). */
  runOn = $state<'local' | 'slurm'>('local');
  /** The Slurm fields as typed (the contract's SlurmTarget once parsed). */
  slurm = $state({ workdir: '', partition: '', time: '', cpusPerTask: '', mem: '', requeue: false });

  /** Field path -> message (local parsing first, then the contract's validation). */
  issues = $state.raw<Record<string, string>>({});
  expansion = $state.raw<Expansion | null>(null);
  /** Preset budget of the first task (shown as the budget's placeholder). */
  /** The preset's learning steps (the same for every algorithm; each adds its own warm-up) and interval. */
  presetBudget = $state.raw<{ learningSteps: number; evalInterval: number } | null>(null);
  busy = $state(false);
  message = $state<string | null>(null);
  importError = $state<string | null>(null);
  lastCreated = $state.raw<{ id: number; runIds: number[]; slurm?: { jobId: string; tasks: number[][] } } | null>(null);

  #validateSeq = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;

  async connect(): Promise<void> {
    const [envs, presets, status] = await Promise.all([api.call('envs.list', {}), api.call('experiments.presets', {}), api.call('system.status', {})]);
    if (envs.ok) this.envs = envs.value;
    if (presets.ok) this.paperPresets = presets.value;
    if (status.ok) this.backendHere = status.value.backend;
    if (this.environments.length === 0 && this.envs.length > 0) {
      this.environments = [this.newEnv(this.envs[0]!.id)];
      this.algorithms = [this.newAlgo('ppo'), this.newAlgo('sac')];
      await this.refreshPresets();
    }
  }

  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
  }

  envSpec(id: string): EnvSummary | undefined {
    return this.envs.find((e) => e.id === id);
  }

  newEnv(id: string): EnvEntry {
    const e = this.envSpec(id);
    return { key: nextKey++, id, variant: e?.defaultVariant ?? '', params: Object.fromEntries((e?.params ?? []).map((p) => [p.name, String(p.default)])) };
  }

  newAlgo(algo: AlgoId): AlgoEntry {
    return { key: nextKey++, algo, label: '', preset: null, values: {}, extra: {} };
  }

  setEnvId(entry: EnvEntry, id: string): void {
    Object.assign(entry, this.newEnv(id), { key: entry.key });
    void this.refreshPresets();
  }

  addEnv(): void {
    this.environments.push(this.newEnv(this.envs[0]?.id ?? 'toy'));
  }

  removeEnv(i: number): void {
    if (this.environments.length > 1) this.environments.splice(i, 1);
  }

  addAlgo(algo: AlgoId = 'sac-adaent'): void {
    const a = this.newAlgo(algo);
    this.algorithms.push(a);
    void this.loadPreset(this.algorithms[this.algorithms.length - 1]!);
  }

  removeAlgo(i: number): void {
    if (this.algorithms.length > 1) this.algorithms.splice(i, 1);
  }

  setAlgo(entry: AlgoEntry, algo: AlgoId): void {
    entry.algo = algo;
    entry.preset = null;
    entry.values = {};
    entry.extra = {};
    void this.loadPreset(entry);
  }

  /** Prefill every algorithm from the preset of the first environment (keeping edited values). */
  async refreshPresets(): Promise<void> {
    await Promise.all(this.algorithms.map((a) => this.loadPreset(a)));
  }

  async loadPreset(entry: AlgoEntry): Promise<void> {
    const envId = this.environments[0]?.id;
    if (!envId) return;
    const r = await api.call('presets.get', { envId, algo: entry.algo, preset: this.preset });
    if (!r.ok) {
      entry.preset = {};
      return;
    }
    const p: PresetValue = r.value;
    const edited = Object.fromEntries(Object.entries(entry.values).filter(([k, v]) => entry.preset && k in entry.preset && v !== toText(entry.preset[k])));
    entry.preset = p.algoConfig;
    entry.values = { ...Object.fromEntries(Object.entries(p.algoConfig).map(([k, v]) => [k, toText(v)])), ...edited };
    this.presetBudget = { learningSteps: p.learningSteps, evalInterval: p.evalInterval };
  }

  isEdited(a: AlgoEntry, key: string): boolean {
    return a.preset !== null && key in a.preset && !sameValue(a.values[key] ?? '', a.preset[key]);
  }

  /** The spec the form describes, plus problems found before asking main (numbers that do not parse). */
  toSpec(): { spec: Record<string, unknown>; local: Record<string, string> } {
    const local: Record<string, string> = {};
    const number = (path: string, text: string): number | undefined => {
      const t = text.trim();
      if (t === '') return undefined;
      const n = Number(t);
      if (!Number.isFinite(n)) {
        local[path] = `'${t}' is not a number`;
        return undefined;
      }
      return n;
    };
    const environments = this.environments.map((e, i) => {
      const spec = this.envSpec(e.id);
      const params: Record<string, number> = {};
      for (const p of spec?.params ?? []) {
        const v = number(`environments[${i}].params.${p.name}`, e.params[p.name] ?? '');
        if (v === undefined && (e.params[p.name] ?? '').trim() === '') local[`environments[${i}].params.${p.name}`] = 'give a value';
        if (v !== undefined && v !== p.default) params[p.name] = v;
      }
      const variant = spec && e.variant !== spec.defaultVariant ? { variant: e.variant } : {};
      return { id: e.id, ...variant, params };
    });
    const algorithms = this.algorithms.map((a) => {
      const hyperparameters: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(a.values)) if (this.isEdited(a, k)) hyperparameters[k] = v.trim();
      for (const [k, v] of Object.entries(a.extra)) if (k.trim() !== '') hyperparameters[k.trim()] = v.trim();
      return { algo: a.algo, ...(a.label.trim() ? { label: a.label.trim() } : {}), hyperparameters };
    });
    let seeds: unknown;
    if (this.seedsMode === 'list') {
      const items = this.seedsList.split(',').map((s) => s.trim()).filter((s) => s !== '');
      const nums = items.map(Number);
      const bad = items.find((s, k) => !Number.isInteger(nums[k]));
      if (bad !== undefined) local.seeds = `'${bad}' is not an integer seed`;
      else if (items.length === 0) local.seeds = 'give at least one seed';
      seeds = nums;
    } else {
      seeds = { count: number('seeds.count', this.seedCount), base: number('seeds.base', this.seedBase) ?? 0 };
    }
    const modes = [...(this.evalDeterministic ? ['deterministic'] : []), ...(this.evalStochastic ? ['stochastic'] : [])];
    if (modes.length === 0) local['eval.modes'] = 'choose at least one evaluation mode';
    const budget = number('budget', this.budget);
    const interval = number('eval.interval', this.evalInterval);
    const episodes = number('eval.episodes', this.evalEpisodes);
    const spec: Record<string, unknown> = {
      name: this.name.trim(),
      ...(this.description.trim() ? { description: this.description.trim() } : {}),
      tags: this.tags.split(',').map((t) => t.trim()).filter((t) => t !== ''),
      preset: this.preset,
      ...(budget !== undefined ? { budget } : {}),
      eval: { ...(interval !== undefined ? { interval } : {}), ...(episodes !== undefined ? { episodes } : {}), modes },
      seeds,
      environments,
      algorithms,
      ...(this.backend !== 'auto' ? { backend: this.backend } : {}),
      ...(this.seedBatch !== 'auto' ? { seed_batch: this.seedBatch === 'off' ? 'off' : Number(this.seedBatch) } : {}),
    };
    return { spec, local };
  }

  /** Validate shortly after the last keystroke; stale answers are dropped. */
  scheduleValidate(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.validate(), 150);
  }

  async validate(): Promise<boolean> {
    const seq = ++this.#validateSeq;
    const { spec, local } = this.toSpec();
    const r = await api.call('experiments.validate', { spec });
    if (seq !== this.#validateSeq) return false;
    const issues: Record<string, string> = {};
    if (r.ok) for (const i of r.value.issues) issues[i.path] = i.message;
    else issues['(top level)'] = r.error.message;
    Object.assign(issues, local); // a number that does not parse is the first thing to fix
    if (this.runOn === 'slurm') Object.assign(issues, this.slurmTarget().issues);
    this.issues = issues;
    this.expansion = r.ok && Object.keys(local).length === 0 ? r.value.expansion : null;
    return Object.keys(issues).length === 0 && this.expansion !== null;
  }

  /** Store the experiment (launch: also queue every run). Nothing is sent while the form has problems. */
  async submit(launch: boolean): Promise<boolean> {
    if (this.#timer) clearTimeout(this.#timer);
    if (!(await this.validate())) {
      this.message = 'Fix the problems shown beside the fields first; nothing was saved.';
      return false;
    }
    this.busy = true;
    const slurm = launch && this.runOn === 'slurm' ? this.slurmTarget().target ?? undefined : undefined;
    const r = await api.call('experiments.create', { spec: this.toSpec().spec, launch, ...(slurm ? { slurm } : {}) });
    this.busy = false;
    if (!r.ok) {
      this.message = r.error.message;
      if (r.error.path) this.issues = { ...this.issues, [r.error.path]: r.error.message };
      return false;
    }
    this.lastCreated = r.value;
    const job = r.value.slurm;
    this.message = job
      ? `Experiment ${r.value.id} submitted to Slurm as job array ${job.jobId}: ${r.value.runIds.length} runs in ${job.tasks.length} array task${job.tasks.length === 1 ? '' : 's'}; they show in Runs and Live as the cluster runs them.`
      : launch
      ? `Experiment ${r.value.id} launched: ${r.value.runIds.length} runs queued.`
      : `Experiment ${r.value.id} saved with ${r.value.runIds.length} runs (not started; start them from Runs).`;
    return true;
  }

  /** The Slurm fields as the contract's SlurmTarget (empty fields left out), or the problems by field path (slurm.workdir, ...). */
  slurmTarget(): { target: SlurmTarget | null; issues: Record<string, string> } {
    const f = this.slurm;
    const cpus = f.cpusPerTask.trim();
    const raw = {
      workdir: f.workdir,
      ...(f.partition.trim() ? { partition: f.partition } : {}),
      ...(f.time.trim() ? { time: f.time } : {}),
      ...(cpus ? { cpusPerTask: /^\d+$/.test(cpus) ? Number(cpus) : Number.NaN } : {}),
      ...(f.mem.trim() ? { mem: f.mem } : {}),
      requeue: f.requeue,
    };
    const r = SlurmTarget.safeParse(raw);
    if (r.success) return { target: r.data, issues: {} };
    const issues: Record<string, string> = {};
    for (const i of r.error.issues) issues[`slurm.${String(i.path[0])}`] ??= i.path[0] === 'cpusPerTask' ? 'a whole number of CPUs, 1 or more' : i.message;
    return { target: null, issues };
  }

  /** Load a spec (imported or a paper preset) into the form. */
  async load(spec: Record<string, unknown>): Promise<void> {
    const s = spec as {
      name?: string; description?: string; tags?: string[]; preset?: PresetName; budget?: number;
      eval?: { interval?: number; episodes?: number; modes?: string[] };
      seeds?: number[] | { count: number; base?: number };
      environments?: { id: string; variant?: string; params?: Record<string, number> }[];
      algorithms?: { algo: AlgoId; label?: string; hyperparameters?: Record<string, unknown> }[];
      backend?: BackendChoice;
      seed_batch?: 'auto' | 'off' | number;
    };
    this.name = s.name ?? 'experiment';
    this.description = s.description ?? '';
    this.tags = (s.tags ?? []).join(', ');
    this.preset = s.preset ?? 'paper';
    this.budget = s.budget !== undefined ? String(s.budget) : '';
    this.evalInterval = s.eval?.interval !== undefined ? String(s.eval.interval) : '';
    this.evalEpisodes = String(s.eval?.episodes ?? 10);
    const modes = s.eval?.modes ?? ['deterministic', 'stochastic'];
    this.evalDeterministic = modes.includes('deterministic');
    this.evalStochastic = modes.includes('stochastic');
    this.backend = s.backend && BACKENDS.includes(s.backend) ? s.backend : 'auto';
    this.seedBatch = s.seed_batch === undefined ? 'auto' : String(s.seed_batch);
    if (Array.isArray(s.seeds)) {
      this.seedsMode = 'list';
      this.seedsList = s.seeds.join(', ');
    } else if (s.seeds) {
      this.seedsMode = 'count';
      this.seedCount = String(s.seeds.count);
      this.seedBase = String(s.seeds.base ?? 0);
    }
    this.environments = (s.environments ?? []).map((e) => {
      const entry = this.newEnv(e.id);
      if (e.variant) entry.variant = e.variant;
      for (const [k, v] of Object.entries(e.params ?? {})) entry.params[k] = String(v);
      return entry;
    });
    this.algorithms = (s.algorithms ?? []).map((a) => ({ ...this.newAlgo(a.algo), label: a.label ?? '' }));
    await this.refreshPresets();
    // written hyperparameters: lab keys edit the prefilled field, other keys (RL Zoo / SB3) are extra rows
    (s.algorithms ?? []).forEach((a, i) => {
      const entry = this.algorithms[i]!;
      for (const [k, v] of Object.entries(a.hyperparameters ?? {})) {
        if (entry.preset && k in entry.preset) entry.values[k] = toText(v);
        else entry.extra[k] = toText(v);
      }
    });
    this.message = null;
    this.scheduleValidate();
  }

  async importText(text: string): Promise<void> {
    const r = await api.call('experiments.importYaml', { text });
    if (!r.ok) {
      this.importError = r.error.message; // the form is left exactly as it was
      return;
    }
    this.importError = null;
    await this.load(r.value.spec);
    this.message = `Imported "${String(r.value.spec.name)}".`;
  }

  async exportText(): Promise<string | null> {
    const r = await api.call('experiments.exportYaml', { spec: this.toSpec().spec });
    if (!r.ok) {
      this.message = `Cannot export: ${r.error.message}`;
      return null;
    }
    return r.value.text;
  }
}
