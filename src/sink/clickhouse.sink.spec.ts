import type { IncomingMessage } from '../kafka/kafka.types.js';
import type { Alert, Finding } from '../model/records.js';
import { ClickHouseSink, dedupToken } from './clickhouse.sink.js';
import { type InsertBatch } from './sink-writer.js';
import { fromDateTime64 } from './datetime64.js';
import { runMigrations } from './migrations.js';
import { alertMessageRow, findingMessageRow } from './record-decoders.js';
import { ALERT_COLUMNS, FINDING_COLUMNS } from './row-mappers.js';
import { openTempClickHouse, type TempClickHouse } from './testing/temp-clickhouse.js';

let engine: TempClickHouse;
beforeAll(async () => {
  engine = await openTempClickHouse();
});
afterAll(async () => {
  await engine.close();
});

const now = Date.now();

const finding = (id: string): Finding => ({
  id,
  template: 'payments',
  detector: 'velocity',
  detector_type: 'velocity',
  detector_version: '1',
  entity: 'card-1',
  severity: 'high',
  kind: 'velocity.count',
  title: '12 payments in 1 minute',
  score: 0.9,
  time: now,
  window_start: now - 60_000,
  window_end: now,
  values: { count: 12 },
  thresholds: { count: 10 },
  event_ids: ['tx-1', 'tx-2'],
  trigger_event_id: 'tx-2',
});

const message = (topic: string, offset: number, value: object): IncomingMessage => ({
  topic,
  partition: 1,
  offset: String(offset),
  key: null,
  value: Buffer.from(JSON.stringify(value)),
  headers: {},
  timestamp: now,
});

async function setup(): Promise<{ db: string; sink: ClickHouseSink }> {
  const db = await engine.database();
  await runMigrations(engine.client, db);
  return { db, sink: new ClickHouseSink(engine.client, db) };
}

async function ids(db: string, table: string): Promise<string[]> {
  const result = await engine.client.query({ query: `SELECT id FROM \`${db}\`.${table} ORDER BY id`, format: 'JSONEachRow' });
  return (await result.json<{ id: string }>()).map((row) => row.id);
}

const findingRows = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => findingMessageRow(message('payments.findings', from + i, finding(`f-${from + i}`))));

/** Findings f-<from>..f-<to> at offsets from..to, as one insert. */
const findings = (from: number, to: number, token: string): InsertBatch => ({ table: 'findings', columns: FINDING_COLUMNS, rows: findingRows(from, to), token });

async function sessionSetting(name: string): Promise<string | undefined> {
  const result = await engine.client.query({ query: `SELECT value FROM system.settings WHERE name = {name:String}`, query_params: { name }, format: 'JSONEachRow' });
  return (await result.json<{ value: string }>())[0]?.value;
}

describe('ClickHouseSink', () => {
  it('lands two different batches inserted one after the other', async () => {
    const { db, sink } = await setup();
    await sink.insert(findings(0, 1, dedupToken('payments.findings', 1, 0, 1)));
    await sink.insert(findings(2, 3, dedupToken('payments.findings', 1, 2, 3)));
    expect(await ids(db, 'findings')).toEqual(['f-0', 'f-1', 'f-2', 'f-3']);
  });

  it('stores a batch once when the same token is inserted twice', async () => {
    const { db, sink } = await setup();
    const token = dedupToken('payments.findings', 1, 0, 1);
    await sink.insert(findings(0, 1, token));
    await sink.insert(findings(0, 1, token));
    expect(await ids(db, 'findings')).toEqual(['f-0', 'f-1']);
  });

  it('does not let a previous token leak into a later insert (chdb applies settings session-wide)', async () => {
    const { db, sink } = await setup();
    await sink.insert(findings(0, 0, 'same'));
    await sink.insert(findings(1, 1, ''));
    await sink.insert(findings(2, 2, ''));
    expect(await ids(db, 'findings')).toEqual(['f-0', 'f-1', 'f-2']);
  });

  it('on chdb, puts the token in the insert statement: a token left in the session neither drops a batch nor is changed', async () => {
    const { db, sink } = await setup();
    // What per-call settings elsewhere leave behind on chdb (migrations insert through the client).
    await engine.client.command({ query: "SET insert_deduplication_token = 'left-over'" });
    try {
      const first = dedupToken('payments.findings', 1, 0, 1);
      await sink.insert(findings(0, 1, first));
      await sink.insert(findings(2, 3, dedupToken('payments.findings', 1, 2, 3)));
      await sink.insert(findings(0, 1, first)); // a retry of the first batch
      expect(await ids(db, 'findings')).toEqual(['f-0', 'f-1', 'f-2', 'f-3']);
      // Per-call settings would have become session SETs (the client path); statement settings do not.
      expect(await sessionSetting('insert_deduplication_token')).toBe('left-over');
    } finally {
      await engine.client.command({ query: "SET insert_deduplication_token = ''" });
    }
  });

  it('keeps tokens per table: one token may serve a batch in two tables', async () => {
    const { db, sink } = await setup();
    const alert: Alert = { id: 'a-1', fingerprint: 'fp', template: 'payments', finding: finding('f-9'), created_at: now + 5 };
    await sink.insert(findings(0, 0, 'shared'));
    await sink.insert({ table: 'alerts', columns: ALERT_COLUMNS, rows: [alertMessageRow(message('payments.alerts', 0, alert))], token: 'shared' });
    expect(await ids(db, 'findings')).toEqual(['f-0']);
    const result = await engine.client.query({ query: `SELECT * FROM \`${db}\`.alerts`, format: 'JSONEachRow' });
    const [row] = await result.json<Record<string, unknown>>();
    expect(row).toMatchObject({ id: 'a-1', fingerprint: 'fp', detector: 'velocity', entity: 'card-1', severity: 'high', _topic: 'payments.alerts' });
    expect(fromDateTime64(row!.time as string)).toBe(now);
    expect(fromDateTime64(row!.created_at as string)).toBe(now + 5);
    expect(JSON.parse(row!.finding as string)).toEqual(finding('f-9'));
  });

  it('stores every finding field with its type', async () => {
    const { db, sink } = await setup();
    await sink.insert(findings(7, 7, 't'));
    const result = await engine.client.query({
      query: `SELECT * EXCEPT (inserted_at), toUnixTimestamp64Milli(time) AS time_ms,
                     toUnixTimestamp64Milli(window_start) AS start_ms FROM \`${db}\`.findings`,
      format: 'JSONEachRow',
    });
    const [row] = await result.json<Record<string, unknown>>();
    expect(row).toMatchObject({
      id: 'f-7',
      score: 0.9,
      values: { count: 12 },
      thresholds: { count: 10 },
      event_ids: ['tx-1', 'tx-2'],
      trigger_event_id: 'tx-2',
      _partition: 1,
    });
    expect(Number(row!.time_ms)).toBe(now);
    expect(Number(row!.start_ms)).toBe(now - 60_000);
  });

  it('reports the last inserted offset per topic-partition, or undefined', async () => {
    const { sink } = await setup();
    expect(await sink.lastInsertedOffset('findings', 'payments.findings', 1)).toBeUndefined();
    await sink.insert(findings(10, 14, 'a'));
    await sink.insert(findings(3, 4, 'b'));
    expect(await sink.lastInsertedOffset('findings', 'payments.findings', 1)).toBe(14n);
    expect(await sink.lastInsertedOffset('findings', 'payments.findings', 2)).toBeUndefined();
    expect(await sink.lastInsertedOffset('findings', 'other', 1)).toBeUndefined();
  });

  it('lists the offsets stored in a range of one topic-partition, holes included', async () => {
    const { sink } = await setup();
    await sink.insert(findings(10, 12, 'a'));
    await sink.insert(findings(15, 16, 'b'));
    const offsets = async (first: bigint, last: bigint) => [...(await sink.storedOffsets('findings', 'payments.findings', 1, first, last))].sort((x, y) => Number(x - y));
    expect(await offsets(11n, 15n)).toEqual([11n, 12n, 15n]);
    expect(await offsets(13n, 14n)).toEqual([]);
    expect(await sink.storedOffsets('findings', 'payments.findings', 2, 0n, 100n)).toEqual(new Set());
  });

  it('keeps offsets beyond 2^53 exact', async () => {
    const { sink } = await setup();
    const row = findingMessageRow({ ...message('payments.findings', 0, finding('big')), offset: '9223372036854775806' });
    await sink.insert({ table: 'findings', columns: FINDING_COLUMNS, rows: [row], token: 'big' });
    expect(await sink.lastInsertedOffset('findings', 'payments.findings', 1)).toBe(9223372036854775806n);
  });

  it('treats an empty batch as a no-op', async () => {
    const { db, sink } = await setup();
    await sink.insert({ table: 'findings', columns: FINDING_COLUMNS, rows: [], token: 'empty' });
    expect(await ids(db, 'findings')).toEqual([]);
  });

  it('wraps failures in VIGIL_SINK_WRITE, not retryable when the data is wrong', async () => {
    const { sink } = await setup();
    const bad = (batch: Partial<InsertBatch>) => sink.insert({ ...findings(0, 0, 'bad'), ...batch });
    await expect(bad({ columns: ['id', 'nope'], rows: [['x', 1]] })).rejects.toMatchObject({ code: 'VIGIL_SINK_WRITE', retryable: false });
    await expect(bad({ table: 'missing_table', columns: ['id'], rows: [['x']] })).rejects.toMatchObject({ code: 'VIGIL_SINK_WRITE', retryable: false });
    await expect(bad({ rows: [['x', 'y']] })).rejects.toMatchObject({ code: 'VIGIL_SINK_WRITE', retryable: false, message: expect.stringContaining('2 values for 21 columns') as unknown });
    await expect(bad({ columns: ['id', 'x`y'], rows: [['x', 1]] })).rejects.toMatchObject({ code: 'VIGIL_SINK_WRITE', retryable: false });
    await expect(bad({ rows: [['x', '2026-13-45 99:00:00']], columns: ['id', 'time'] })).rejects.toMatchObject({ code: 'VIGIL_SINK_WRITE', retryable: false });
    await expect(sink.lastInsertedOffset('missing_table', 't', 0)).rejects.toMatchObject({ code: 'VIGIL_SINK_WRITE' });
  });
});

describe('dedupToken', () => {
  it('is deterministic in topic, partition and the inclusive offset range', () => {
    expect(dedupToken('payments', 3, '100', 199n)).toBe('payments:3:100-199');
    expect(dedupToken('payments', 3, 100n, '199')).toBe(dedupToken('payments', 3, '100', '199'));
    expect(dedupToken('payments', 3, 100n, 200n)).not.toBe(dedupToken('payments', 3, 100n, 199n));
  });
});
