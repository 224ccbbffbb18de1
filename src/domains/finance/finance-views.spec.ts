import type { Alert, FeedbackLabel, Finding, VigilEvent } from '../../model/records.js';
import { loadTemplate } from '../../templates/template.loader.js';
import type { Template } from '../../model/template/template.schema.js';
import { ClickHouseSink } from '../../sink/clickhouse.sink.js';
import { ensureEventsTable } from '../../sink/events-table.js';
import { runMigrations } from '../../sink/migrations.js';
import { ALERT_COLUMNS, alertRow, eventColumns, eventRow, FINDING_COLUMNS, findingRow, FRAUD_LABEL_COLUMNS, fraudLabelRow } from '../../sink/row-mappers.js';
import { ensureTemplateViews, viewQuery } from '../../sink/template-views.js';
import { openTempClickHouse, type TempClickHouse } from '../../sink/testing/temp-clickhouse.js';
import { builtIns } from '../domains.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Yesterday 10:00 UTC: recent enough for the events table's 90-day TTL (older rows are dropped on insert).
const T0 = Math.floor(Date.now() / DAY) * DAY - DAY + 10 * HOUR;

let engine: TempClickHouse;
let template: Template;
beforeAll(async () => {
  engine = await openTempClickHouse();
  template = (await loadTemplate('templates/finance/template.yaml', { env: {}, ...builtIns() })).template;
});
afterAll(async () => {
  await engine.close();
});

const source = (topic: string, offset: number) => ({ topic, partition: 0, offset: String(offset) });

function tx(id: string, card: string, terminal: string, amount: number, minutes: number): VigilEvent {
  const time = T0 + minutes * 60_000;
  return {
    id,
    time,
    key: card,
    fields: { tx_id: id, ts: time, customer_id: `cus-${card}`, card_id: card, terminal_id: terminal, amount, currency: 'EUR', merchant_category: '5411', country: 'FR' },
    source: source('tx', Number(id.slice(2))),
  };
}

function finding(id: string, trigger: VigilEvent, detector: string, score: number, severity: Finding['severity']): Finding {
  return {
    id,
    template: 'finance',
    detector,
    detector_type: detector === 'card_velocity' ? 'velocity' : 'rule',
    detector_version: '1',
    entity: trigger.key,
    severity,
    kind: 'test.kind',
    title: `${detector} on ${trigger.id}`,
    score,
    time: trigger.time,
    window_start: trigger.time - HOUR,
    window_end: trigger.time,
    values: {},
    thresholds: {},
    event_ids: [trigger.id],
    trigger_event_id: trigger.id,
  };
}

function label(event: VigilEvent, fraud: boolean, delay: number): FeedbackLabel {
  return {
    event_id: event.id,
    time: event.time,
    labelled_at: event.time + delay,
    entity: event.key,
    customer_id: `cus-${event.key}`,
    terminal_id: String(event.fields.terminal_id),
    fraud,
    scenario: fraud ? 'compromised_terminal' : 'genuine',
  };
}

async function rows<T>(sql: string, database: string): Promise<T[]> {
  const result = await engine.client.query({ query: viewQuery(template, database, sql), format: 'JSONEachRow' });
  return result.json<T>();
}

describe('finance tables and views (embedded ClickHouse)', () => {
  it('answers risk by card, terminal and merchant, and alert outcomes, from findings, alerts and labels', async () => {
    const db = await engine.database();
    await runMigrations(engine.client, db);
    await ensureEventsTable(engine.client, db, template);
    expect(await ensureTemplateViews(engine.client, db, template)).toEqual([
      'finance_label_verdicts',
      'finance_risk_by_card',
      'finance_risk_by_terminal',
      'finance_risk_by_merchant',
      'finance_alert_outcomes',
    ]);
    // Idempotent: a restart replaces the views.
    await ensureTemplateViews(engine.client, db, template);

    const sink = new ClickHouseSink(engine.client, db);
    const tx1 = tx('tx1', 'card-a', 'term-1', 100, 0);
    const tx2 = tx('tx2', 'card-a', 'term-1', 50, 5);
    const tx3 = tx('tx3', 'card-b', 'term-2', 20, 7);
    const events = [tx1, tx2, tx3];
    const fields = template.event.fields;
    await sink.insert({ table: template.tables.events, columns: eventColumns(fields), rows: events.map((e) => eventRow(e, '{}', fields)), token: 'e' });
    const f1 = finding('f1', tx2, 'card_velocity', 0.8, 'high');
    const f2 = finding('f2', tx3, 'card_count_1m', 1, 'medium');
    await sink.insert({ table: 'findings', columns: FINDING_COLUMNS, rows: [f1, f2].map((f, i) => findingRow(f, source('f', i))), token: 'f' });
    const alerts: Alert[] = [f1, f2].map((f) => ({ id: `a-${f.id}`, fingerprint: f.id, template: 'finance', finding: f, created_at: f.time }));
    await sink.insert({ table: 'alerts', columns: ALERT_COLUMNS, rows: alerts.map((a, i) => alertRow(a, source('a', i))), token: 'a' });
    // tx2 is first labelled genuine, then confirmed as fraud: the later label is the verdict.
    const labels = [label(tx2, false, DAY), label(tx3, false, 2 * DAY), label(tx2, true, 3 * DAY)];
    await sink.insert({ table: 'fraud_labels', columns: FRAUD_LABEL_COLUMNS, rows: labels.map((l, i) => fraudLabelRow('finance', l, source('fb', i))), token: 'l' });

    expect(await rows(`SELECT event_id, card_id, fraud, scenario FROM {finance_label_verdicts} ORDER BY event_id`, db)).toEqual([
      { event_id: 'tx2', card_id: 'card-a', fraud: 1, scenario: 'compromised_terminal' },
      { event_id: 'tx3', card_id: 'card-b', fraud: 0, scenario: 'genuine' },
    ]);
    expect(await rows(`SELECT terminal_id, transactions, amount, flagged_transactions, max_score, labelled, confirmed_frauds, fraud_rate FROM {finance_risk_by_terminal} ORDER BY terminal_id`, db)).toEqual([
      { terminal_id: 'term-1', transactions: 2, amount: 150, flagged_transactions: 1, max_score: 0.8, labelled: 1, confirmed_frauds: 1, fraud_rate: 0.5 },
      { terminal_id: 'term-2', transactions: 1, amount: 20, flagged_transactions: 1, max_score: 1, labelled: 1, confirmed_frauds: 0, fraud_rate: 0 },
    ]);
    expect(await rows(`SELECT merchant_category, country, transactions, confirmed_frauds FROM {finance_risk_by_merchant}`, db)).toEqual([
      { merchant_category: '5411', country: 'FR', transactions: 3, confirmed_frauds: 1 },
    ]);
    expect(await rows(`SELECT card_id, findings, high_findings, detectors, labelled, confirmed_frauds FROM {finance_risk_by_card} ORDER BY card_id`, db)).toEqual([
      { card_id: 'card-a', findings: 1, high_findings: 1, detectors: ['card_velocity'], labelled: 1, confirmed_frauds: 1 },
      { card_id: 'card-b', findings: 1, high_findings: 0, detectors: ['card_count_1m'], labelled: 1, confirmed_frauds: 0 },
    ]);
    expect(await rows(`SELECT alert_id, detector, event_id, score, outcome, scenario, card_confirmed_frauds FROM {finance_alert_outcomes} ORDER BY alert_id`, db)).toEqual([
      { alert_id: 'a-f1', detector: 'card_velocity', event_id: 'tx2', score: 0.8, outcome: 'true_positive', scenario: 'compromised_terminal', card_confirmed_frauds: 1 },
      { alert_id: 'a-f2', detector: 'card_count_1m', event_id: 'tx3', score: 1, outcome: 'false_positive', scenario: 'genuine', card_confirmed_frauds: 0 },
    ]);

    // An alert whose transaction is not labelled yet is pending.
    const tx4 = tx('tx4', 'card-c', 'term-3', 5, 9);
    await sink.insert({ table: template.tables.events, columns: eventColumns(fields), rows: [eventRow(tx4, '{}', fields)], token: 'e4' });
    const f4 = finding('f4', tx4, 'card_velocity', 0.6, 'high');
    await sink.insert({ table: 'alerts', columns: ALERT_COLUMNS, rows: [alertRow({ id: 'a-f4', fingerprint: 'f4', template: 'finance', finding: f4, created_at: f4.time }, source('a', 9))], token: 'a4' });
    expect(await rows(`SELECT outcome FROM {finance_alert_outcomes} WHERE alert_id = 'a-f4'`, db)).toEqual([{ outcome: 'pending' }]);
  });

  it('names the view ClickHouse refused', async () => {
    const db = await engine.database();
    const broken = { ...template, tables: { ...template.tables, views: { broken_view: { description: '', query: 'SELECT nope FROM {findings}' } } } };
    await expect(ensureTemplateViews(engine.client, db, broken)).rejects.toThrow(/^template finance: tables\.views\.broken_view: ClickHouse refused the view: /);
  });
});
