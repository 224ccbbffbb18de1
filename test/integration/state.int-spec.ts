import { createKafkajsClient } from '../../src/kafka/kafkajs.client.js';
import { consumeWithKcat, createTopic, produceWithKcat, testBrokers } from '../utils/kafka.js';
import { eventually, isolatedFinanceTemplate, queryRows, startPipeline, type RunningPipeline } from '../utils/pipeline.js';

const MINUTE = 60_000;
const T0 = Date.now() - 2 * 60 * MINUTE;

function payment(id: string, card: string, time: number): { key: string; value: string } {
  return {
    key: card,
    value: JSON.stringify({
      transactionId: id,
      timestamp: new Date(time).toISOString(),
      customer: { id: `cus-${card}` },
      card: { id: card },
      merchant: { terminalId: 'term-1' },
      amount: { value: 12, currency: 'EUR' },
    }),
  };
}

async function processed(pipeline: RunningPipeline): Promise<number> {
  return pipeline.owned.core.metrics.total(pipeline.owned.core.metrics.processed);
}

describe('runtime state and event time (real Kafka broker, embedded ClickHouse)', () => {
  let pipeline: RunningPipeline | undefined;

  afterEach(async () => {
    await pipeline?.stop();
    pipeline = undefined;
  });

  it('restores detector state after a restart: a burst split by the restart is still seen whole', async () => {
    const { file, prefix } = await isolatedFinanceTemplate();
    const input = `${prefix}.transactions`;
    await createTopic(input, 6);
    const options = { templateFile: file, database: `${prefix}_state`, services: ['detect', 'sink'] as const };

    // 4 payments before the restart and 3 after, all within 3 minutes: only the 7 together exceed 6.
    await produceWithKcat(input, [0, 1, 2, 3].map((i) => payment(`s-${i}`, 'card-s', T0 + i * 30_000)));
    pipeline = await startPipeline(options);
    const first = pipeline;
    await eventually(() => processed(first), (n) => n >= 4, 30_000, 'the first 4 events processed');
    await pipeline.stop();
    pipeline = undefined;

    await produceWithKcat(input, [4, 5, 6].map((i) => payment(`s-${i}`, 'card-s', T0 + i * 30_000)));
    pipeline = await startPipeline(options);
    const second = pipeline;
    const findings = await eventually(
      () => queryRows<{ entity: string; count: number; trigger: string }>(second.clickhouse, `SELECT entity, toUInt8(values['count']) AS count, trigger_event_id AS trigger FROM findings`),
      (rows) => rows.length >= 1,
      30_000,
      'the finding after the restart',
    );
    expect(findings).toEqual([{ entity: 'card-s', count: 7, trigger: 's-6' }]);
    const restored = await second.owned.core.metrics.total(second.owned.core.metrics.stateRestoredRecords);
    expect(restored).toBeGreaterThan(0);
  }, 120_000);

  it('sends events behind the watermark to the late topic instead of the detectors', async () => {
    const { file, prefix } = await isolatedFinanceTemplate();
    const input = `${prefix}.transactions`;
    await createTopic(input, 6);
    // Same card, same partition: an event an hour old after a current one is far behind the
    // watermark (max event time - 30 s out-of-orderness); one 10 s old is within it.
    await produceWithKcat(input, [
      payment('now', 'card-l', T0 + 60 * MINUTE),
      payment('a-bit-late', 'card-l', T0 + 60 * MINUTE - 10_000),
      payment('very-late', 'card-l', T0),
    ]);
    pipeline = await startPipeline({ templateFile: file, database: `${prefix}_late`, services: ['detect', 'sink'] });
    const late = await eventually(() => consumeWithKcat(`${input}.late`, { count: 1, timeoutMs: 10_000 }), (r) => r.length > 0, 30_000, 'a late event');
    expect(late).toHaveLength(1);
    expect(JSON.parse(late[0]!.value!)).toMatchObject({ transactionId: 'very-late' });
    expect(late[0]!.headers).toMatchObject({ 'vigil-source-topic': input, 'vigil-watermark': String(T0 + 60 * MINUTE - 30_000), 'vigil-late-by-ms': String(60 * MINUTE - 30_000) });
    const metrics = pipeline.owned.core.metrics;
    await eventually(() => metrics.total(metrics.processed), (n) => n >= 2, 10_000, 'the two in-time events processed');
    expect(await metrics.total(metrics.lateEvents)).toBe(1);
    const running = pipeline;
    const rows = await eventually(
      () => queryRows<Record<string, unknown>>(running.clickhouse, 'SELECT event_id, event_key, toString(late_by_ms) AS late_by_ms FROM late_events'),
      (r) => r.length > 0,
      30_000,
      'the late event in ClickHouse',
    );
    expect(rows).toEqual([{ event_id: 'very-late', event_key: 'card-l', late_by_ms: String(60 * MINUTE - 30_000) }]);
  }, 60_000);

  it('fences a partition\'s previous owner (a zombie) when detect takes the partition: its open transaction can no longer commit', async () => {
    // The restore reads what the previous owner committed; one still running could otherwise
    // commit a batch after it, and that batch would be run and committed again.
    const { file, prefix, name } = await isolatedFinanceTemplate();
    const input = `${prefix}.transactions`;
    const scratch = `${prefix}.zombie-output`;
    await createTopic(input, 6);
    await createTopic(scratch, 1);
    const client = createKafkajsClient({ brokers: testBrokers(), clientId: 'vigil-test-zombie' });
    const zombie = await client.producer({ transactionalId: `vigil.${name}.detect.${input}.0` });
    try {
      const open = await zombie.transaction();
      await open.send([{ topic: scratch, partition: 0, value: 'the zombie batch' }]);
      pipeline = await startPipeline({ templateFile: file, database: `${prefix}_zombie`, services: ['detect'] });
      const { metrics } = pipeline.owned.core;
      await eventually(async () => (await metrics.stateRestoreSeconds.get()).values.find((v) => v.metricName?.endsWith('_count'))?.value ?? 0, (n) => n >= 1, 30_000, 'detect restored its partitions');
      await expect(open.commit()).rejects.toMatchObject({ code: 'VIGIL_KAFKA' });
      expect(await consumeWithKcat(scratch, { count: 10, isolation: 'read_committed' })).toEqual([]);
    } finally {
      await zombie.close().catch(() => undefined);
    }
  }, 120_000);
});
