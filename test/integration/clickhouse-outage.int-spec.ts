import { setTimeout as sleep } from 'node:timers/promises';
import { VigilError } from '../../src/errors/vigil-error.js';
import { pino } from 'pino';
import type { InsertBatch, SinkWriter } from '../../src/sink/sink-writer.js';
import { builtInGenerators } from '../../src/domains/domains.js';
import { createTopic, produceWithKcat } from '../utils/kafka.js';
import { eventually, isolatedFinanceTemplate, queryRows, startPipeline, type RunningPipeline } from '../utils/pipeline.js';

/** How long ClickHouse is away (issue 19 asks for 60 s). */
const OUTAGE_MS = 60_000;
const BEFORE = 5_000;
/** Produced while ClickHouse is away: far more than the sink may hold in memory. */
const DURING = 80_000;

/**
 * The store as a server that went away looks to the sink: every call fails the way a refused
 * connection does (retryable), while `down`; the real embedded engine is behind it.
 */
class Outage implements SinkWriter {
  down = false;
  failedCalls = 0;
  constructor(private readonly store: SinkWriter) {}

  /** As the store behind it: the raw path runs through the outage too. */
  get acceptsRaw(): boolean {
    return this.store.acceptsRaw === true;
  }

  insert(batch: InsertBatch): Promise<void> {
    return this.guard(() => this.store.insert(batch));
  }

  lastInsertedOffset(table: string, topic: string, partition: number): Promise<bigint | undefined> {
    return this.guard(() => this.store.lastInsertedOffset(table, topic, partition));
  }

  storedOffsets(table: string, topic: string, partition: number, first: bigint, last: bigint): Promise<Set<bigint>> {
    return this.guard(() => this.store.storedOffsets(table, topic, partition, first, last));
  }

  private async guard<T>(call: () => Promise<T>): Promise<T> {
    if (this.down) {
      this.failedCalls++;
      throw new VigilError('VIGIL_SINK_WRITE', 'connect ECONNREFUSED 127.0.0.1:8123', { retryable: true });
    }
    return call();
  }
}

function heapMiB(): number {
  return process.memoryUsage().heapUsed / 2 ** 20;
}

describe('ClickHouse away for 60 s (real Kafka broker, embedded ClickHouse behind a store that refuses every call)', () => {
  let pipeline: RunningPipeline | undefined;
  afterEach(async () => {
    await pipeline?.stop();
    pipeline = undefined;
  }, 60_000);

  it('stops consuming instead of buffering, loses and duplicates nothing, and catches up by itself', async () => {
    const { file, prefix } = await isolatedFinanceTemplate();
    const input = `${prefix}.transactions`;
    await createTopic(input, 6);
    const generator = builtInGenerators().create('finance', { seed: 19, params: { customers: 20_000, terminals: 2_000 } });
    const start = Date.now() - 6 * 3_600_000;
    const lines = Array.from({ length: BEFORE + DURING }, (_, i) => {
      const event = generator.next(start + i * 100);
      return { key: event.key, value: JSON.stringify(event.value) };
    });
    let outage: Outage | undefined;
    // The sink's retries are warnings, expected here by the thousand; errors are collected.
    const errors: { msg: string }[] = [];
    const logger = pino({ level: 'error', base: undefined }, { write: (line: string) => void errors.push(JSON.parse(line) as { msg: string }) });
    pipeline = await startPipeline({
      templateFile: file,
      database: `${prefix}_outage`,
      services: ['sink'],
      logger,
      stages: { wrapSinkWriter: (writer) => (outage = new Outage(writer)) },
      // What a partition holds while its insert fails is one batch (and the fetch behind it): with
      // the default 10,000 rows, six partitions could hold 60,000 of the 80,000 events by design.
      env: { VIGIL_SINK_BATCH_ROWS: '2000' },
    });
    const ch = pipeline.clickhouse;
    const { metrics } = pipeline.owned.core;
    const stored = () => queryRows<{ n: number; ids: number }>(ch, 'SELECT toUInt32(count()) AS n, toUInt32(uniqExact(event_id)) AS ids FROM finance_transactions').then((r) => r[0]!);
    const consumed = () => metrics.total(metrics.consumed, { stage: 'sink', topic: input });

    await produceWithKcat(input, lines.slice(0, BEFORE));
    await eventually(stored, (s) => s.n >= BEFORE, 60_000, 'the events before the outage stored');
    global.gc?.();
    const heapBefore = heapMiB();
    const consumedBefore = await consumed();

    outage!.down = true;
    const downAt = Date.now();
    await produceWithKcat(input, lines.slice(BEFORE));
    let heapPeak = heapMiB();
    while (Date.now() - downAt < OUTAGE_MS) {
      await sleep(1_000);
      heapPeak = Math.max(heapPeak, heapMiB());
    }
    const consumedDuring = (await consumed()) - consumedBefore;
    expect(outage!.failedCalls).toBeGreaterThan(0);
    expect(await stored()).toEqual({ n: BEFORE, ids: BEFORE });
    // Backpressure: the partitions wait on their failed inserts, so most of what was produced
    // stays in Kafka rather than in this process.
    process.stdout.write(`consumed during the outage: ${consumedDuring} of ${DURING}\n`);
    expect(consumedDuring).toBeLessThan(DURING / 2);
    expect(heapPeak - heapBefore).toBeLessThan(256);

    outage!.down = false;
    const final = await eventually(stored, (s) => s.n >= BEFORE + DURING, 180_000, 'every event stored after ClickHouse is back');
    await sleep(2_000);
    expect(await stored()).toEqual({ n: BEFORE + DURING, ids: BEFORE + DURING });
    expect(final.ids).toBe(final.n);
    // Heartbeats while it retried kept the member in its group: no expulsion, no abandoned commit.
    expect(errors.map((e) => e.msg)).toEqual([]);
    process.stdout.write(
      `clickhouse outage: ${DURING} events produced while away, ${consumedDuring} consumed then; heap ${heapBefore.toFixed(0)} MiB before, peak +${(heapPeak - heapBefore).toFixed(0)} MiB\n`,
    );
  }, OUTAGE_MS + 360_000);
});
