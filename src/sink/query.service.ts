import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client';
import { isVigilError, VigilError } from '../errors/vigil-error.js';
import { checkReadOnlyQuery } from './query-guard.js';
import { DEFAULT_QUERY_LIMITS, limitError, limitSettingsClause } from './query-limits.js';

/**
 * Read-only SQL for `vigil query` and the API's query endpoint. The statement is checked by
 * query-guard.ts; SELECT/WITH run as `SELECT * FROM (<sql>) LIMIT maxRows + 1` so ClickHouse stops
 * early and a write or a FORMAT/INTO OUTFILE clause is a syntax error. ClickHouse's own limits
 * (query-limits.ts) go into the query's SETTINGS clause, which (unlike per-call settings) does not
 * outlive the query in chdb.
 */

export const QUERY_FORMATS = ['JSONEachRow', 'TabSeparatedWithNames', 'CSVWithNames'] as const;
export type QueryFormat = (typeof QUERY_FORMATS)[number];

export interface QueryOptions {
  readonly format?: QueryFormat;
  /** Rows returned at most; more set `truncated`. Default 10 000. */
  readonly maxRows?: number;
  /** Server-side time limit for SELECT/WITH. Default 30 s. */
  readonly maxExecutionSeconds?: number;
  /**
   * Also send readonly=2 with the query (no writes or DDL; 2 rather than 1 because 1 would refuse
   * the query's own SETTINGS clause). Only for a ClickHouse server, where settings are per
   * request. Never for chdb: there it stays on for the whole process and the sink's inserts fail.
   */
  readonly serverReadOnly?: boolean;
  /** Connected as a server's dedicated read-only user (CLICKHOUSE_QUERY_USER): its profile is the guard. */
  readonly readOnlyUser?: boolean;
}

export type QueryResult =
  | { readonly format: 'JSONEachRow'; readonly rows: Record<string, unknown>[]; readonly truncated: boolean }
  | { readonly format: 'TabSeparatedWithNames' | 'CSVWithNames'; readonly text: string; readonly truncated: boolean };

export async function runReadOnlyQuery(client: ClickHouseClient, sql: string, options: QueryOptions = {}): Promise<QueryResult> {
  const format = options.format ?? 'JSONEachRow';
  const maxRows = options.maxRows ?? 10_000;
  const seconds = options.maxExecutionSeconds ?? 30;
  if (!QUERY_FORMATS.includes(format)) throw new VigilError('VIGIL_QUERY', `unsupported format ${String(format)}`);
  if (!Number.isSafeInteger(maxRows) || maxRows < 0) throw new VigilError('VIGIL_QUERY', 'maxRows must be a non-negative integer');
  if (!(seconds > 0)) throw new VigilError('VIGIL_QUERY', 'maxExecutionSeconds must be positive');

  const checked = checkReadOnlyQuery(sql);
  const query =
    checked.kind === 'SELECT' || checked.kind === 'WITH'
      ? `SELECT * FROM (\n${checked.sql}\n) LIMIT ${maxRows + 1} SETTINGS ${limitSettingsClause({ ...DEFAULT_QUERY_LIMITS, maxExecutionSeconds: seconds }, { readOnlyUser: options.readOnlyUser === true })}`
      : checked.sql;
  const clickhouse_settings: ClickHouseSettings | undefined = options.serverReadOnly && !options.readOnlyUser ? { readonly: '2' } : undefined;
  try {
    const result = await client.query({ query, format, clickhouse_settings });
    if (format === 'JSONEachRow') {
      const rows = await result.json<Record<string, unknown>>();
      return { format, rows: rows.slice(0, maxRows), truncated: rows.length > maxRows };
    }
    const records = splitRecords(await result.text(), format === 'CSVWithNames');
    const [header, ...rows] = records;
    const kept = header === undefined ? [] : [header, ...rows.slice(0, maxRows)];
    return { format, text: kept.map((record) => `${record}\n`).join(''), truncated: rows.length > maxRows };
  } catch (cause) {
    if (isVigilError(cause)) throw cause;
    const message = cause instanceof Error ? cause.message : String(cause);
    throw limitError(message, cause) ?? new VigilError('VIGIL_QUERY', cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/**
 * Records of TSV/CSV output. TSV escapes newlines, so a record is a line; CSV may hold a newline
 * inside a quoted field ("" is an escaped quote, which leaves the quote parity unchanged).
 */
function splitRecords(text: string, csv: boolean): string[] {
  const records: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (csv && c === '"') quoted = !quoted;
    else if (c === '\n' && !quoted) {
      records.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (start < text.length) records.push(text.slice(start));
  return records;
}
