import type { IncomingMessage, MessageBatch } from '../kafka/kafka.types.js';
import type { Finding } from '../model/records.js';
import { ClickHouseSink, dedupToken } from './clickhouse.sink.js';
import { runMigrations } from './migrations.js';
import { findingMessageRow } from './record-decoders.js';
import { FINDING_COLUMNS } from './row-mappers.js';
import { PartitionBatcher } from '../stages/sink/sink.batcher.js';
import { openTempClickHouse, type TempClickHouse } from './testing/temp-clickhouse.js';

/**
 * A crash in the middle of an insert that spans two months, on the real engine: each month is a
 * part of its own and lands or not on its own. What the next run's batcher makes of the partition
 * must leave every finding in the table exactly once.
 */

let engine: TempClickHouse;
beforeAll(async () => {
  engine = await openTempClickHouse();
});
afterAll(async () => {
  await engine.close();
});

const TOPIC = 'payments.findings';
const JANUARY = Date.UTC(2026, 0, 31, 23, 59);
const FEBRUARY = Date.UTC(2026, 1, 1, 0, 1);

const finding = (offset: number): Finding => ({
  id: `f-${offset}`,
  template: 'payments',
  detector: 'velocity',
  detector_type: 'velocity',
  detector_version: '1',
  entity: `card-${offset}`,
  severity: 'high',
  kind: 'velocity.count',
  title: 'burst',
  score: 1,
  // Event time, not offset order, decides the month: late events interleave.
  time: offset % 2 === 0 ? JANUARY : FEBRUARY,
  window_start: JANUARY - 60_000,
  window_end: JANUARY,
  values: { count: 12 },
  thresholds: { count: 10 },
  event_ids: [],
  trigger_event_id: `tx-${offset}`,
});

const message = (offset: number): IncomingMessage => ({
  topic: TOPIC,
  partition: 1,
  offset: String(offset),
  key: null,
  value: Buffer.from(JSON.stringify(finding(offset))),
  headers: {},
  timestamp: JANUARY,
});

const batch = (from: number, to: number): MessageBatch => ({
  topic: TOPIC,
  partition: 1,
  messages: Array.from({ length: to - from + 1 }, (_, i) => message(from + i)),
  highWatermark: String(to + 1),
});

async function ids(db: string): Promise<string[]> {
  const result = await engine.client.query({ query: `SELECT id FROM \`${db}\`.findings ORDER BY toUInt32(substring(id, 3))`, format: 'JSONEachRow' });
  return (await result.json<{ id: string }>()).map((row) => row.id);
}

describe('a crash mid-insert across a month boundary', () => {
  it('is completed by the next run: the missing month stored again, the landed one not doubled', async () => {
    const db = await engine.database();
    await runMigrations(engine.client, db);
    const sink = new ClickHouseSink(engine.client, db);

    // The crashed run: one insert of offsets 0..5; the crash came after its February part was
    // written and before its January part. Dropping January's part makes exactly that state.
    const token = dedupToken(TOPIC, 1, 0, 5);
    await sink.insert({ table: 'findings', columns: FINDING_COLUMNS, rows: batch(0, 5).messages.map(findingMessageRow), token });
    await engine.client.command({ query: `ALTER TABLE \`${db}\`.findings DROP PARTITION 202601` });
    expect(await ids(db)).toEqual(['f-1', 'f-3', 'f-5']);

    // The next run, as the sink stage does it: last stored offset, then what of the range is stored.
    const skipThrough = await sink.lastInsertedOffset('findings', TOPIC, 1);
    expect(skipThrough).toBe(5n);
    const batcher = new PartitionBatcher({ table: 'findings', columns: FINDING_COLUMNS, topic: TOPIC, partition: 1, decode: findingMessageRow, maxRows: 100, maxDelayMs: 500, skipThrough: skipThrough! });
    const resumed = batch(0, 7);
    const range = batcher.uncommittedRange(resumed)!;
    const stored = await sink.storedOffsets('findings', TOPIC, 1, range.first, range.last);
    expect(batcher.add(resumed, 0, stored)).toEqual({ jobs: [], skipped: 3, recovered: 3 });
    const job = batcher.flush()!;
    await sink.insert(job);
    expect(await ids(db)).toEqual(['f-0', 'f-1', 'f-2', 'f-3', 'f-4', 'f-5', 'f-6', 'f-7']);

    // Crashing again before the commit: the job's retry is deduplicated, and the run after that
    // finds everything stored.
    await sink.insert(job);
    const again = new PartitionBatcher({ table: 'findings', columns: FINDING_COLUMNS, topic: TOPIC, partition: 1, decode: findingMessageRow, maxRows: 100, maxDelayMs: 500, skipThrough: (await sink.lastInsertedOffset('findings', TOPIC, 1))! });
    const all = await sink.storedOffsets('findings', TOPIC, 1, 0n, 7n);
    expect(again.add(batch(0, 7), 0, all)).toEqual({ jobs: [], skipped: 8 });
    expect(again.flush()).toMatchObject({ rows: [], commitOffset: '8' });
    expect(await ids(db)).toEqual(['f-0', 'f-1', 'f-2', 'f-3', 'f-4', 'f-5', 'f-6', 'f-7']);
  });
});
