// A small, strict flag parser shared by every `lab` verb: unknown flags, missing values and
// non-numbers become UsageError (one line, exit code 2). Repeated flags are collected in order.
import { UsageError } from './errors.ts';
import { parseSeedBatch, type SeedBatch } from '../runs/grouping.ts';

export interface FlagSpec {
  /** 'boolean' takes no value; 'string' takes one; 'multi' may repeat and collects every value. */
  type: 'boolean' | 'string' | 'multi';
}

export interface ParsedArgs {
  flags: Map<string, string[]>;
  positionals: string[];
}

export function parseArgs(argv: readonly string[], spec: Record<string, FlagSpec>): ParsedArgs {
  const flags = new Map<string, string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const s = spec[name];
    if (!s) throw new UsageError(`unknown flag --${name}`);
    let value: string;
    if (s.type === 'boolean') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      value = 'true';
    } else if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) throw new UsageError(`--${name} needs a value`);
      value = next;
      i++;
    }
    const list = flags.get(name) ?? [];
    if (s.type !== 'multi' && list.length > 0) throw new UsageError(`--${name} given more than once`);
    list.push(value);
    flags.set(name, list);
  }
  return { flags, positionals };
}

export function flagString(args: ParsedArgs, name: string): string | undefined {
  return args.flags.get(name)?.[0];
}

export function flagBool(args: ParsedArgs, name: string): boolean {
  return args.flags.has(name);
}

export function flagMulti(args: ParsedArgs, name: string): string[] {
  return args.flags.get(name) ?? [];
}

/** A finite number, or a UsageError naming the flag. */
export function parseNumber(text: string, what: string): number {
  const v = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(v)) throw new UsageError(`${what}: '${text}' is not a number`);
  return v;
}

/** A non-negative integer, or a UsageError naming the flag. */
export function parseInteger(text: string, what: string, min = 0): number {
  const v = parseNumber(text, what);
  if (!Number.isInteger(v) || v < min) throw new UsageError(`${what}: '${text}' is not an integer >= ${min}`);
  return v;
}

/** The tensor backends a `--backend` flag may name. */
export const BACKEND_FLAG_CHOICES = ['auto', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendFlag = (typeof BACKEND_FLAG_CHOICES)[number];

/** A `--backend` value (absent: undefined), or a UsageError listing the choices. */
export function parseBackendFlag(text: string | undefined): BackendFlag | undefined {
  if (text === undefined) return undefined;
  if (!(BACKEND_FLAG_CHOICES as readonly string[]).includes(text)) throw new UsageError(`--backend: '${text}' is not one of ${BACKEND_FLAG_CHOICES.join(', ')}`);
  return text as BackendFlag;
}

/** A `--seed-batch` value (absent: undefined), or a UsageError naming the flag. */
export function parseSeedBatchFlag(text: string | undefined): SeedBatch | undefined {
  if (text === undefined) return undefined;
  try {
    return parseSeedBatch(text);
  } catch (err) {
    throw new UsageError(`--seed-batch: ${(err as Error).message}`);
  }
}

/** `key=value` pairs (from --param or --set), values kept as text. */
export function parseKeyValues(items: readonly string[], what: string): [string, string][] {
  return items.map((item) => {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`${what}: '${item}' is not key=value`);
    return [item.slice(0, eq).trim(), item.slice(eq + 1).trim()];
  });
}
