import fs from 'node:fs/promises';
import { createKafkajsClient } from '../../src/kafka/kafkajs.client.js';
import { replayDeadLetters } from '../../src/kafka/dead-letter-replay.js';
import { consumeWithKcat, createTopic, produceWithKcat, testBrokers } from '../utils/kafka.js';
import { eventually, isolatedFinanceTemplate, queryRows, startPipeline, type RunningPipeline } from '../utils/pipeline.js';

describe('dead-letter replay (real Kafka broker, embedded ClickHouse)', () => {
  let pipeline: RunningPipeline | undefined;

  afterEach(async () => {
    await pipeline?.stop();
    pipeline = undefined;
  });

  it('re-processes dead letters once the template is fixed, exactly once', async () => {
    const { file, prefix, name } = await isolatedFinanceTemplate();
    const input = `${prefix}.transactions`;
    const dlq = `${input}.dlq`;
    await createTopic(input, 6);
    // These payments carry the terminal as `terminal`, not where the template maps it from.
    const event = (id: string) =>
      JSON.stringify({ transactionId: id, timestamp: new Date().toISOString(), customer: { id: 'c' }, card: { id: 'card-r' }, terminal: 'pos-9', amount: { value: 3, currency: 'EUR' } });
    await produceWithKcat(input, [{ key: 'card-r', value: event('r-1') }, { key: 'card-r', value: event('r-2') }]);
    const options = { templateFile: file, database: `${prefix}_replay`, services: ['detect', 'sink'] as const };
    pipeline = await startPipeline(options);
    const dead = await eventually(() => consumeWithKcat(dlq, { count: 2, timeoutMs: 10_000 }), (r) => r.length >= 2, 30_000, 'two dead letters');
    expect(dead.map((d) => d.headers['vigil-error-reason'])).toEqual([
      'field terminal_id (from "merchant.terminalId") is required',
      'field terminal_id (from "merchant.terminalId") is required',
    ]);
    // The sink must have passed the two bad events too: otherwise, after the fix, it would store
    // the originals as well as their replays.
    const admin = await createKafkajsClient({ brokers: testBrokers(), clientId: 'replay-test-admin' }).admin();
    await eventually(
      async () => (await admin.groupOffsets(`vigil.${name}.sink`, [input])).reduce((sum, o) => sum + Number(o.offset), 0),
      (committed) => committed >= 2,
      30_000,
      'the sink past the bad events',
    ).finally(() => admin.close());
    await pipeline.stop();
    pipeline = undefined;

    // The fix: map terminal_id from where these events have it.
    const text = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, text.replace('from: merchant.terminalId', 'from: terminal'));
    pipeline = await startPipeline(options);
    const kafka = createKafkajsClient({ brokers: testBrokers(), clientId: 'replay-test' });
    const replay = () => replayDeadLetters({ kafka, topic: dlq, groupId: `${prefix}.dlq-replay` });
    expect(await replay()).toEqual({ replayed: 2, byTopic: { [input]: 2 } });
    const running = pipeline;
    const rows = await eventually(
      () => queryRows<{ event_id: string; terminal_id: string | null }>(running.clickhouse, 'SELECT event_id, terminal_id FROM finance_transactions ORDER BY event_id'),
      (r) => r.length >= 2,
      30_000,
      'the replayed events stored',
    );
    expect(rows).toEqual([
      { event_id: 'r-1', terminal_id: 'pos-9' },
      { event_id: 'r-2', terminal_id: 'pos-9' },
    ]);
    // Already replayed: nothing more to send.
    expect(await replay()).toEqual({ replayed: 0, byTopic: {} });
  }, 120_000);
});
