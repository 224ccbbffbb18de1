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

/** Undefined when no Vigil API answers: then this process may open the data itself. */
async function viaApi(config: VigilConfig, sql: string, format: QueryFormat, maxRows: number): Promise<QueryResult | undefined> {
  const { request } = await import('undici');
  let response;
  try {
    response = await request(`${config.api.url}/query`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(config.api.clientToken === undefined ? {} : { authorization: `Bearer ${config.api.clientToken}` }),
      },
      body: JSON.stringify({ sql, format, maxRows }),
      headersTimeout: 60_000,
    });
  } catch {
    return undefined;
  }
  const body = (await response.body.json()) as QueryResult & { message?: string; code?: string };
  if (response.statusCode === 503) return undefined;
  if (response.statusCode === 401 || response.statusCode === 403) {
    const hint = config.api.clientToken === undefined ? 'set VIGIL_API_TOKEN to a token of VIGIL_API_TOKENS' : 'VIGIL_API_TOKEN was refused';
    throw new VigilError('VIGIL_QUERY', `the API at ${config.api.url} answered ${response.statusCode} (${body.message ?? 'unauthorized'}): ${hint}`);
  }
  if (response.statusCode !== 200) throw new VigilError('VIGIL_QUERY', body.message ?? `API answered ${response.statusCode}`);
  return body;
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
