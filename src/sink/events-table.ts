import type { ClickHouseClient } from '@clickhouse/client';
import { VigilError } from '../errors/vigil-error.js';
import type { Template } from '../model/template/template.schema.js';
import { eventFieldColumns, templateEventsTable } from './ddl/events.ddl.js';
import { ttlClause, ttlSeconds } from './ddl/table-parts.js';
import { qualifiedTable, quoteName } from './identifiers.js';

export interface EventsTableChanges {
  readonly table: string;
  readonly created: boolean;
  /** Field columns added because the template gained fields. */
  readonly addedColumns: readonly string[];
  readonly ttlChanged: boolean;
}

/**
 * Makes a template's events table match the template, at start-up. Idempotent: creates the table
 * if missing, adds columns for new fields (ADD COLUMN IF NOT EXISTS; existing rows read them as
 * NULL, [] or the type default), and updates the TTL when `tables.ttl` changed. It never drops or
 * retypes a column: a field removed from the template keeps its column (inserts fill the default),
 * and a field whose type changed is refused, because converting stored data is a decision for a
 * person, not for start-up.
 */
export async function ensureEventsTable(client: ClickHouseClient, database: string, template: Template): Promise<EventsTableChanges> {
  const table = template.tables.events;
  const qualified = qualifiedTable(database, table);
  const wanted = eventFieldColumns(template);
  const existed = await tableExists(client, database, table);
  if (!existed) await run(`create ${table}`, () => client.command({ query: templateEventsTable(template, database) }));

  const existing = await columnTypes(client, database, table);
  const addedColumns: string[] = [];
  for (const column of wanted) {
    const type = existing.get(column.name);
    if (type === undefined) {
      await run(`add column ${table}.${column.name}`, () =>
        client.command({ query: `ALTER TABLE ${qualified} ADD COLUMN IF NOT EXISTS ${quoteName(column.name)} ${column.type}` }),
      );
      addedColumns.push(column.name);
    } else if (type !== column.type) {
      throw new VigilError(
        'VIGIL_SINK_MIGRATION',
        `template ${template.name}: column ${table}.${column.name} is ${type} but event.fields.${column.name} needs ${column.type}; ` +
          'migrate or rename the column by hand (Vigil does not convert stored data)',
      );
    }
  }

  const ttlChanged = existed && (await currentTtlSeconds(client, database, table)) !== ttlSeconds(template.tables.ttl);
  if (ttlChanged) {
    await run(`modify TTL of ${table}`, () =>
      client.command({ query: `ALTER TABLE ${qualified} MODIFY ${ttlClause('event_time', template.tables.ttl)}` }),
    );
  }
  return { table, created: !existed, addedColumns, ttlChanged };
}

async function tableExists(client: ClickHouseClient, database: string, table: string): Promise<boolean> {
  const rows = await select<{ n: number | string }>(
    client,
    'SELECT count() AS n FROM system.tables WHERE database = {db:String} AND name = {table:String}',
    { db: database, table },
  );
  return Number(rows[0]?.n ?? 0) > 0;
}

async function columnTypes(client: ClickHouseClient, database: string, table: string): Promise<Map<string, string>> {
  const rows = await select<{ name: string; type: string }>(
    client,
    'SELECT name, type FROM system.columns WHERE database = {db:String} AND table = {table:String}',
    { db: database, table },
  );
  return new Map(rows.map((row) => [row.name, row.type]));
}

/** The TTL interval in seconds as ClickHouse stored it, or undefined when there is none. */
async function currentTtlSeconds(client: ClickHouseClient, database: string, table: string): Promise<number | undefined> {
  const rows = await select<{ engine_full: string }>(
    client,
    'SELECT engine_full FROM system.tables WHERE database = {db:String} AND name = {table:String}',
    { db: database, table },
  );
  const match = /TTL .*toIntervalSecond\((\d+)\)/.exec(rows[0]?.engine_full ?? '');
  return match ? Number(match[1]) : undefined;
}

async function select<T>(client: ClickHouseClient, query: string, query_params: Record<string, unknown>): Promise<T[]> {
  return run('read system tables', async () => (await client.query({ query, query_params, format: 'JSONEachRow' })).json<T>());
}

async function run<T>(step: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (cause) {
    throw new VigilError('VIGIL_SINK_MIGRATION', `${step} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}
