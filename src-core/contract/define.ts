// The contract mechanism: how a method (request -> answer) and an event (main -> renderer push)
// are declared once, with zod schemas, and what every answer looks like. Shared by the renderer,
// the Electron gateway and the lab server (architecture principle 4).
import type { z } from 'zod';

/** A method the renderer may call: its arguments and its result, both as zod schemas. */
export interface MethodDef<A extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  summary: string;
  args: A;
  result: R;
}

/** An event main pushes to the renderer. */
export interface EventDef<P extends z.ZodType = z.ZodType> {
  summary: string;
  payload: P;
}

export function defineMethod<A extends z.ZodType, R extends z.ZodType>(def: MethodDef<A, R>): MethodDef<A, R> {
  return def;
}

export function defineEvent<P extends z.ZodType>(def: EventDef<P>): EventDef<P> {
  return def;
}

/**
 * Error codes of a failed answer.
 * - invalid_args: the arguments do not match the schema (`path` names the field);
 * - not_found: an id that does not exist; conflict: the operation does not fit the current state
 *   (e.g. pausing a completed run); unavailable: a service that is not running here;
 * - unauthorized: missing or wrong token (lab server); unknown_method: no such method;
 * - internal: a bug or an unexpected failure (the message says what).
 */
export const ERROR_CODES = [
  'invalid_args',
  'not_found',
  'conflict',
  'unavailable',
  'unauthorized',
  'unknown_method',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiError {
  code: ErrorCode;
  message: string;
  /** The offending field, dotted with numeric indices: `algorithms.0.overrides.gamma`. */
  path?: string;
}

/** Every answer: a value or an error, never a thrown exception across the bridge. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** Handlers throw this to answer with a specific error code (anything else becomes `internal`). */
export class ApiFailure extends Error {
  override name = 'ApiFailure';
  code: ErrorCode;
  path?: string;
  constructor(code: ErrorCode, message: string, path?: string) {
    super(message);
    this.code = code;
    if (path !== undefined) this.path = path;
  }
}

export type MethodsRecord = Record<string, MethodDef>;
export type EventsRecord = Record<string, EventDef>;

/** What a caller passes (schema input: defaults may be omitted). */
export type ArgsOf<M extends MethodDef> = z.input<M['args']>;
/** What a caller receives (schema output). */
export type ResultOf<M extends MethodDef> = z.output<M['result']>;
export type PayloadOf<E extends EventDef> = z.output<E['payload']>;

/** The server-side implementation of a record of methods: parsed args in, result out. */
export type Handlers<Ms extends MethodsRecord> = {
  [K in keyof Ms]: (args: z.output<Ms[K]['args']>) => Promise<z.input<Ms[K]['result']>> | z.input<Ms[K]['result']>;
};

/** A zod issue path as one string: ['algorithms', 0, 'gamma'] -> 'algorithms.0.gamma'. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.');
}

/** The first issue of a failed parse as an ApiError naming the field. */
export function validationError(error: z.ZodError, prefix = ''): ApiError {
  const issue = error.issues[0];
  if (!issue) return { code: 'invalid_args', message: 'invalid arguments' };
  const path = issuePath([...(prefix ? [prefix] : []), ...issue.path]);
  return { code: 'invalid_args', message: path ? `${path}: ${issue.message}` : issue.message, ...(path ? { path } : {}) };
}

/** All issues of a failed parse, one per field (the forms show each beside its field). */
export function validationErrors(error: z.ZodError): ApiError[] {
  return error.issues.map((issue) => {
    const path = issuePath(issue.path);
    return { code: 'invalid_args', message: issue.message, ...(path ? { path } : {}) };
  });
}
