import { setTimeout as sleep } from 'node:timers/promises';
import { expectingErrors } from '../utils/expected-errors.js';
import { createTopic, produceWithKcat } from '../utils/kafka.js';
import { eventually, isolatedFinanceTemplate, queryRows, startPipeline, type RunningPipeline } from '../utils/pipeline.js';
import { builtInGenerators } from '../../src/domains/domains.js';

describe('ClickHouse unavailable (real Kafka broker, embedded ClickHouse)', () => {
  let pipeline: RunningPipeline | undefined;

  afterEach(async () => {
    await pipeline?.stop();
    pipeline = undefined;
  });

  it('stops storing while the table is gone, loses nothing, and catches up when it is back', async () => {
    const { file, prefix } = await isolatedFinanceTemplate();
    const input = `${prefix}.transactions`;
    const database = `${prefix}_pressure`;
    await createTopic(input, 6);
    const generator = builtInGenerators().create('finance', { seed: 3, params: { customers: 5000, terminals: 900 } });
    const start = Date.now() - 3_600_000;
    const lines = Array.from({ length: 6_000 }, (_, i) => {
      const event = generator.next(start + i * 200);
      return { key: event.key, value: JSON.stringify(event.value) };
    });
    await produceWithKcat(input, lines.slice(0, 3_000));
    const log = expectingErrors([/^ClickHouse insert failed; retrying, this partition waits$/]);
    pipeline = await startPipeline({ templateFile: file, database, services: ['detect', 'sink'], env: { VIGIL_SINK_BATCH_ROWS: '500' }, logger: log.logger });
    const ch = pipeline.clickhouse;
    const count = () => queryRows<{ n: number; ids: number }>(ch, 'SELECT toUInt32(count()) AS n, toUInt32(uniqExact(event_id)) AS ids FROM finance_transactions').then((r) => r[0]!);
    await eventually(count, (c) => c.n >= 3_000, 60_000, 'the first half stored');

    // The table disappears: every insert into it fails until it is back.
    await ch.command({ query: `DETACH TABLE ${database}.finance_transactions` });
    await produceWithKcat(input, lines.slice(3_000));
    const detect = pipeline.owned.core.metrics;
    await eventually(() => detect.total(detect.processed), (n) => n >= 6_000, 60_000, 'detect to go on regardless');
    await sleep(2_000);
    await ch.command({ query: `ATTACH TABLE ${database}.finance_transactions` });
    // While it was gone, the failed inserts were logged at error level, naming the table.
    expect(log.errors.length).toBeGreaterThan(0);
    expect(new Set(log.errors.map((e) => e.table))).toEqual(new Set(['finance_transactions']));
    expect(await count()).toEqual({ n: 3_000, ids: 3_000 });

    const final = await eventually(count, (c) => c.n >= 6_000, 90_000, 'the second half stored after the table came back');
    expect(final).toEqual({ n: 6_000, ids: 6_000 });
  }, 180_000);
});
