import { builtIns } from '../domains/domains.js';
import type { VigilEvent } from '../model/records.js';
import { loadTemplate } from '../templates/template.loader.js';
import type { Template } from '../model/template/template.schema.js';
import { ClickHouseSink } from './clickhouse.sink.js';
import { ensureEventsTable } from './events-table.js';
import { ensureEventsView } from './events-view.js';
import { runMigrations } from './migrations.js';
import { runReadOnlyQuery } from './query.service.js';
import { eventColumns, eventRow } from './row-mappers.js';
import { ensureTemplateViews } from './template-views.js';
import { openTempClickHouse, type TempClickHouse } from './testing/temp-clickhouse.js';

/** The database the temporary engine's session uses, so unqualified names resolve as in `vigil query`. */
const SESSION_DATABASE = 'vigil_test';
const DAY = 86_400_000;

let engine: TempClickHouse;
let template: Template;
beforeAll(async () => {
  engine = await openTempClickHouse();
  template = (await loadTemplate('templates/finance/template.yaml', { env: {}, ...builtIns() })).template;
  await runMigrations(engine.client, SESSION_DATABASE);
});
afterAll(async () => {
  await engine.close();
});

function payment(id: string, minutes: number): VigilEvent {
  // Yesterday: inside the events table's 90-day TTL.
  const time = Math.floor(Date.now() / DAY) * DAY - DAY + minutes * 60_000;
  return {
    id,
    time,
    key: 'card-a',
    fields: { tx_id: id, ts: time, customer_id: 'cus-a', card_id: 'card-a', terminal_id: 'term-1', amount: 10, currency: 'EUR', merchant_category: '5411', country: 'FR' },
    source: { topic: 'tx', partition: 0, offset: String(minutes) },
  };
}

async function jsonRows(sql: string): Promise<Record<string, unknown>[]> {
  const result = await runReadOnlyQuery(engine.client, sql);
  if (result.format !== 'JSONEachRow') throw new Error(`expected JSON rows, got ${result.format}`);
  return result.rows;
}

async function count(sql: string): Promise<number> {
  return Number((await jsonRows(sql))[0]!.n);
}

describe('the events view (embedded ClickHouse)', () => {
  it('answers the first query a user types, SELECT count() FROM events, from the template\'s events table', async () => {
    await ensureEventsTable(engine.client, SESSION_DATABASE, template);
    await ensureTemplateViews(engine.client, SESSION_DATABASE, template);
    expect(await ensureEventsView(engine.client, SESSION_DATABASE, template)).toBe(true);
    // Idempotent: every start-up replaces it.
    expect(await ensureEventsView(engine.client, SESSION_DATABASE, template)).toBe(true);
    const fields = template.event.fields;
    const events = [payment('tx1', 0), payment('tx2', 1), payment('tx3', 2)];
    await new ClickHouseSink(engine.client, SESSION_DATABASE).insert({ table: template.tables.events, columns: eventColumns(fields), rows: events.map((e) => eventRow(e, '{}', fields)), token: 'ev' });

    expect(await count('SELECT count() AS n FROM events')).toBe(3);
    expect(await count(`SELECT count() AS n FROM ${template.tables.events}`)).toBe(3);
    expect(await jsonRows("SELECT card_id, sum(amount) AS total FROM events WHERE card_id = 'card-a' GROUP BY card_id")).toEqual([{ card_id: 'card-a', total: 30 }]);
  });

  it('follows the last template started, and is left alone when a template calls its own table or view events', async () => {
    const other: Template = { ...template, name: 'other', tables: { ...template.tables, events: 'other_transactions', views: {} } };
    await ensureEventsTable(engine.client, SESSION_DATABASE, other);
    expect(await ensureEventsView(engine.client, SESSION_DATABASE, other)).toBe(true);
    expect(await count('SELECT count() AS n FROM events')).toBe(0);

    const ownTable: Template = { ...template, tables: { ...template.tables, events: 'events' } };
    expect(await ensureEventsView(engine.client, SESSION_DATABASE, ownTable)).toBe(false);
    const ownView: Template = { ...template, tables: { ...template.tables, views: { events: { description: 'its own', query: 'SELECT 1 AS n' } } } };
    expect(await ensureEventsView(engine.client, SESSION_DATABASE, ownView)).toBe(false);
    expect(await count('SELECT count() AS n FROM events')).toBe(0);
  });
});
