import { isVigilError } from '../errors/vigil-error.js';
import type { VigilEvent } from '../model/records.js';
import { ClickHouseSink } from './clickhouse.sink.js';
import { fromDateTime64 } from './datetime64.js';
import { templateEventsTable } from './ddl/events.ddl.js';
import { ensureEventsTable } from './events-table.js';
import { eventColumns, eventRow } from './row-mappers.js';
import { openTempClickHouse, type TempClickHouse } from './testing/temp-clickhouse.js';
import { testTemplate } from './testing/test-template.js';

let engine: TempClickHouse;
beforeAll(async () => {
  engine = await openTempClickHouse();
});
afterAll(async () => {
  await engine.close();
});

async function columns(database: string, table: string): Promise<Record<string, string>> {
  const result = await engine.client.query({
    query: 'SELECT name, type FROM system.columns WHERE database = {db:String} AND table = {table:String}',
    query_params: { db: database, table },
    format: 'JSONEachRow',
  });
  return Object.fromEntries((await result.json<{ name: string; type: string }>()).map((c) => [c.name, c.type]));
}

const now = Date.now();
const event = (id: string, offset: string, fields: VigilEvent['fields']): VigilEvent => ({
  id,
  time: now,
  key: 'card-1',
  fields,
  source: { topic: 'payments', partition: 2, offset },
});

describe('ensureEventsTable', () => {
  it('creates a column of the right type for every field type, Nullable when optional', async () => {
    const db = await engine.database();
    const changes = await ensureEventsTable(engine.client, db, testTemplate());
    expect(changes).toEqual({ table: 'payment_events', created: true, addedColumns: [], ttlChanged: false });
    expect(await columns(db, 'payment_events')).toEqual({
      event_id: 'String',
      event_time: "DateTime64(3, 'UTC')",
      event_key: 'String',
      tx_id: 'String',
      card: 'String',
      ts: "DateTime64(3, 'UTC')",
      amount: 'Float64',
      items: 'Nullable(Int64)',
      online: 'Nullable(Bool)',
      settled_at: "Nullable(DateTime64(3, 'UTC'))",
      tags: 'Array(String)',
      note: 'Nullable(String)',
      raw: 'String',
      _topic: 'LowCardinality(String)',
      _partition: 'UInt32',
      _offset: 'UInt64',
      inserted_at: "DateTime64(3, 'UTC')",
    });
  });

  it('stores typed values and reads them back', async () => {
    const db = await engine.database();
    const template = testTemplate();
    await ensureEventsTable(engine.client, db, template);
    const full = event('tx-1', '9007199254740993', {
      tx_id: 'tx-1',
      card: 'card-1',
      ts: now,
      amount: 12.5,
      items: 3,
      online: true,
      settled_at: '2026-01-02T03:04:05.678Z',
      tags: ['a', 'b'],
      note: 'hello',
    });
    const sparse = event('tx-2', '7', { tx_id: 'tx-2', card: 'card-1', ts: now, amount: -1 });
    const fields = template.event.fields;
    await new ClickHouseSink(engine.client, db).insert({
      table: 'payment_events',
      columns: eventColumns(fields),
      rows: [eventRow(full, '{"raw":1}', fields), eventRow(sparse, '{}', fields)],
      token: 'tok-1',
    });
    const result = await engine.client.query({
      query: `SELECT *, toString(_offset) AS offset FROM \`${db}\`.payment_events ORDER BY event_id`,
      format: 'JSONEachRow',
    });
    const [a, b] = await result.json<Record<string, unknown>>();
    expect(a).toMatchObject({
      event_id: 'tx-1',
      event_key: 'card-1',
      amount: 12.5,
      items: 3,
      online: true,
      settled_at: '2026-01-02 03:04:05.678',
      tags: ['a', 'b'],
      note: 'hello',
      raw: '{"raw":1}',
      _topic: 'payments',
      _partition: 2,
      offset: '9007199254740993',
    });
    expect(fromDateTime64(a!.event_time as string)).toBe(now);
    expect(fromDateTime64(a!.ts as string)).toBe(now);
    expect(b).toMatchObject({ event_id: 'tx-2', items: null, online: null, settled_at: null, tags: [], note: null, offset: '7' });
  });

  it('is idempotent and adds columns for new fields', async () => {
    const db = await engine.database();
    await ensureEventsTable(engine.client, db, testTemplate());
    expect(await ensureEventsTable(engine.client, db, testTemplate())).toEqual({
      table: 'payment_events',
      created: false,
      addedColumns: [],
      ttlChanged: false,
    });
    const grown = testTemplate({
      fields: { ...testTemplate().event.fields, merchant: { type: 'string' }, risk: { type: 'number', required: true } },
    });
    const changes = await ensureEventsTable(engine.client, db, grown);
    expect(changes.addedColumns).toEqual(['merchant', 'risk']);
    const cols = await columns(db, 'payment_events');
    expect(cols.merchant).toBe('Nullable(String)');
    expect(cols.risk).toBe('Float64');
    expect((await ensureEventsTable(engine.client, db, grown)).addedColumns).toEqual([]);
  });

  it('updates the TTL when tables.ttl changes', async () => {
    const db = await engine.database();
    await ensureEventsTable(engine.client, db, testTemplate({ ttl: '90d' }));
    const changes = await ensureEventsTable(engine.client, db, testTemplate({ ttl: '7d' }));
    expect(changes.ttlChanged).toBe(true);
    const result = await engine.client.query({
      query: 'SELECT engine_full FROM system.tables WHERE database = {db:String} AND name = {t:String}',
      query_params: { db, t: 'payment_events' },
      format: 'JSONEachRow',
    });
    expect((await result.json<{ engine_full: string }>())[0]?.engine_full).toContain('toIntervalSecond(604800)');
    expect((await ensureEventsTable(engine.client, db, testTemplate({ ttl: '7d' }))).ttlChanged).toBe(false);
  });

  it('refuses a field whose type changed instead of converting stored data', async () => {
    const db = await engine.database();
    await ensureEventsTable(engine.client, db, testTemplate());
    const changed = testTemplate({ fields: { ...testTemplate().event.fields, amount: { type: 'string', required: true } } });
    const error: unknown = await ensureEventsTable(engine.client, db, changed).catch((e: unknown) => e);
    expect(isVigilError(error, 'VIGIL_SINK_MIGRATION')).toBe(true);
    expect((error as Error).message).toMatch(/column payment_events\.amount is Float64 but event\.fields\.amount needs String/);
  });

  it('refuses field names and table names that clash with Vigil columns and tables', () => {
    expect(() => templateEventsTable(testTemplate({ fields: { raw: { type: 'string' } } }), 'db')).toThrow(
      /event\.fields\.raw: name is reserved/,
    );
    expect(() => templateEventsTable(testTemplate({ table: 'findings' }), 'db')).toThrow(/tables\.events: "findings" is a Vigil table/);
  });
});
