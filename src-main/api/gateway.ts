// The one gateway both bridges use (the Electron IPC handler and the lab server's HTTP routes):
// look the method up, validate the arguments with the contract's schema, call the handler,
// validate the result, and answer {ok, value} or {ok: false, error}. Never throws.
import { ApiFailure, issuePath, validationError, type MethodsRecord, type Result } from '../../src-core/contract/define.ts';

type AnyHandler = (args: unknown) => unknown;

export interface Gateway {
  call(method: string, args: unknown): Promise<Result<unknown>>;
  readonly methods: readonly string[];
}

export function createGateway(methods: MethodsRecord, handlers: Record<string, unknown>): Gateway {
  const missing = Object.keys(methods).filter((m) => typeof handlers[m] !== 'function');
  if (missing.length > 0) throw new Error(`gateway: no handler for ${missing.join(', ')}`);
  return {
    methods: Object.keys(methods),
    async call(method, rawArgs) {
      if (!Object.hasOwn(methods, method)) {
        return { ok: false, error: { code: 'unknown_method', message: `unknown method '${method}'` } };
      }
      const def = methods[method]!;
      const parsed = def.args.safeParse(rawArgs ?? {});
      if (!parsed.success) return { ok: false, error: validationError(parsed.error) };
      let value: unknown;
      try {
        value = await (handlers[method] as AnyHandler)(parsed.data);
      } catch (err) {
        if (err instanceof ApiFailure) {
          return { ok: false, error: { code: err.code, message: err.message, ...(err.path ? { path: err.path } : {}) } };
        }
        const message = err instanceof Error ? err.message : String(err);
        return { ok: false, error: { code: 'internal', message: `${method}: ${message}` } };
      }
      const checked = def.result.safeParse(value);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        const where = issue ? `${issuePath(issue.path) || '(root)'}: ${issue.message}` : 'invalid';
        return { ok: false, error: { code: 'internal', message: `${method}: result does not match the contract (${where})` } };
      }
      return { ok: true, value: checked.data };
    },
  };
}
