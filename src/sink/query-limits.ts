import { VigilError } from '../errors/vigil-error.js';

/**
 * ClickHouse's own guards on user SQL, beside the text check of query-guard.ts: the engine
 * enforces them whatever the text says. readonly=1 in the query's SETTINGS clause refuses writes,
 * DDL, setting changes and table functions; in chdb it ends with the query (a per-call setting
 * would stay on for the process and stop the sink's inserts).
 */
export interface QueryLimits {
  readonly maxExecutionSeconds: number;
  readonly maxResultBytes: number;
  readonly maxMemoryBytes: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxExecutionSeconds: 30,
  maxResultBytes: 256 * 1024 * 1024,
  maxMemoryBytes: 2 * 1024 * 1024 * 1024,
};

/**
 * `readonly = 1` is left out for a server's dedicated read-only user: its profile holds readonly
 * already, and a user in readonly mode may not set it again.
 */
export function limitSettingsClause(limits: QueryLimits, options: { readonly readOnlyUser?: boolean } = {}): string {
  return [
    `max_execution_time = ${limits.maxExecutionSeconds}`,
    `max_result_bytes = ${limits.maxResultBytes}`,
    `max_memory_usage = ${limits.maxMemoryBytes}`,
    ...(options.readOnlyUser ? [] : ['readonly = 1']),
  ].join(', ');
}

/** ClickHouse error codes of the limits above, with the setting each one names. */
const LIMIT_BY_CODE: Record<number, string> = {
  159: 'max_execution_time',
  241: 'max_memory_usage',
  396: 'max_result_bytes',
  164: 'readonly',
};

/**
 * A limit's error as VIGIL_QUERY_LIMIT naming the setting, or undefined for other errors.
 * @clickhouse/client gives ClickHouse's code as the error's `code`; a raw message has "Code: N.".
 */
export function limitError(message: string, cause: unknown): VigilError | undefined {
  const given = (cause as { code?: unknown } | undefined)?.code;
  const code = typeof given === 'string' && /^\d+$/.test(given) ? given : /Code: (\d+)\./.exec(message)?.[1];
  const setting = code === undefined ? undefined : LIMIT_BY_CODE[Number(code)];
  if (!setting) return undefined;
  const detail = (/DB::Exception: (?:[\w-]+: )?([^(]*)/.exec(message)?.[1] ?? message).trim();
  const what = setting === 'readonly' ? 'the query tried to write or to reach outside the database' : `the query broke the ${setting} limit`;
  return new VigilError('VIGIL_QUERY_LIMIT', `query stopped: ${what} (${detail})`, { cause });
}
