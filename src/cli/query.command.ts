import type { Command } from 'commander';
import type { VigilConfig } from '../config/vigil-config.js';
import { VigilError } from '../errors/vigil-error.js';
import type { QueryFormat, QueryResult } from '../sink/query.service.js';
import { formatTable } from './format-table.js';

const FORMATS: Record<string, QueryFormat> = { table: 'JSONEachRow', json: 'JSONEachRow', tsv: 'TabSeparatedWithNames', csv: 'CSVWithNames' };

export function registerQueryCommand(program: Command): void {
  program
    .command('query <sql>')
    .description('read-only SQL on Vigil\'s ClickHouse: through the running API, or opening the data directly when Vigil is stopped')
    .option('-f, --format <format>', 'table | json | tsv | csv', 'table')
    .option('-n, --max-rows <n>', 'rows at most', '1000')
    .action(async (sql: string, options: { format: string; maxRows: string }) => {
      // Loaded here, not at the top: registering a command must stay cheap (`vigil --help`).
      const { loadConfig } = await import('../config/vigil-config.js');
      const config = loadConfig();
      const format = FORMATS[options.format];
      if (!format) throw new VigilError('VIGIL_QUERY', `unknown format "${options.format}"; use table, json, tsv or csv`);
      const maxRows = Number(options.maxRows);
      const result = (await viaApi(config, sql, format, maxRows)) ?? (await direct(config, sql, format, maxRows));
      if (result.format !== 'JSONEachRow') process.stdout.write(result.text);
      else if (options.format === 'json') for (const row of result.rows) process.stdout.write(`${JSON.stringify(row)}\n`);
      else process.stdout.write(formatTable(result.rows));
      if (result.truncated) process.stderr.write(`(output cut at ${maxRows} rows; use --max-rows)\n`);
    });
}

/**
 * Undefined when no Vigil API answers, or when the local one guessed on VIGIL_API_PORT serves other
 * data (another data directory, server or database: another Vigil, whatever template it runs):
 * then this process opens its own data, as it would with no API. A guessed API is asked only when
 * its GET /status reports this process's data identity (config/data-identity.ts); one named by
 * VIGIL_API_URL (a remote Vigil, from CI) is asked as it is.
 */
async function viaApi(config: VigilConfig, sql: string, format: QueryFormat, maxRows: number): Promise<QueryResult | undefined> {
  const { request } = await import('undici');
  const { dataIdentity } = await import('../config/data-identity.js');
  const headers: Record<string, string> = config.api.clientToken === undefined ? {} : { authorization: `Bearer ${config.api.clientToken}` };
  if (!config.api.urlNamed) {
    const served = await servedData(config, headers);
    if (served === undefined) return undefined;
    if (served.data !== dataIdentity(config.clickhouse)) {
      const what = typeof served.template === 'string' ? `a Vigil running template ${served.template}` : 'something that is not this Vigil';
      process.stderr.write(`(the API at ${config.api.url} is ${what} on other data; opening the data directly)\n`);
      return undefined;
    }
  }
  let response;
  try {
    response = await request(`${config.api.url}/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ sql, format, maxRows }),
      headersTimeout: 60_000,
    });
  } catch {
    return undefined;
  }
  const body = (await response.body.json()) as QueryResult & { message?: string; code?: string };
  if (response.statusCode === 503) return undefined;
  if (response.statusCode === 401 || response.statusCode === 403) throw refusedToken(config, response.statusCode, body.message);
  if (response.statusCode !== 200) throw new VigilError('VIGIL_QUERY', body.message ?? `API answered ${response.statusCode}`);
  return body;
}

/** The guessed API's GET /status, or undefined when nothing answers there. */
async function servedData(config: VigilConfig, headers: Record<string, string>): Promise<{ data?: unknown; template?: unknown } | undefined> {
  const { request } = await import('undici');
  let status;
  try {
    status = await request(`${config.api.url}/status`, { headers, headersTimeout: 10_000 });
  } catch {
    return undefined;
  }
  const served = (await status.body.json().catch(() => ({}))) as { data?: unknown; template?: unknown; message?: string };
  if (status.statusCode === 401 || status.statusCode === 403) throw refusedToken(config, status.statusCode, served.message);
  return status.statusCode === 200 ? served : {};
}

function refusedToken(config: VigilConfig, statusCode: number, message: string | undefined): VigilError {
  const hint = config.api.clientToken === undefined ? 'set VIGIL_API_TOKEN to a token of VIGIL_API_TOKENS' : 'VIGIL_API_TOKEN was refused';
  return new VigilError('VIGIL_QUERY', `the API at ${config.api.url} answered ${statusCode} (${message ?? 'unauthorized'}): ${hint}`);
}

async function direct(config: VigilConfig, sql: string, format: QueryFormat, maxRows: number): Promise<QueryResult> {
  const { openClickHouse, openQueryClient } = await import('../sink/clickhouse.client.js');
  const { runReadOnlyQuery } = await import('../sink/query.service.js');
  const reader = openQueryClient(config.clickhouse);
  const client = reader ?? (await openClickHouse(config.clickhouse));
  try {
    return await runReadOnlyQuery(client, sql, { format, maxRows, serverReadOnly: config.clickhouse.mode === 'server', readOnlyUser: reader !== undefined });
  } finally {
    await client.close();
  }
}
