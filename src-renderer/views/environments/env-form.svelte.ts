// State of the preview form: the environments main knows (drawable ones only), the chosen variant,
// parameter overrides, the policy (random, zero, constant, stored checkpoint), seed and start state.
import type { EnvSummary } from '../../../src-core/contract/methods/envs.ts';
import type { PreviewArgs } from '../../../src-core/contract/methods/scenes.ts';
import type { RunRow } from '../../../src-core/contract/schemas.ts';
import { isDrawable } from '../../../src-core/draw/index.ts';
import { request } from '../../lib/api.ts';
import { stepSeconds } from './episode.ts';

export type PolicyKind = 'random' | 'zero' | 'constant' | 'checkpoint';

export class EnvForm {
  envs = $state.raw<EnvSummary[]>([]);
  envId = $state('');
  variant = $state('');
  params = $state<Record<string, number>>({});
  policyKind = $state<PolicyKind>('random');
  constantText = $state('');
  actionLow = $state.raw<number[]>([]);
  actionHigh = $state.raw<number[]>([]);
  stateNames = $state.raw<string[]>([]);
  runs = $state.raw<RunRow[]>([]);
  runId = $state<number | null>(null);
  checkpoints = $state.raw<{ step: number; size: number }[]>([]);
  checkpointStep = $state<number | null>(null);
  mode = $state<'deterministic' | 'stochastic'>('deterministic');
  seed = $state(0);
  /** Steps to roll out ('' = the environment's episode limit). */
  stepsText = $state('');
  initialStateText = $state('');
  lastResult = $state('');

  get actionNames(): string[] {
    return this.actionLow.map((lo, i) => `[${lo}, ${this.actionHigh[i]}]`);
  }

  get dt(): number | undefined {
    const env = this.envs.find((e) => e.id === this.envId);
    const p = env?.params.find((x) => x.name === 'dt');
    return stepSeconds(this.envId, p ? { dt: this.params.dt ?? p.default } : {});
  }

  async connect(): Promise<void> {
    const all = await request('envs.list', {});
    this.envs = all.filter((e) => isDrawable(e.id));
    if (!this.envId && this.envs[0]) {
      this.envId = this.envs[0].id;
      await this.envChanged();
    }
  }

  async envChanged(): Promise<void> {
    const env = this.envs.find((e) => e.id === this.envId);
    this.variant = env?.defaultVariant ?? '';
    this.params = {};
    this.runId = null;
    this.checkpoints = [];
    this.lastResult = '';
    await this.variantChanged();
    try {
      this.runs = (await request('runs.list', { envId: this.envId, limit: 500 })).rows;
    } catch {
      this.runs = []; // no store here: stored policies are simply not offered
    }
  }

  async variantChanged(): Promise<void> {
    const d = await request('envs.describe', { id: this.envId, variant: this.variant });
    this.actionLow = d.action.low;
    this.actionHigh = d.action.high;
    this.stateNames = d.stateNames;
    this.constantText = d.action.low.map(() => '0').join(', ');
  }

  setParam(name: string, text: string): void {
    const v = Number(text);
    const env = this.envs.find((e) => e.id === this.envId);
    const def = env?.params.find((p) => p.name === name)?.default;
    const next = { ...this.params };
    if (text.trim() === '' || v === def) delete next[name];
    else next[name] = v;
    this.params = next;
  }

  async loadCheckpoints(): Promise<void> {
    this.checkpoints = [];
    this.checkpointStep = null;
    if (this.runId === null) return;
    this.checkpoints = await request('scenes.checkpoints', { runId: this.runId });
    this.checkpointStep = this.checkpoints.at(-1)?.step ?? null;
    const run = this.runs.find((r) => r.id === this.runId);
    if (run && run.variant !== this.variant) {
      this.variant = run.variant;
      await this.variantChanged();
    }
  }

  /** The contract arguments; throws an Error with `path` for input that cannot be sent. */
  previewArgs(): PreviewArgs {
    const fail = (message: string, path: string): never => {
      throw Object.assign(new Error(message), { path });
    };
    let policy: PreviewArgs['policy'];
    if (this.policyKind === 'constant') {
      const parts = this.constantText.split(/[\s,]+/).filter(Boolean).map(Number);
      if (parts.length === 0 || parts.some((x) => !Number.isFinite(x))) fail(`'${this.constantText}' is not a list of numbers`, 'policy.action');
      policy = { kind: 'constant', action: parts };
    } else if (this.policyKind === 'checkpoint') {
      if (this.runId === null || this.checkpointStep === null) fail('choose a run and one of its checkpoints', 'policy');
      policy = { kind: 'checkpoint', runId: this.runId!, step: this.checkpointStep!, mode: this.mode };
    } else policy = { kind: this.policyKind };
    const args: PreviewArgs = { envId: this.envId, variant: this.variant, params: { ...this.params }, policy, seed: Number(this.seed) || 0 };
    if (this.stepsText.trim()) {
      const n = Number(this.stepsText);
      if (!Number.isInteger(n) || n < 1) fail(`'${this.stepsText}' is not a whole number of steps >= 1`, 'steps');
      args.steps = n;
    }
    if (this.initialStateText.trim()) {
      let s: unknown;
      try {
        s = JSON.parse(this.initialStateText);
      } catch {
        fail(`not JSON: ${this.initialStateText}`, 'initialState');
      }
      if (!Array.isArray(s) || s.some((x) => typeof x !== 'number')) fail('must be a JSON list of numbers', 'initialState');
      args.initialState = s as number[];
    }
    return args;
  }
}
